import { inject, injectable, named } from '@theia/core/shared/inversify';
import { ILogger } from '@theia/core/lib/common/logger';
import { VectorIndexRepository } from '../store/vector-index-repository';
import { QueryEmbeddingCache } from './query-embedding-cache';
import { AxisCandidate, AxisContext, AxisOutcome, SearchAxisContribution } from './search-axis';
import { queryWords } from './text-axis';
import { VectorAxisServing } from './vector-axis-serving';
import { MIN_SIMILARITY } from './visual-axis';

/** Captions the M axis ranks at most (the nearest ones: every caption means something a little like any query). */
export const MEANING_MATCHES = 100;
/** Nearest captions fetched before the filters apply. */
const MEANING_NEIGHBOURS = 1000;

/**
 * The M axis: the meaning of the query's words against the meaning of each
 * asset's captions. The words are embedded as a query (`TextEmbedder.embed(
 * [words], 'query')`, cached) with the model whose caption index serves M
 * now ({@link VectorAxisServing}), Korean and English alike, and the
 * nearest caption vectors rank, through the quantized first pass and
 * rescoring when the index is large. Skipped, and says so, when no
 * text-embedding model is configured or its index is not built yet.
 */
@injectable()
export class MeaningSearchAxis implements SearchAxisContribution {
    readonly axis = 'M' as const;

    @inject(VectorAxisServing)
    protected readonly serving: VectorAxisServing;

    @inject(VectorIndexRepository)
    protected readonly vectors: VectorIndexRepository;

    @inject(QueryEmbeddingCache)
    protected readonly queries: QueryEmbeddingCache;

    @inject(ILogger) @named('archive-core:MeaningSearchAxis')
    protected readonly logger: ILogger;

    async candidates(context: AxisContext): Promise<AxisOutcome> {
        const words = queryWords(context.terms);
        if (!words) {
            return { used: false, skipped: 'no-words' };
        }
        const served = await this.serving.meaning();
        if ('skipped' in served) {
            return { used: false, skipped: served.skipped };
        }
        if (!served.embedder) {
            // The serving model was configured before a restart: its captions are indexed, but nothing can embed the query until the new index is built.
            return { used: false, skipped: 'index-not-ready' };
        }
        const model = served.embedder;
        let query: Float32Array;
        try {
            query = await this.queries.embed('text', model.modelId, words, async () => {
                const [vector] = await model.managed.run([words], (embedder, texts) => embedder.embed(texts, 'query'), () => undefined);
                if (!vector) {
                    throw new Error('The text-embedding model answered no vector');
                }
                return vector;
            });
        } catch (error) {
            this.logger.warn(`The text-embedding model ${model.modelId} could not embed the query: ${error instanceof Error ? error.message : String(error)}`);
            return { used: false, skipped: 'model-unavailable' };
        }
        if (!served.exists) {
            return { used: true, candidates: [] };
        }
        const neighbours = await this.vectors.nearest(served.index, query, Math.min(MEANING_NEIGHBOURS, Math.max(1, context.candidateLimit)));
        const allowed = context.index.passing(neighbours.map(neighbour => neighbour.assetId), context.filter);
        const candidates: AxisCandidate[] = [];
        for (const { assetId, distance } of neighbours) {
            const similarity = 1 - distance;
            if (allowed.has(assetId) && similarity >= MIN_SIMILARITY && candidates.length < MEANING_MATCHES) {
                candidates.push({ assetId, score: similarity, similarity });
            }
        }
        return { used: true, candidates };
    }
}
