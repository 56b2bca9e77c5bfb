import { injectable } from '@theia/core/shared/inversify';
import type { QueryTerm } from '../../common/query-text';
import { AxisContext, AxisOutcome, SearchAxisContribution } from './search-axis';
import type { SqlCondition } from './search-filter-compiler';
import { isShort, matchExpression } from './text-match';

/** bm25 column weights: name, path, layers, text, tags, captions, comments. */
const COLUMN_WEIGHTS = '10.0, 2.0, 6.0, 5.0, 8.0, 3.0, 3.0';

/** Terms that rank: positive words and phrases (ext: is a constraint only). */
export function rankingTerms(terms: readonly QueryTerm[]): QueryTerm[] {
    return terms.filter(term => !term.negated && term.field !== 'ext');
}

/**
 * The S axis: SQLite FTS5 with bm25 over file names, folders, layer names,
 * text-layer text and tags (captions and comments fill in later). Every
 * positive term must match; terms of one or two characters (Korean's
 * two-syllable words) go through the bigram table.
 */
@injectable()
export class TextSearchAxis implements SearchAxisContribution {
    readonly axis = 'S' as const;

    async candidates({ db, terms, filter, candidateLimit }: AxisContext): Promise<AxisOutcome> {
        const positive = rankingTerms(terms);
        if (!positive.length) {
            return { used: false, skipped: 'no words to match' };
        }
        const long = positive.filter(term => !isShort(term));
        const short = positive.filter(isShort);
        const [table, ranked, other] = long.length ? ['asset_text', long, short] : ['asset_grams', short, []];
        const matches = `SELECT m.rowid AS id, bm25(${table}, ${COLUMN_WEIGHTS}) AS score FROM ${table} m WHERE ${table} MATCH ?`;
        // The matches first, then the filters on their assets: joining inside the MATCH query makes SQLite probe per asset.
        const filtered = filter.sql === '1'
            ? `${matches} ORDER BY score, id`
            : `WITH matches AS MATERIALIZED (${matches}) SELECT matches.id, matches.score FROM matches JOIN assets a ON a.id = matches.id
                WHERE (${filter.sql}) ORDER BY matches.score, matches.id`;
        const limit = Math.floor(candidateLimit);
        const params = [matchExpression(ranked, 'AND'), ...(filter.sql === '1' ? [] : filter.params)];
        let rows: [number, number][];
        if (!other.length) {
            rows = db.prepare(`${filtered} LIMIT ${limit}`).raw().all(...params) as [number, number][];
        } else {
            // Short terms restrict the long terms' matches; intersected here, as SQLite re-runs an IN (MATCH) subquery per row.
            const allowed = new Set(db.prepare('SELECT rowid FROM asset_grams WHERE asset_grams MATCH ?').pluck().all(matchExpression(other, 'AND')) as number[]);
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
        return { used: true, candidates: rows.map(([assetId, score]) => ({ assetId, score })) };
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
