import { injectable } from '@theia/core/shared/inversify';
import type { Database } from 'better-sqlite3';
import type { QueryTerm } from '../../common/query-text';
import { TextColumn } from '../store/text-grams';
import { AxisCandidate, AxisContext, AxisOutcome, SearchAxisContribution } from './search-axis';
import type { SqlCondition } from './search-filter-compiler';
import { hasBigramPhrase, isShort, matchExpression } from './text-match';

/** bm25 column weights: name, path, layers, text, tags, captions, comments, ocr (text read in the image). */
const COLUMN_WEIGHTS = '10.0, 2.0, 6.0, 5.0, 8.0, 3.0, 3.0, 4.0';

/**
 * Above this many matches, an axis asked for its top few (a fused query)
 * ranks a bounded share of them: bm25 over every match of a word found in
 * most of a million assets takes most of a second in FTS5.
 */
export const EXACT_RANK_MATCHES = 10_000;
/** How many matches the bounded ranking scores, and how many it looks at to find them past the filters. */
const BOUNDED_RANKED = 2_000;
const BOUNDED_SCANNED = 200_000;
/**
 * The bounded ranking's first tier: matches in the strongest fields (the
 * highest bm25 weights). More tiers cost a pass over the words' whole
 * posting lists each, whether they fill or not.
 */
const FIRST_TIER: readonly TextColumn[] = ['name', 'tags'];
const FILTER_CHUNK = 2_000;

/** Terms that rank: positive words and phrases (ext: is a constraint only). */
export function rankingTerms(terms: readonly QueryTerm[]): QueryTerm[] {
    return terms.filter(term => !term.negated && term.field !== 'ext');
}

interface TextPlan {
    readonly db: Database;
    /** The table that ranks, and the FTS5 expression of its terms. */
    readonly table: 'asset_text' | 'asset_grams';
    readonly expression: string;
    readonly filter: SqlCondition;
    /** The assets the other table's terms allow, when the query has both long and short terms. */
    readonly allowed?: ReadonlySet<number>;
    readonly limit: number;
}

/**
 * The S axis: SQLite FTS5 with bm25 over file names, folders, layer names,
 * text-layer text, tags, comments and text read in images (captions fill in later). Every
 * positive term must match; terms of one or two characters (Korean's
 * two-syllable words) go through the bigram table.
 *
 * Alone, the axis ranks every match exactly. Fused with other axes it answers
 * its top few; when the words match more than {@link EXACT_RANK_MATCHES}
 * assets it scores a bounded share (matches in the file name or tags first,
 * then any others, newest first) and says so in its report.
 */
@injectable()
export class TextSearchAxis implements SearchAxisContribution {
    readonly axis = 'S' as const;

    async candidates({ db, terms, filter, candidateLimit }: AxisContext): Promise<AxisOutcome> {
        const positive = rankingTerms(terms);
        if (!positive.length) {
            return { used: false, skipped: 'no-words' };
        }
        const long = positive.filter(term => !isShort(term));
        const short = positive.filter(isShort);
        const limit = Math.floor(candidateLimit);
        let plan: TextPlan;
        if (!long.length || (short.length && long.every(hasBigramPhrase))) {
            // Short terms alone, or mixed with long ones the bigram table can match as phrases: one table.
            plan = { db, filter, limit, table: 'asset_grams', expression: matchExpression(positive, 'AND', 'asset_grams') };
        } else {
            plan = {
                db, filter, limit, table: 'asset_text', expression: matchExpression(long, 'AND'),
                // Short terms restrict the long terms' matches; intersected here, as SQLite re-runs an IN (MATCH) subquery per row.
                allowed: short.length
                    ? new Set(db.prepare('SELECT rowid FROM asset_grams WHERE asset_grams MATCH ?').pluck().all(matchExpression(short, 'AND')) as number[])
                    : undefined
            };
        }
        const { table } = plan;
        if (plan.limit <= BOUNDED_RANKED) {
            const matches = db.prepare(`SELECT count(*) FROM (SELECT rowid FROM ${table} WHERE ${table} MATCH ? LIMIT ${EXACT_RANK_MATCHES + 1})`)
                .pluck().get(plan.expression) as number;
            if (matches > EXACT_RANK_MATCHES) {
                return this.rankBounded(plan);
            }
        }
        return { used: true, candidates: this.rankExact(plan) };
    }

    /** bm25 over every match that passes the filters. */
    protected rankExact({ db, table, expression, filter, allowed, limit }: TextPlan): AxisCandidate[] {
        const matches = `SELECT m.rowid AS id, bm25(${table}, ${COLUMN_WEIGHTS}) AS score FROM ${table} m WHERE ${table} MATCH ?`;
        // The matches first, then the filters on their assets: joining inside the MATCH query makes SQLite probe per asset.
        const filtered = filter.sql === '1'
            ? `${matches} ORDER BY score, id`
            : `WITH matches AS MATERIALIZED (${matches}) SELECT matches.id, matches.score FROM matches JOIN assets a ON a.id = matches.id
                WHERE (${filter.sql}) ORDER BY matches.score, matches.id`;
        const params = [expression, ...(filter.sql === '1' ? [] : filter.params)];
        let rows: [number, number][];
        if (!allowed) {
            rows = db.prepare(`${filtered} LIMIT ${limit}`).raw().all(...params) as [number, number][];
        } else {
            rows = [];
            for (const row of db.prepare(filtered).raw().iterate(...params) as IterableIterator<[number, number]>) {
                if (allowed.has(row[0])) {
                    rows.push(row);
                    if (rows.length >= limit) {
                        break;
                    }
                }
            }
        }
        return rows.map(([assetId, score]) => ({ assetId, score }));
    }

    /**
     * Up to {@link BOUNDED_RANKED} matches that pass the filters, taken tier by
     * tier (all the words in the file name or tags, then the rest), newest
     * first within a tier; ranked by tier, then by bm25 within it.
     */
    protected rankBounded(plan: TextPlan): AxisOutcome {
        const { db, table, expression } = plan;
        const taken = new Map<number, { tier: number; score: number }>();
        let scanned = 0;
        const tiers = [`{${FIRST_TIER.join(' ')}} : (${expression})`, expression];
        for (let tier = 0; tier < tiers.length && taken.size < BOUNDED_RANKED && scanned < BOUNDED_SCANNED; tier++) {
            const rows = db.prepare(`SELECT rowid, bm25(${table}, ${COLUMN_WEIGHTS}) FROM ${table} WHERE ${table} MATCH ? ORDER BY rowid DESC`)
                .raw().iterate(tiers[tier]) as IterableIterator<[number, number]>;
            let chunk: [number, number][] = [];
            const flush = () => {
                for (const [id, score] of this.passing(plan, chunk)) {
                    if (taken.size < BOUNDED_RANKED) {
                        taken.set(id, { tier, score });
                    }
                }
                chunk = [];
            };
            for (const row of rows) {
                if (taken.has(row[0]) || (plan.allowed && !plan.allowed.has(row[0]))) {
                    continue;
                }
                chunk.push(row);
                scanned++;
                if (chunk.length >= FILTER_CHUNK) {
                    flush();
                    if (taken.size >= BOUNDED_RANKED || scanned >= BOUNDED_SCANNED) {
                        break;
                    }
                }
            }
            if (chunk.length) {
                flush();
            }
            // Leave the statement's iterator before the next tier (better-sqlite3 allows one open per statement).
            rows.return?.();
        }
        const candidates = [...taken].sort(([a, x], [b, y]) => x.tier - y.tier || x.score - y.score || b - a)
            .slice(0, plan.limit).map(([assetId, { score }]) => ({ assetId, score }));
        return { used: true, candidates, bounded: { ranked: taken.size, over: EXACT_RANK_MATCHES } };
    }

    /** The rows of a chunk whose assets pass the filters, in the chunk's order. */
    protected passing({ db, filter }: TextPlan, chunk: readonly [number, number][]): readonly [number, number][] {
        if (filter.sql === '1' || !chunk.length) {
            return chunk;
        }
        const pass = new Set(db.prepare(`SELECT a.id FROM assets a WHERE a.id IN (SELECT value FROM json_each(?)) AND (${filter.sql})`)
            .pluck().all(JSON.stringify(chunk.map(([id]) => id)), ...filter.params) as number[]);
        return chunk.filter(([id]) => pass.has(id));
    }
}

/** Negated words and ext: prefixes as conditions every hit must meet, whatever the axes. */
export function textConstraints(terms: readonly QueryTerm[]): SqlCondition[] {
    const conditions: SqlCondition[] = [];
    for (const term of terms) {
        if (term.field === 'ext') {
            const exists = `EXISTS (SELECT 1 FROM files f WHERE f.asset_id = a.id AND lower(f.path) LIKE ? ESCAPE '\\')`;
            const pattern = `%.${term.value.replace(/[\\%_]/g, match => `\\${match}`)}`;
            conditions.push({ sql: term.negated ? `NOT ${exists}` : exists, params: [pattern] });
        } else if (term.negated) {
            const table = isShort(term) ? 'asset_grams' : 'asset_text';
            conditions.push({ sql: `a.id NOT IN (SELECT rowid FROM ${table} WHERE ${table} MATCH ?)`, params: [matchExpression([term], 'AND')] });
        }
    }
    return conditions;
}
