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

    it('finds nearly the same neighbours through the bit-quantized first pass, and keeps the bits current on writes', async () => {
        const next = random(7);
        const dimensions = 128;
        const index = await vectors.ensureIndex('visual', 'clustered/v1', dimensions);
        // 3,000 vectors in 60 clusters, all in the positive orthant as colour descriptors are.
        const centers = Array.from({ length: 60 }, () => Float32Array.from({ length: dimensions }, () => next()));
        const stored = new Map<number, Float32Array>();
        const { database } = await container.get<ArchiveStore>(ArchiveStore).open();
        database.write(db => {
            const insert = db.prepare(`INSERT INTO ${index} (asset_id, embedding) VALUES (?, ?)`);
            for (let assetId = 1; assetId <= 3000; assetId++) {
                const center = centers[assetId % centers.length];
                const vector = Float32Array.from(center, value => Math.max(0, value + (next() - 0.5) * 0.3));
                stored.set(assetId, vector);
                insert.run(BigInt(assetId), Buffer.from(vector.buffer));
            }
        });
        expect(await vectors.isQuantized(index)).toBe(false);
        expect(await vectors.quantize(index)).toBe(3000);
        expect(await vectors.isQuantized(index)).toBe(true);

        let found = 0;
        const queries = 30;
        for (let q = 0; q < queries; q++) {
            const query = Float32Array.from(stored.get(1 + Math.floor(next() * 3000))!, value => value + (next() - 0.5) * 0.05);
            const exact = [...stored.entries()].map(([assetId, vector]) => ({ assetId, distance: cosineDistance(query, vector) }))
                .sort((a, b) => a.distance - b.distance).slice(0, 20).map(hit => hit.assetId);
            const quantized = (await vectors.nearest(index, query, 20)).map(hit => hit.assetId);
            found += quantized.filter(id => exact.includes(id)).length;
        }
        const recall = found / (queries * 20);
        console.log(`quantized recall@20 over 3,000 clustered 128-d vectors: ${recall.toFixed(3)}`);
        expect(recall).toBeGreaterThanOrEqual(0.95);

        // A vector written after quantizing is found through its bits.
        const fresh = Float32Array.from({ length: dimensions }, (_, i) => i % 2 ? 1 : 0);
        await vectors.put(index, 5000, fresh);
        expect((await vectors.nearest(index, fresh, 1))[0]).toMatchObject({ assetId: 5000 });
        expect((await vectors.distances(index, fresh, [5000, 1])).get(5000)).toBeCloseTo(0, 5);
    });

    it('refuses vectors of the wrong size and unknown index names', async () => {
        const index = await vectors.ensureIndex('meaning', 'text-model', 8);
        await expect(vectors.put(index, 1, new Float32Array(9))).rejects.toThrow('8-dimensional');
        await expect(vectors.nearest('assets; DROP TABLE assets', new Float32Array(8), 3)).rejects.toThrow('No vector index');
        await expect(vectors.ensureIndex('meaning', 'text-model', 16)).rejects.toThrow('holds 8-dimensional');
    });
});
