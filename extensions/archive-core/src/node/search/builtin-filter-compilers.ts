import type { FilterClause } from '../../common/search-protocol';
import { ClauseValues, SearchFilterCompiler, SqlCondition } from './search-filter-compiler';

const { optionalNumber, optionalDate, strings, range } = ClauseValues;

/** The newest modification time of the asset's files, ms since 1970. */
export const MODIFIED_EXPRESSION = 'a.modified_ms';
export const RESOLUTION_EXPRESSION = 'max(a.width, a.height)';

function compiler(kind: string, compile: (clause: FilterClause) => SqlCondition): SearchFilterCompiler {
    return { kind, compile };
}

/**
 * The filters every archive has: dates, resolution, layers, type, rating,
 * tags, folder, state. Written, like any contributed filter, against the
 * views of {@link SearchFilterCompiler} only.
 */
export const BUILTIN_FILTER_COMPILERS: readonly SearchFilterCompiler[] = [
    compiler('modified', clause => {
        const from = optionalDate(clause, 'from');
        const to = optionalDate(clause, 'to');
        return range(MODIFIED_EXPRESSION, from && Date.parse(from), to && Date.parse(to));
    }),
    compiler('added', clause => range('a.registered_at', optionalDate(clause, 'from'), optionalDate(clause, 'to'))),
    compiler('resolution', clause => range(RESOLUTION_EXPRESSION, optionalNumber(clause, 'min'), optionalNumber(clause, 'max'))),
    compiler('layers', clause => range('a.layer_count', optionalNumber(clause, 'min'), optionalNumber(clause, 'max'))),
    compiler('rating', clause => range('a.rating', optionalNumber(clause, 'min'), optionalNumber(clause, 'max'))),
    compiler('type', clause => {
        const types = strings(clause, 'types').map(type => type.toLowerCase().replace(/^jpg$/, 'jpeg'));
        return { sql: `a.kind IN (SELECT value FROM json_each(?))`, params: [JSON.stringify(types)] };
    }),
    compiler('tags', clause => {
        const tags = strings(clause, 'tags');
        const mode = clause.mode === 'all' ? 'all' : 'any';
        if (!tags.length) {
            return { sql: '1', params: [] };
        }
        const matching = `(SELECT count(DISTINCT t.tag_id) FROM filterable_tags t
            WHERE t.asset_id = a.id AND t.name IN (SELECT value FROM json_each(?)))`;
        // Tag names compare without case (COLLATE NOCASE), so "Cat" and "cat" are one tag.
        return mode === 'all'
            ? { sql: `${matching} = ?`, params: [JSON.stringify(tags), new Set(tags.map(tag => tag.toLowerCase())).size] }
            : { sql: `${matching} > 0`, params: [JSON.stringify(tags)] };
    }),
    compiler('folder', clause => {
        const folder = String(clause.path ?? '').replace(/[\\/]+$/, '');
        if (!folder) {
            throw new Error('The folder filter needs a folder.');
        }
        // Below the folder: the path starts with it and a separator (GLOB is case-sensitive, as paths are here).
        const escaped = folder.replace(/[[\]*?]/g, match => `[${match}]`);
        return { sql: `EXISTS (SELECT 1 FROM filterable_files f WHERE f.asset_id = a.id AND (f.path GLOB ? OR f.path GLOB ?))`, params: [`${escaped}/*`, `${escaped}\\*`] };
    }),
    compiler('state', clause => {
        if (clause.state === 'missing') {
            return { sql: `NOT EXISTS (SELECT 1 FROM filterable_files f WHERE f.asset_id = a.id AND f.state != 'missing')`, params: [] };
        }
        if (clause.state === 'ok') {
            return { sql: `EXISTS (SELECT 1 FROM filterable_files f WHERE f.asset_id = a.id AND f.state != 'missing')`, params: [] };
        }
        if (clause.state === 'error') {
            return { sql: `EXISTS (SELECT 1 FROM filterable_files f WHERE f.asset_id = a.id AND f.state = 'failed')`, params: [] };
        }
        throw new Error('The state filter is "missing", "error" or "ok".');
    })
];
