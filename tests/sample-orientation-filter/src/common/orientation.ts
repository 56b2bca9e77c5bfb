import type { FilterClause } from '@imageparser/archive-core/lib/common/search-protocol';

export const ORIENTATION_FILTER = 'sample.orientation';
export type Orientation = 'portrait' | 'landscape' | 'square';
export const ORIENTATIONS: readonly Orientation[] = ['portrait', 'landscape', 'square'];

export interface OrientationClause extends FilterClause {
    readonly kind: typeof ORIENTATION_FILTER;
    readonly orientation: Orientation;
}
