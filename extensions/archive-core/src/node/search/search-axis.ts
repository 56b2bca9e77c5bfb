import type { QueryTerm } from '../../common/query-text';
import type { AxisSkipReason, BoundedRanking, SearchAxisId, SearchQuery } from '../../common/search-protocol';
import type { SearchIndexReader } from '../store/search-index-reader';
import type { SqlCondition } from './search-filter-compiler';

/** One candidate of an axis, best first in the list the axis answers. */
export interface AxisCandidate {
    readonly assetId: number;
    /** The axis's own score (bm25 for S, lower is better; similarity for V and M, higher is better). */
    readonly score: number;
    /** Similarity 0..1, when the axis measures one. */
    readonly similarity?: number;
    /** Perceptual-hash distance in bits, for near-duplicates. */
    readonly hashDistance?: number;
}

export interface AxisContext {
    /** The archive's search index for this query, read-only: axes ask it for matches instead of running SQL. */
    readonly index: SearchIndexReader;
    readonly query: SearchQuery;
    readonly terms: readonly QueryTerm[];
    /** Every condition the hits must meet (filters, negated words, ext:), over `filterable_assets a`; hand it to {@link index}. */
    readonly filter: SqlCondition;
    /** How many candidates the axis should answer at most: all that page through when it ranks alone, its top ones when fused. */
    readonly candidateLimit: number;
}

export type AxisOutcome =
    | { readonly used: true; readonly candidates: readonly AxisCandidate[]; readonly bounded?: BoundedRanking }
    | { readonly used: false; readonly skipped: AxisSkipReason };

export const SearchAxisContribution = Symbol('SearchAxisContribution');

/**
 * One search axis. The engine asks every contributed axis for its candidates
 * and fuses the answers; an axis that has nothing to go on (no words, no
 * references) or no provider configured (no caption model) says why it was
 * skipped, and the view shows that. New axes or providers are new
 * contributions, not edits to the engine.
 */
export interface SearchAxisContribution {
    readonly axis: SearchAxisId;
    candidates(context: AxisContext): Promise<AxisOutcome>;
}
