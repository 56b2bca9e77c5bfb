import type { ReactNode } from '@theia/core/shared/react';
import type { FilterClause } from '@imageparser/archive-core/lib/common/search-protocol';

/** Registered globally (Symbol.for), so a package built against another copy of search-view still contributes. */
export const SearchFilterContribution = Symbol.for('imageparser.SearchFilterContribution');

/**
 * A filter in the search view's filter panel. Its `id` is the `kind` of the
 * serializable clause it produces; archive-core compiles that clause to SQL
 * through the backend twin (`SearchFilterCompiler` with the same kind) that
 * the contributing package binds in its backend module. Third-party packages
 * depend on @imageparser/search-view and @imageparser/archive-core, bind both
 * halves, and appear in the panel without any edit here.
 */
export interface SearchFilterContribution {
    /** The clause kind, unique across filters. */
    readonly id: string;
    /** The panel's heading for the filter (localized by the contributor). */
    readonly label: string;
    /** The filter's controls; `onChange(undefined)` clears the filter. */
    render(clause: FilterClause | undefined, onChange: (clause: FilterClause | undefined) => void): ReactNode;
    /** A short text for the active-filter chip, e.g. "Orientation: portrait". */
    describe(clause: FilterClause): string;
}
