import { inject, injectable } from '@theia/core/shared/inversify';
import { VISUAL_DESCRIPTOR_MODEL } from '../ingest/visual-descriptor';
import { vectorIndexName, VectorIndexRepository } from '../store/vector-index-repository';
import { AxisCandidate, AxisContext, AxisOutcome, SearchAxisContribution } from './search-axis';

export const VisualIndexProvider = Symbol('VisualIndexProvider');

/**
 * Which vector index the V axis searches: the built-in colour descriptor
 * until an image-embedding model is configured, then that model's index.
 */
export interface VisualIndexProvider {
    visualIndex(): Promise<string>;
}

@injectable()
export class BuiltinVisualIndexProvider implements VisualIndexProvider {
    async visualIndex(): Promise<string> {
        return vectorIndexName('visual', VISUAL_DESCRIPTOR_MODEL);
    }
}

/** Nearest neighbours fetched per reference, and the bit-distance candidates rescored to find them. */
const NEIGHBOURS_PER_REFERENCE = 100;
const CANDIDATES_PER_REFERENCE = 500;
/** Perceptual hashes this many bits apart or fewer are near-duplicates. */
export const NEAR_DUPLICATE_BITS = 10;
/**
 * The least similarity the V axis ranks: below it an asset shows as "0 %
 * alike", no likeness at all (or the opposite), and being last in the
 * look-alike list must not lift it in a fused ranking.
 */
export const MIN_SIMILARITY = 0.005;

/**
 * The V axis: similarity to reference assets through their stored visual
 * vectors. With several references, AND ranks by the lowest similarity to
 * any of them (close to all), OR by the highest (close to any); each
 * reference's neighbours are found through the index (bit-quantized first
 * pass when the index is large), then every pooled asset is scored exactly
 * against every reference. Assets with no likeness (under
 * {@link MIN_SIMILARITY}) are not candidates. Near-duplicate search compares
 * 64-bit perceptual hashes instead. References are not hits.
 */
@injectable()
export class VisualSearchAxis implements SearchAxisContribution {
    readonly axis = 'V' as const;

    @inject(VectorIndexRepository)
    protected readonly vectors: VectorIndexRepository;

    @inject(VisualIndexProvider)
    protected readonly indexes: VisualIndexProvider;

    async candidates(context: AxisContext): Promise<AxisOutcome> {
        if (context.query.nearDuplicatesOf !== undefined) {
            return this.nearDuplicates(context, context.query.nearDuplicatesOf);
        }
        const references = context.query.references;
        if (!references?.assetIds.length) {
            return { used: false, skipped: 'no-references' };
        }
        const index = await this.indexes.visualIndex();
        const referenceVectors = await this.vectors.vectors(index, references.assetIds);
        if (!referenceVectors.size) {
            return { used: false, skipped: 'no-visual-vectors' };
        }
        const references_ = [...referenceVectors.entries()];
        const distances = new Map<number, Map<number, number>>(references_.map(([id]) => [id, new Map()]));
        const pool = new Set<number>();
        for (const [id, vector] of references_) {
            for (const neighbour of await this.vectors.nearest(index, vector, NEIGHBOURS_PER_REFERENCE, CANDIDATES_PER_REFERENCE)) {
                pool.add(neighbour.assetId);
                distances.get(id)!.set(neighbour.assetId, neighbour.distance);
            }
        }
        for (const id of references.assetIds) {
            pool.delete(id);
        }
        const allowed = [...this.allowed(context, [...pool])];
        // Every pooled asset against every reference: fetch the distances the neighbour lists did not give.
        for (const [id, vector] of references_) {
            const known = distances.get(id)!;
            const missing = allowed.filter(assetId => !known.has(assetId));
            if (missing.length) {
                for (const [assetId, distance] of await this.vectors.distances(index, vector, missing)) {
                    known.set(assetId, distance);
                }
            }
        }
        const scored: AxisCandidate[] = [];
        for (const assetId of allowed) {
            const similarities = references_.map(([id]) => 1 - (distances.get(id)!.get(assetId) ?? 2));
            const similarity = references.mode === 'and' ? Math.min(...similarities) : Math.max(...similarities);
            if (similarity >= MIN_SIMILARITY) {
                scored.push({ assetId, score: similarity, similarity });
            }
        }
        scored.sort((a, b) => b.score - a.score || a.assetId - b.assetId);
        return { used: true, candidates: scored };
    }

    protected nearDuplicates({ index, filter }: AxisContext, assetId: number): AxisOutcome {
        const reference = index.perceptualHash(assetId);
        if (!reference) {
            return { used: false, skipped: 'no-perceptual-hash' };
        }
        const target = BigInt(`0x${reference}`);
        const rows = index.perceptualHashes(assetId, filter);
        const candidates: AxisCandidate[] = [];
        for (const [id, phash] of rows) {
            const distance = popcount(BigInt(`0x${phash}`) ^ target);
            if (distance <= NEAR_DUPLICATE_BITS) {
                candidates.push({ assetId: id, score: 1 - distance / 64, similarity: 1 - distance / 64, hashDistance: distance });
            }
        }
        candidates.sort((a, b) => a.hashDistance! - b.hashDistance! || a.assetId - b.assetId);
        return { used: true, candidates };
    }

    /** The ids among these that pass the query's filters. */
    protected allowed({ index, filter }: AxisContext, ids: number[]): Set<number> {
        return index.passing(ids, filter);
    }
}

function popcount(value: bigint): number {
    let count = 0;
    while (value) {
        value &= value - 1n;
        count++;
    }
    return count;
}
