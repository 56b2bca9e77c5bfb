import type { ReactNode } from '@theia/core/shared/react';
import type { Event } from '@theia/core/lib/common/event';

/** Registered globally (Symbol.for), so a package built against another copy of search-view still contributes. */
export const SearchWidgetSection = Symbol.for('imageparser.SearchWidgetSection');

/**
 * A part another package adds to the search side bar, as the collections
 * extension adds its smart collection banner and its filter presets.
 * `place` says where it shows: `summary` under the result count and the
 * active filters, `filters` at the top of the filter panel. The search view
 * renders it again when the search model changes and when its own
 * `onDidChange` fires.
 */
export interface SearchWidgetSection {
    /** Unique across sections; the section's element carries it as `data-section`. */
    readonly id: string;
    readonly place: 'summary' | 'filters';
    /** Fires when what the section shows changed for another reason than the search. */
    readonly onDidChange?: Event<void>;
    /** The section's content, or undefined to show nothing now. */
    render(): ReactNode;
}
