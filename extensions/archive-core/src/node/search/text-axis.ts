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
        const params: unknown[] = [matchExpression(ranked, 'AND')];
        let sql = `SELECT m.rowid AS id, bm25(${table}, ${COLUMN_WEIGHTS}) AS score FROM ${table} m JOIN assets a ON a.id = m.rowid
            WHERE ${table} MATCH ?`;
        if (other.length) {
            sql += ' AND m.rowid IN (SELECT rowid FROM asset_grams WHERE asset_grams MATCH ?)';
            params.push(matchExpression(other, 'AND'));
        }
        sql += ` AND (${filter.sql}) ORDER BY score, m.rowid LIMIT ${Math.floor(candidateLimit)}`;
        const rows = db.prepare(sql).raw().all(...params, ...filter.params) as [number, number][];
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
