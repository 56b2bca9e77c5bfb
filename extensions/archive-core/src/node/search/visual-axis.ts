import { inject, injectable, named } from '@theia/core/shared/inversify';
import { ILogger } from '@theia/core/lib/common/logger';
import { VectorIndexRepository } from '../store/vector-index-repository';
import { QueryEmbeddingCache } from './query-embedding-cache';
import { AxisCandidate, AxisContext, AxisOutcome, SearchAxisContribution } from './search-axis';
import { queryWords } from './text-axis';
import { VectorAxisServing } from './vector-axis-serving';

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
/** Images a search by words ranks through the text tower (the nearest ones; every image is somewhat like any words). */
export const TEXT_QUERY_MATCHES = 100;
/** Nearest images fetched for a search by words before the filters apply. */
const TEXT_QUERY_NEIGHBOURS = 1000;

/**
 * The V axis: similarity to reference assets through their stored visual
 * vectors. With several references, AND ranks by the lowest similarity to
 * any of them (close to all), OR by the highest (close to any); each
 * reference's neighbours are found through the index (bit-quantized first
 * pass when the index is large), then every pooled asset is scored exactly
 * against every reference. Assets with no likeness (under
 * {@link MIN_SIMILARITY}) are not candidates. Near-duplicate search compares
 * 64-bit perceptual hashes instead. References are not hits.
 *
 * Words without references search the images through the serving image
 * model's text tower ("red umbrella at night" finds images without those
 * words): the query's embedding (cached) against the model's index, with
 * the same quantized first pass and rescoring. The index searched is the one
 * {@link VectorAxisServing} says serves V now.
 */
@injectable()
export class VisualSearchAxis implements SearchAxisContribution {
    readonly axis = 'V' as const;

    @inject(VectorIndexRepository)
    protected readonly vectors: VectorIndexRepository;

    @inject(VectorAxisServing)
    protected readonly serving: VectorAxisServing;

    @inject(QueryEmbeddingCache)
    protected readonly queries: QueryEmbeddingCache;

    @inject(ILogger) @named('archive-core:VisualSearchAxis')
    protected readonly logger: ILogger;

    async candidates(context: AxisContext): Promise<AxisOutcome> {
        if (context.query.nearDuplicatesOf !== undefined) {
            return this.nearDuplicates(context, context.query.nearDuplicatesOf);
        }
        const references = context.query.references;
        if (!references?.assetIds.length) {
            return queryWords(context.terms) ? this.byWords(context, queryWords(context.terms)) : { used: false, skipped: 'no-references' };
        }
        const served = await this.serving.visual();
        if (!served.exists) {
            return { used: false, skipped: 'no-visual-vectors' };
        }
        const index = served.index;
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

    /** The images nearest to the words through the serving model's text tower. */
    protected async byWords(context: AxisContext, words: string): Promise<AxisOutcome> {
        const served = await this.serving.visual();
        if (!served.embedder) {
            return { used: false, skipped: served.building ? 'index-not-ready' : 'no-image-model' };
        }
        const model = served.embedder;
        let query: Float32Array;
        try {
            query = await this.queries.embed('image-text', model.modelId, words, async () => {
                const [vector] = await model.managed.run([words], (embedder, texts) => embedder.embedTexts(texts), () => undefined);
                if (!vector) {
                    throw new Error('The text tower answered no vector');
                }
                return vector;
            });
        } catch (error) {
            this.logger.warn(`The image model ${model.modelId} could not embed the query: ${error instanceof Error ? error.message : String(error)}`);
            return { used: false, skipped: 'model-unavailable' };
        }
        if (!served.exists) {
            return { used: true, candidates: [] };
        }
        const neighbours = await this.vectors.nearest(served.index, query, Math.min(TEXT_QUERY_NEIGHBOURS, Math.max(1, context.candidateLimit)));
        const allowed = this.allowed(context, neighbours.map(neighbour => neighbour.assetId));
        const candidates: AxisCandidate[] = [];
        for (const { assetId, distance } of neighbours) {
            const similarity = 1 - distance;
            if (allowed.has(assetId) && similarity >= MIN_SIMILARITY && candidates.length < TEXT_QUERY_MATCHES) {
                candidates.push({ assetId, score: similarity, similarity });
            }
        }
        return { used: true, candidates };
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
