import { inject, injectable, named } from '@theia/core/shared/inversify';
import { ContributionProvider } from '@theia/core/lib/common/contribution-provider';
import { parseQueryText, QueryTerm } from '../../common/query-text';
import {
    AxisReport, FilterClause, SEARCH_AXES, SearchAxisId, SearchHit, SearchQuery, SearchResult, SearchService, SearchSort
} from '../../common/search-protocol';
import { COLLECTION_FILTER_KIND } from '../../common/collection-protocol';
import { SearchIndexReader } from '../store/search-index-reader';
import { SearchIndexRepository } from '../store/search-index-repository';
import { AssetLocation } from '../../common/asset-location';
import { assetLocation } from '../store/asset-locations';
import { explainText, explainVectors } from './match-reasons';
import { fuseRanks, FusedHit } from './rank-fusion';
import { ResultCache } from './result-cache';
import { AxisCandidate, AxisOutcome, SearchAxisContribution } from './search-axis';
import { SearchFilterCompiler, SqlCondition } from './search-filter-compiler';
import { queryWords, rankingTerms, textConstraints } from './text-axis';

const DEFAULT_LIMIT = 100;
/** Candidates an axis answers when it ranks alone (all of them page through) and when fused with others (its top ones). */
const SOLO_CANDIDATES = 100_000;
const FUSED_CANDIDATES = 1_000;
const MAX_LIMIT = 1000;

/** The ordered answer to a query, before paging: what the cache keeps. */
interface RankedAnswer {
    readonly ids: readonly number[];
    readonly fused: ReadonlyMap<number, FusedHit>;
    readonly axes: readonly AxisReport[];
    readonly terms: readonly QueryTerm[];
    /** Whether V ranked by the query's words (no reference images). */
    readonly visualByWords: boolean;
    readonly tags: SearchResult['tags'];
}

export const SearchRanking = Symbol('SearchRanking');

/**
 * The engine's ranking without hits, for the backend's own use (a smart
 * collection's members), never over RPC.
 */
export interface SearchRanking {
    /** The ids `query` answers (its page ignored), in its order, at most `limit`; throws the readable Error a search would. */
    rankedIds(query: SearchQuery, limit: number): Promise<number[]>;
}

/**
 * Triaxis search: compiles filters (built-in and contributed) and the text's
 * constraints to SQL, asks each axis for candidates, fuses them by weighted
 * reciprocal rank, sorts, pages and explains each hit. With nothing to rank
 * by (no words, no references) it browses: every asset that passes the
 * filters, in the chosen order. Answers are cached until the archive changes.
 */
@injectable()
export class DefaultSearchEngine implements SearchService, SearchRanking {

    @inject(SearchIndexRepository)
    protected readonly index: SearchIndexRepository;

    @inject(ContributionProvider) @named(SearchFilterCompiler)
    protected readonly filterCompilers: ContributionProvider<SearchFilterCompiler>;

    @inject(ContributionProvider) @named(SearchAxisContribution)
    protected readonly axisContributions: ContributionProvider<SearchAxisContribution>;

    protected readonly cache = new ResultCache<RankedAnswer>();

    async search(query: SearchQuery): Promise<SearchResult> {
        const started = performance.now();
        const reader = await this.index.reader();
        const { answer, cached } = await this.answer(reader, query);
        const offset = Math.max(0, Math.floor(query.offset ?? 0));
        const limit = Math.min(MAX_LIMIT, Math.max(1, Math.floor(query.limit ?? DEFAULT_LIMIT)));
        const hits = this.hydrate(reader, answer, answer.ids.slice(offset, offset + limit));
        return { total: answer.ids.length, hits, axes: answer.axes, tags: answer.tags, tookMs: performance.now() - started, cached };
    }

    async rankedIds(query: SearchQuery, limit: number): Promise<number[]> {
        const { answer } = await this.answer(await this.index.reader(), query);
        return answer.ids.slice(0, Math.max(0, Math.floor(limit)));
    }

    /** The query's ranked answer, from the cache while the archive has not changed. */
    protected async answer(reader: SearchIndexReader, query: SearchQuery): Promise<{ answer: RankedAnswer; cached: boolean }> {
        const version = reader.dataVersion();
        const key = cacheKey(query);
        const cachedAnswer = this.cache.get(key, version);
        if (cachedAnswer) {
            return { answer: cachedAnswer, cached: true };
        }
        const answer = await this.rank(reader, query);
        this.cache.set(key, version, answer);
        return { answer, cached: false };
    }

    async suggest(text: string, limit = 10): Promise<string[]> {
        const prefix = text.trim();
        if (!prefix) {
            return [];
        }
        return this.index.suggest(prefix, limit);
    }

    protected async rank(reader: SearchIndexReader, query: SearchQuery): Promise<RankedAnswer> {
        const terms = parseQueryText(query.text ?? '');
        const filter = this.compileFilters(query.filters ?? [], terms);
        const weights = query.weights ?? {};
        const lists = new Map<SearchAxisId, readonly AxisCandidate[]>();
        const fusing = rankingTerms(terms).length > 0 && (!!query.references?.assetIds.length || query.nearDuplicatesOf !== undefined);
        const candidateLimit = fusing ? FUSED_CANDIDATES : SOLO_CANDIDATES;
        const reports: AxisReport[] = [];
        for (const axis of SEARCH_AXES) {
            const contribution = this.axisContributions.getContributions().find(candidate => candidate.axis === axis);
            let outcome: AxisOutcome;
            const axisStarted = performance.now();
            if (!contribution) {
                outcome = { used: false, skipped: 'no-provider' };
            } else if ((weights[axis] ?? 1) <= 0) {
                outcome = { used: false, skipped: 'switched-off' };
            } else {
                outcome = await contribution.candidates({ index: reader, query, terms, filter, candidateLimit });
            }
            reports.push(outcome.used
                ? { axis, used: true, candidates: outcome.candidates.length, bounded: outcome.bounded, tookMs: performance.now() - axisStarted }
                : { axis, used: false, skipped: outcome.skipped, candidates: 0 });
            if (outcome.used) {
                lists.set(axis, outcome.candidates);
            }
        }
        const sort = effectiveSort(query, lists.size > 0);
        const collectionId = manualCollection(query);
        const visualByWords = !query.references?.assetIds.length && query.nearDuplicatesOf === undefined;
        if (!lists.size) {
            const by = sort.by === 'relevance' ? 'added' : sort.by;
            const ids = reader.browse(filter, { by, direction: sort.direction, collectionId });
            return { ids, fused: new Map(), axes: reports, terms, visualByWords, tags: this.tagCloud(reader, ids) };
        }
        const fusedList = fuseRanks(lists, weights);
        const fused = new Map(fusedList.map(hit => [hit.assetId, hit]));
        let ids = fusedList.map(hit => hit.assetId);
        if (sort.by !== 'relevance') {
            ids = reader.ordered(ids, { by: sort.by, direction: sort.direction, collectionId });
        } else if (sort.direction === 'asc') {
            ids.reverse();
        }
        return { ids, fused, axes: reports, terms, visualByWords, tags: this.tagCloud(reader, ids) };
    }

    /** The 40 most used tags among the hits. */
    protected tagCloud(reader: SearchIndexReader, ids: readonly number[]): SearchResult['tags'] {
        return ids.length ? reader.tagCloud(ids) : [];
    }

    /**
     * Every filter clause through its compiler, plus the text's negations and
     * ext:, ANDed, over `filterable_assets a` (which lists no earlier versions
     * of changed files); `1` when there is none.
     */
    protected compileFilters(clauses: readonly FilterClause[], terms: readonly QueryTerm[]): SqlCondition {
        const conditions: SqlCondition[] = [];
        for (const clause of clauses) {
            const compiler = this.filterCompilers.getContributions().find(candidate => candidate.kind === clause.kind);
            if (!compiler) {
                throw new Error(`No search filter named "${clause.kind}" is installed.`);
            }
            conditions.push(compiler.compile(clause));
        }
        conditions.push(...textConstraints(terms));
        if (!conditions.length) {
            return { sql: '1', params: [] };
        }
        return { sql: conditions.map(condition => `(${condition.sql})`).join(' AND '), params: conditions.flatMap(condition => condition.params) };
    }

    protected hydrate(reader: SearchIndexReader, answer: RankedAnswer, ids: readonly number[]): SearchHit[] {
        if (!ids.length) {
            return [];
        }
        const rows = reader.hitRows(ids);
        const byId = new Map(rows.map(row => [row.id, row]));
        const words = rankingTerms(answer.terms);
        const embeddedWords = queryWords(answer.terms);
        return ids.filter(id => byId.has(id)).map(id => {
            const row = byId.get(id)!;
            const fused = answer.fused.get(id);
            const axes: SearchHit['axes'] = {};
            const candidates: Partial<Record<SearchAxisId, AxisCandidate>> = {};
            for (const [axis, match] of Object.entries(fused?.axes ?? {})) {
                axes[axis as SearchAxisId] = { rank: match!.rank, score: match!.candidate.score };
                candidates[axis as SearchAxisId] = match!.candidate;
            }
            const location: AssetLocation = row.file ? assetLocation(JSON.parse(row.file)) : { fileId: 0, rootId: 0, root: '', relativePath: '' };
            // The path snippet is cut from the location the hit shows, never from the OS paths the text index holds.
            const text = words.length ? explainText({
                name: row.t_name ?? '', path: AssetLocation.display(location), layers: row.t_layers ?? '', text: row.t_text ?? '',
                tags: row.t_tags ?? '', captions: row.t_captions ?? '', comments: row.t_comments ?? '', ocr: row.t_ocr ?? ''
            }, words) : { fields: [] };
            return {
                assetId: id,
                score: fused?.score ?? 0,
                axes,
                reason: {
                    fields: text.fields,
                    snippet: text.snippet,
                    snippetField: text.snippetField,
                    ...explainVectors({ words: embeddedWords, visualByWords: answer.visualByWords, axes: candidates })
                },
                name: AssetLocation.name(location),
                location,
                kind: row.kind,
                width: row.width ?? 0,
                height: row.height ?? 0,
                layerCount: row.layer_count,
                rating: row.rating,
                tags: row.tag_names ? JSON.parse(row.tag_names) as string[] : [],
                missing: !!row.missing
            };
        });
    }
}

/**
 * The query's sort, or the default (relevance when an axis ranks, else
 * newest added first); `manual` without a collection filter sorts as
 * relevance, best first (browsing: newest added first).
 */
function effectiveSort(query: SearchQuery, ranked: boolean): SearchSort {
    const sort = query.sort ?? { by: ranked ? 'relevance' : 'added', direction: 'desc' };
    // Without a collection there is no manual order to follow, nor to flip: the best first.
    return sort.by === 'manual' && manualCollection(query) === undefined ? { by: 'relevance', direction: 'desc' } : sort;
}

/** The collection whose order `manual` follows: the first collection filter's. */
function manualCollection(query: SearchQuery): number | undefined {
    const clause = query.filters?.find(candidate => candidate.kind === COLLECTION_FILTER_KIND);
    const id = clause?.collectionId;
    return typeof id === 'number' && Number.isSafeInteger(id) ? id : undefined;
}

/** The query without its page, in a stable form. */
function cacheKey(query: SearchQuery): string {
    const { offset: _offset, limit: _limit, ...rest } = query;
    return JSON.stringify(rest, Object.keys(flatten(rest)).sort());
}

function flatten(value: unknown, keys: Record<string, true> = {}): Record<string, true> {
    if (value && typeof value === 'object') {
        for (const [key, child] of Object.entries(value)) {
            keys[key] = true;
            flatten(child, keys);
        }
    }
    return keys;
}
