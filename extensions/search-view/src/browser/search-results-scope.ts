import type { Event } from '@theia/core/lib/common/event';

/** Registered globally (Symbol.for), so a package built against another copy of search-view still contributes. */
export const SearchResultsScope = Symbol.for('imageparser.SearchResultsScope');

/** What the results are limited to, as the results editor names it above the grid and in its tab. */
export interface ResultsScope {
    /** A short name of the scope, e.g. "Collection: Red picks"; the results tab shows it too. */
    readonly title: string;
    /** Leaves the scope: the results then show every image the rest of the search finds. */
    leave(): void;
}

/**
 * Something that limits the results to a part of the archive (a collection,
 * a smart collection) and wants the results editor to say so, with one
 * click to leave it. The first contribution that answers a scope wins.
 */
export interface SearchResultsScope {
    /** Fires when the scope may have changed besides a change of the search. */
    readonly onDidChange?: Event<void>;
    /** The scope of the results shown, if any. */
    current(): ResultsScope | undefined;
}
