import type { FilterClause } from '@imageparser/archive-core/lib/common/search-protocol';
import type { SearchFilterCompiler, SqlCondition } from '@imageparser/archive-core/lib/node/search/search-filter-compiler';
import { ORIENTATION_FILTER, ORIENTATIONS } from '../common/orientation';

/**
 * The backend twin: portrait is taller than wide, landscape wider than tall,
 * square equal. Like every filter, it names only the documented view
 * `filterable_assets a` (see `SearchFilterCompiler`), never the tables.
 */
export class OrientationFilterCompiler implements SearchFilterCompiler {
    readonly kind = ORIENTATION_FILTER;

    compile(clause: FilterClause): SqlCondition {
        switch (clause.orientation) {
            case 'portrait': return { sql: 'a.height > a.width', params: [] };
            case 'landscape': return { sql: 'a.width > a.height', params: [] };
            case 'square': return { sql: 'a.width = a.height', params: [] };
            default: throw new Error(`The orientation filter is one of ${ORIENTATIONS.join(', ')}.`);
        }
    }
}
