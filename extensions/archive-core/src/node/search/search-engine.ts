import { inject, injectable, named } from '@theia/core/shared/inversify';
import { ContributionProvider } from '@theia/core/lib/common/contribution-provider';
import type { Database } from 'better-sqlite3';
import { parseQueryText, QueryTerm } from '../../common/query-text';
import {
    AxisReport, FilterClause, SEARCH_AXES, SEARCH_HIT_TAG_LIMIT, SearchAxisId, SearchHit, SearchQuery, SearchResult, SearchService, SearchSort
} from '../../common/search-protocol';
import { AssetLocation } from '../../common/asset-location';
import { ArchiveStore } from '../store/archive-store';
import { assetLocation } from '../store/asset-locations';
import { LISTED_ASSETS, MODIFIED_EXPRESSION } from './builtin-filter-compilers';
import { explainText } from './match-reasons';
import { fuseRanks, FusedHit } from './rank-fusion';
import { ResultCache } from './result-cache';
import { AxisCandidate, AxisOutcome, SearchAxisContribution } from './search-axis';
import { SearchFilterCompiler, SqlCondition } from './search-filter-compiler';
import { rankingTerms, textConstraints } from './text-axis';

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
    readonly tags: SearchResult['tags'];
}

/** File name of a path in SQL (the part after the last slash). */
const NAME_EXPRESSION = `(SELECT lower(replace(f.path, rtrim(f.path, replace(f.path, '/', '')), '')) FROM files f WHERE f.asset_id = a.id ORDER BY f.id LIMIT 1)`;

const SORT_EXPRESSIONS: Record<Exclude<SearchSort['by'], 'relevance'>, string> = {
    modified: MODIFIED_EXPRESSION,
    added: 'a.registered_at',
    name: NAME_EXPRESSION,
    rating: 'a.rating',
    resolution: 'a.width * a.height',
    layers: 'a.layer_count'
};

/**
 * Triaxis search: compiles filters (built-in and contributed) and the text's
 * constraints to SQL, asks each axis for candidates, fuses them by weighted
 * reciprocal rank, sorts, pages and explains each hit. With nothing to rank
 * by (no words, no references) it browses: every asset that passes the
 * filters, in the chosen order. Answers are cached until the archive changes.
 */
@injectable()
export class DefaultSearchEngine implements SearchService {

    @inject(ArchiveStore)
    protected readonly store: ArchiveStore;

    @inject(ContributionProvider) @named(SearchFilterCompiler)
    protected readonly filterCompilers: ContributionProvider<SearchFilterCompiler>;

    @inject(ContributionProvider) @named(SearchAxisContribution)
    protected readonly axisContributions: ContributionProvider<SearchAxisContribution>;

    protected readonly cache = new ResultCache<RankedAnswer>();

    async search(query: SearchQuery): Promise<SearchResult> {
        const started = performance.now();
        const { database } = await this.store.open();
        const db = database.reader;
        const version = db.pragma('data_version', { simple: true }) as number;
        const key = cacheKey(query);
        let answer = this.cache.get(key, version);
        const cached = !!answer;
        if (!answer) {
            answer = await this.rank(db, query);
            this.cache.set(key, version, answer);
        }
        const offset = Math.max(0, Math.floor(query.offset ?? 0));
        const limit = Math.min(MAX_LIMIT, Math.max(1, Math.floor(query.limit ?? DEFAULT_LIMIT)));
        const hits = this.hydrate(db, answer, answer.ids.slice(offset, offset + limit));
        return { total: answer.ids.length, hits, axes: answer.axes, tags: answer.tags, tookMs: performance.now() - started, cached };
    }

    async suggest(text: string, limit = 10): Promise<string[]> {
        const prefix = text.trim();
        if (!prefix) {
            return [];
        }
        const { database } = await this.store.open();
        const pattern = `${prefix.replace(/[\\%_]/g, match => `\\${match}`)}%`;
        return database.reader.prepare(`SELECT name FROM (
                SELECT t.name AS name, count(a.id) AS uses FROM tags t LEFT JOIN asset_tags x ON x.tag_id = t.id
                    LEFT JOIN assets a ON a.id = x.asset_id AND a.superseded = 0
                    WHERE t.name LIKE ? ESCAPE '\\' GROUP BY t.id
                UNION ALL
                SELECT l.name, count(*) FROM layers l JOIN assets a ON a.id = l.asset_id AND a.superseded = 0
                    WHERE l.name LIKE ? ESCAPE '\\' GROUP BY l.name
            ) GROUP BY lower(name) ORDER BY sum(uses) DESC, name LIMIT ?`)
            .pluck().all(pattern, pattern, limit) as string[];
    }

    protected async rank(db: Database, query: SearchQuery): Promise<RankedAnswer> {
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
                outcome = await contribution.candidates({ db, query, terms, filter, candidateLimit });
            }
            reports.push(outcome.used
                ? { axis, used: true, candidates: outcome.candidates.length, bounded: outcome.bounded, tookMs: performance.now() - axisStarted }
                : { axis, used: false, skipped: outcome.skipped, candidates: 0 });
            if (outcome.used) {
                lists.set(axis, outcome.candidates);
            }
        }
        const sort = query.sort ?? { by: lists.size ? 'relevance' : 'added', direction: 'desc' };
        if (!lists.size) {
            const by = sort.by === 'relevance' ? 'added' : sort.by;
            const ids = db.prepare(`SELECT a.id FROM assets a WHERE (${filter.sql})
                ORDER BY ${SORT_EXPRESSIONS[by]} ${sort.direction === 'asc' ? 'ASC' : 'DESC'}, a.id`).pluck().all(...filter.params) as number[];
            return { ids, fused: new Map(), axes: reports, terms, tags: this.tagCloud(db, ids) };
        }
        const fusedList = fuseRanks(lists, weights);
        const fused = new Map(fusedList.map(hit => [hit.assetId, hit]));
        let ids = fusedList.map(hit => hit.assetId);
        if (sort.by !== 'relevance') {
            ids = db.prepare(`SELECT a.id FROM assets a WHERE a.id IN (SELECT value FROM json_each(?))
                ORDER BY ${SORT_EXPRESSIONS[sort.by]} ${sort.direction === 'asc' ? 'ASC' : 'DESC'}, a.id`).pluck().all(JSON.stringify(ids)) as number[];
        } else if (sort.direction === 'asc') {
            ids.reverse();
        }
        return { ids, fused, axes: reports, terms, tags: this.tagCloud(db, ids) };
    }

    /** The 40 most used tags among the hits. */
    protected tagCloud(db: Database, ids: readonly number[]): SearchResult['tags'] {
        if (!ids.length) {
            return [];
        }
        return db.prepare(`SELECT t.name, count(DISTINCT x.asset_id) AS count FROM asset_tags x JOIN tags t ON t.id = x.tag_id
            WHERE x.asset_id IN (SELECT value FROM json_each(?)) GROUP BY t.id ORDER BY count DESC, t.name LIMIT 40`)
            .all(JSON.stringify(ids)) as { name: string; count: number }[];
    }

    /** The listed assets (no earlier versions), every filter clause through its compiler, plus the text's negations and ext:, ANDed. */
    protected compileFilters(clauses: readonly FilterClause[], terms: readonly QueryTerm[]): SqlCondition {
        const conditions: SqlCondition[] = [LISTED_ASSETS];
        for (const clause of clauses) {
            const compiler = this.filterCompilers.getContributions().find(candidate => candidate.kind === clause.kind);
            if (!compiler) {
                throw new Error(`No search filter named "${clause.kind}" is installed.`);
            }
            conditions.push(compiler.compile(clause));
        }
        conditions.push(...textConstraints(terms));
        return { sql: conditions.map(condition => `(${condition.sql})`).join(' AND '), params: conditions.flatMap(condition => condition.params) };
    }

    protected hydrate(db: Database, answer: RankedAnswer, ids: readonly number[]): SearchHit[] {
        if (!ids.length) {
            return [];
        }
        const rows = db.prepare(`SELECT a.id, a.kind, a.width, a.height, a.layer_count, a.rating,
                (SELECT json_object('fileId', f.id, 'filePath', f.path, 'rootId', f.root_id, 'rootPath', r.path)
                    FROM files f LEFT JOIN roots r ON r.id = f.root_id WHERE f.asset_id = a.id ORDER BY f.state = 'missing', f.id LIMIT 1) AS file,
                NOT EXISTS (SELECT 1 FROM files f WHERE f.asset_id = a.id AND f.state != 'missing') AS missing,
                (SELECT json_group_array(name) FROM (SELECT DISTINCT t.name FROM asset_tags x JOIN tags t ON t.id = x.tag_id
                    WHERE x.asset_id = a.id ORDER BY t.name COLLATE NOCASE LIMIT ${SEARCH_HIT_TAG_LIMIT})) AS tag_names,
                t.name AS t_name, t.path AS t_path, t.layers AS t_layers, t.text AS t_text, t.tags AS t_tags, t.captions AS t_captions, t.comments AS t_comments, t.ocr AS t_ocr
            FROM assets a LEFT JOIN asset_text t ON t.rowid = a.id WHERE a.id IN (SELECT value FROM json_each(?))`)
            .all(JSON.stringify(ids)) as HydratedRow[];
        const byId = new Map(rows.map(row => [row.id, row]));
        const words = rankingTerms(answer.terms);
        return ids.filter(id => byId.has(id)).map(id => {
            const row = byId.get(id)!;
            const fused = answer.fused.get(id);
            const axes: SearchHit['axes'] = {};
            let similarity: number | undefined;
            let hashDistance: number | undefined;
            for (const [axis, match] of Object.entries(fused?.axes ?? {})) {
                axes[axis as SearchAxisId] = { rank: match!.rank, score: match!.candidate.score };
                similarity ??= match!.candidate.similarity;
                hashDistance ??= match!.candidate.hashDistance;
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
                    similarity: similarity === undefined ? undefined : Math.max(0, Math.round(similarity * 1000) / 10),
                    hashDistance
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

interface HydratedRow {
    id: number;
    kind: string;
    width: number | null;
    height: number | null;
    layer_count: number;
    rating: number;
    file: string | null;
    missing: number;
    tag_names: string | null;
    t_name: string | null;
    t_path: string | null;
    t_layers: string | null;
    t_text: string | null;
    t_tags: string | null;
    t_captions: string | null;
    t_comments: string | null;
    t_ocr: string | null;
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
