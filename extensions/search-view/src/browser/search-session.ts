import { injectable } from '@theia/core/shared/inversify';
import type { FilterClause, SearchAxisId, SearchQuery, SearchSort } from '@imageparser/archive-core/lib/common/search-protocol';

export type ResultViewMode = 'grid' | 'list' | 'compact';

/** What a reload brings back: the last search as it was run, and how its results were shown. */
export interface StoredSearch {
    readonly text: string;
    readonly filters: FilterClause[];
    readonly sort?: SearchSort;
    readonly weights?: Partial<Record<SearchAxisId, number>>;
    readonly references?: SearchQuery['references'];
    readonly nearDuplicatesOf?: number;
    readonly viewMode: ResultViewMode;
}

const SORT_FIELDS = ['relevance', 'modified', 'added', 'name', 'rating', 'resolution', 'layers'];
const VIEW_MODES: ResultViewMode[] = ['grid', 'list', 'compact'];

/**
 * The last search and the view mode in the browser's local storage, so a
 * reloaded window shows what it showed. What is read back is checked field
 * by field: a damaged entry loses only what is wrong.
 */
@injectable()
export class SearchSession {
    static readonly KEY = 'imageparser.search.last';

    load(): StoredSearch | undefined {
        let stored: Record<string, unknown>;
        try {
            stored = JSON.parse(window.localStorage.getItem(SearchSession.KEY) ?? 'null');
        } catch {
            return undefined;
        }
        if (!stored || typeof stored !== 'object') {
            return undefined;
        }
        const sort = stored.sort as SearchSort | undefined;
        const references = stored.references as SearchQuery['references'];
        const weights = stored.weights as Record<string, unknown> | undefined;
        return {
            text: typeof stored.text === 'string' ? stored.text : '',
            filters: Array.isArray(stored.filters)
                ? stored.filters.filter((clause): clause is FilterClause => !!clause && typeof clause === 'object' && typeof clause.kind === 'string')
                : [],
            sort: sort && SORT_FIELDS.includes(sort.by) && (sort.direction === 'asc' || sort.direction === 'desc') ? { by: sort.by, direction: sort.direction } : undefined,
            weights: weights && typeof weights === 'object'
                ? Object.fromEntries(Object.entries(weights).filter(([axis, weight]) => ['S', 'V', 'M'].includes(axis) && typeof weight === 'number' && weight >= 0))
                : undefined,
            references: references && Array.isArray(references.assetIds) && references.assetIds.every(id => Number.isSafeInteger(id))
                && (references.mode === 'and' || references.mode === 'or') ? { assetIds: references.assetIds, mode: references.mode } : undefined,
            nearDuplicatesOf: Number.isSafeInteger(stored.nearDuplicatesOf) ? stored.nearDuplicatesOf as number : undefined,
            viewMode: VIEW_MODES.includes(stored.viewMode as ResultViewMode) ? stored.viewMode as ResultViewMode : 'grid'
        };
    }

    save(search: StoredSearch): void {
        try {
            window.localStorage.setItem(SearchSession.KEY, JSON.stringify(search));
        } catch {
            // Storage full or disabled: a reload starts afresh, searching goes on.
        }
    }
}
