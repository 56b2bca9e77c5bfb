import type { SearchSort, SortField } from '@imageparser/archive-core/lib/common/search-protocol';

/**
 * The direction a sort field starts in when the user picks it, as people
 * expect it: names A to Z; dates newest first; rating, resolution, layer
 * count and relevance highest first; a collection's own order (`manual`)
 * first to last. The direction button flips it.
 */
export function defaultSortDirection(field: SortField): SearchSort['direction'] {
    return field === 'name' || field === 'manual' ? 'asc' : 'desc';
}
