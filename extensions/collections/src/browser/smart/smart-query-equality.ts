import type { SmartQuery } from '@imageparser/archive-core/lib/common/collection-protocol';
import type { FilterClause } from '@imageparser/archive-core/lib/common/search-protocol';

/**
 * Whether two searches ask the same thing, as a user reads them: the same
 * words (surrounding spaces aside), the same filters in any order, the same
 * reference images and mode, the same axis weights (a missing weight is 1)
 * and the same sort. The smart collection banner offers "Update" only when
 * the search being edited differs from the saved one.
 */
export function sameSmartQuery(a: SmartQuery, b: SmartQuery): boolean {
    return canonicalQuery(a) === canonicalQuery(b);
}

/** A filter combination in a stable form: clauses in kind order, each clause's keys sorted. */
export function sameFilters(a: readonly FilterClause[] | undefined, b: readonly FilterClause[] | undefined): boolean {
    return canonicalFilters(a) === canonicalFilters(b);
}

function canonicalQuery(query: SmartQuery): string {
    return stableJson({
        text: query.text?.trim() || undefined,
        filters: canonicalFilters(query.filters),
        references: query.references?.assetIds.length ? { assetIds: [...query.references.assetIds].sort((x, y) => x - y), mode: query.references.mode } : undefined,
        nearDuplicatesOf: query.nearDuplicatesOf,
        weights: { S: query.weights?.S ?? 1, V: query.weights?.V ?? 1, M: query.weights?.M ?? 1 },
        sort: query.sort?.by === 'relevance' && query.sort.direction === 'desc' ? undefined : query.sort
    });
}

function canonicalFilters(filters: readonly FilterClause[] | undefined): string {
    return (filters ?? []).map(stableJson).sort().join('\n');
}

/** JSON with every object's keys sorted and undefined members left out. */
function stableJson(value: unknown): string {
    if (Array.isArray(value)) {
        return `[${value.map(stableJson).join(',')}]`;
    }
    if (value && typeof value === 'object') {
        const entries = Object.entries(value).filter(([, member]) => member !== undefined).sort(([x], [y]) => x < y ? -1 : x > y ? 1 : 0);
        return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${stableJson(member)}`).join(',')}}`;
    }
    return JSON.stringify(value) ?? 'null';
}
