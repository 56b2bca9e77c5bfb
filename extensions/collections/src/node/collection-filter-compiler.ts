import { COLLECTION_FILTER_KIND } from '@imageparser/archive-core/lib/common/collection-protocol';
import type { FilterClause } from '@imageparser/archive-core/lib/common/search-protocol';
import type { SearchFilterCompiler, SqlCondition } from '@imageparser/archive-core/lib/node/search/search-filter-compiler';

/**
 * The collection filter's backend half: limits a search to one
 * collection's members (a manual collection's, or a smart collection's as
 * last computed), through the documented `filterable_collections` view
 * only, as any third-party filter would. A deleted or unknown collection
 * has no members, so the search finds nothing.
 */
export class CollectionFilterCompiler implements SearchFilterCompiler {
    readonly kind = COLLECTION_FILTER_KIND;

    compile(clause: FilterClause): SqlCondition {
        const id = clause.collectionId;
        if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) {
            throw new Error('The collection filter needs the id of a collection.');
        }
        return { sql: 'a.id IN (SELECT fc.asset_id FROM filterable_collections fc WHERE fc.collection_id = ?)', params: [id] };
    }
}
