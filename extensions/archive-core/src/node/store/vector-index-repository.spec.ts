import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Container } from '@theia/core/shared/inversify';
import { ArchiveStore } from './archive-store';
import { VectorIndexRepository } from './vector-index-repository';
import { createArchiveTestContainer, makeTempFolder } from '../test/archive-test-container';

/** A deterministic pseudo-random generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
    return () => {
        seed = (seed + 0x6d2b79f5) | 0;
        let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

function cosineDistance(a: Float32Array, b: Float32Array): number {
    let dot = 0, na = 0, nb = 0;
    for (let i = 0; i < a.length; i++) {
        dot += a[i] * b[i];
        na += a[i] * a[i];
        nb += b[i] * b[i];
    }
    return 1 - dot / Math.sqrt(na * nb);
}

describe('SqliteVectorIndexRepository', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let container: Container;
    let vectors: VectorIndexRepository;

    beforeEach(() => {
        temp = makeTempFolder();
        container = createArchiveTestContainer(temp.folder);
        vectors = container.get(VectorIndexRepository);
    });
    afterEach(() => {
        container.get<ArchiveStore>(ArchiveStore).close();
        temp.remove();
    });

    it('answers a vec0 KNN query with the true nearest neighbours, from a real database file', async () => {
        const next = random(42);
        const dimensions = 48;
        const index = await vectors.ensureIndex('visual', 'test-model/v1', dimensions);
        const stored = new Map<number, Float32Array>();
        for (let assetId = 1; assetId <= 300; assetId++) {
            const vector = Float32Array.from({ length: dimensions }, () => next() * 2 - 1);
            stored.set(assetId, vector);
            await vectors.put(index, assetId, vector);
        }
        // Replacing a vector must not leave the old one behind.
        const replaced = Float32Array.from({ length: dimensions }, () => next() * 2 - 1);
        stored.set(7, replaced);
        await vectors.put(index, 7, replaced);

        // A query close to asset 123, plus noise.
        const query = Float32Array.from(stored.get(123)!, value => value + (next() - 0.5) * 0.05);
        const expected = [...stored.entries()]
            .map(([assetId, vector]) => ({ assetId, distance: cosineDistance(query, vector) }))
            .sort((a, b) => a.distance - b.distance)
            .slice(0, 10);

        const found = await vectors.nearest(index, query, 10);
        expect(found.map(hit => hit.assetId)).toEqual(expected.map(hit => hit.assetId));
        expect(found[0].assetId).toBe(123);
        found.forEach((hit, i) => expect(hit.distance).toBeCloseTo(expected[i].distance, 5));

        // The same query after re-opening the file from disk.
        container.get<ArchiveStore>(ArchiveStore).close();
        const reopened = createArchiveTestContainer(temp.folder).get<VectorIndexRepository>(VectorIndexRepository);
        expect((await reopened.nearest(index, query, 10)).map(hit => hit.assetId)).toEqual(expected.map(hit => hit.assetId));
    });

    it('refuses vectors of the wrong size and unknown index names', async () => {
        const index = await vectors.ensureIndex('meaning', 'text-model', 8);
        await expect(vectors.put(index, 1, new Float32Array(9))).rejects.toThrow('8-dimensional');
        await expect(vectors.nearest('assets; DROP TABLE assets', new Float32Array(8), 3)).rejects.toThrow('No vector index');
        await expect(vectors.ensureIndex('meaning', 'text-model', 16)).rejects.toThrow('holds 8-dimensional');
    });
});
