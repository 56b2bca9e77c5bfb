import { COLLECTION_FILTER_KIND, CollectionKind, MAX_COLLECTION_NAME_LENGTH, SmartQuery } from '../../common/collection-protocol';
import type { FilterClause } from '../../common/search-protocol';

export { MAX_COLLECTION_NAME_LENGTH };
/** The most assets one call adds, removes or moves. */
export const MAX_ASSETS_PER_CALL = 100_000;

/** How deep a saved search or a preset's filters may nest (objects and lists); a real one nests four levels. */
export const MAX_SAVED_SEARCH_DEPTH = 32;
/** The longest saved search or preset, as JSON text. */
export const MAX_SAVED_SEARCH_LENGTH = 4 * 1024 * 1024;

const KINDS: readonly CollectionKind[] = ['folder', 'manual', 'smart'];

/** Whether `value` nests objects and lists deeper than `max` (counted without recursion, so any depth is safe to ask about). */
function nestsDeeperThan(value: unknown, max: number): boolean {
    const pending: [unknown, number][] = [[value, 1]];
    while (pending.length) {
        const [item, depth] = pending.pop()!;
        if (item && typeof item === 'object') {
            if (depth > max) {
                return true;
            }
            for (const child of Object.values(item)) {
                pending.push([child, depth + 1]);
            }
        }
    }
    return false;
}

/** Refuses a saved search or filter list nested absurdly deep or too long to store. */
function checkSize(value: unknown, what: 'Filters' | "A smart collection's search"): void {
    const plural = what === 'Filters';
    if (nestsDeeperThan(value, MAX_SAVED_SEARCH_DEPTH)) {
        throw new Error(`${what} ${plural ? 'nest' : 'nests'} more than ${MAX_SAVED_SEARCH_DEPTH} levels deep.`);
    }
    if (JSON.stringify(value).length > MAX_SAVED_SEARCH_LENGTH) {
        throw new Error(`${what} ${plural ? 'are' : 'is'} longer than ${MAX_SAVED_SEARCH_LENGTH / 1024 / 1024} MiB.`);
    }
}

/**
 * Checks of what arrives over RPC (or from a JSON file) before it reaches
 * the store: each throws an Error a user can read.
 */
export namespace CollectionInput {

    export function id(value: unknown, what = 'collection'): number {
        if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
            throw new Error(`A ${what} id must be a positive whole number.`);
        }
        return value;
    }

    export function optionalId(value: unknown, what = 'collection'): number | undefined {
        return value === undefined || value === null ? undefined : id(value, what);
    }

    export function kind(value: unknown): CollectionKind {
        if (!KINDS.includes(value as CollectionKind)) {
            throw new Error(`A collection is a folder, a manual collection or a smart collection, not "${String(value)}".`);
        }
        return value as CollectionKind;
    }

    /** The name trimmed; refused when empty or too long. */
    export function name(value: unknown): string {
        const text = typeof value === 'string' ? value.trim() : '';
        if (!text) {
            throw new Error('A name cannot be empty.');
        }
        if (text.length > MAX_COLLECTION_NAME_LENGTH) {
            throw new Error(`A name can be at most ${MAX_COLLECTION_NAME_LENGTH} characters long.`);
        }
        return text;
    }

    export function assetIds(value: unknown): number[] {
        if (!Array.isArray(value) || value.some(item => typeof item !== 'number' || !Number.isSafeInteger(item) || item <= 0)) {
            throw new Error('Asset ids must be positive whole numbers.');
        }
        if (value.length > MAX_ASSETS_PER_CALL) {
            throw new Error(`One call can take at most ${MAX_ASSETS_PER_CALL.toLocaleString('en-US')} assets.`);
        }
        return value as number[];
    }

    export function filters(value: unknown): FilterClause[] {
        if (!Array.isArray(value) || value.some(item => !item || typeof item !== 'object' || Array.isArray(item) || typeof item.kind !== 'string' || !item.kind)) {
            throw new Error('Filters must be a list of filter clauses, each with a kind.');
        }
        checkSize(value, 'Filters');
        return value as FilterClause[];
    }

    /** A smart collection's search without its page; its shape checked (the search engine checks its filters). */
    export function smartQuery(value: unknown): SmartQuery {
        if (!value || typeof value !== 'object' || Array.isArray(value)) {
            throw new Error('A smart collection needs a search to save.');
        }
        checkSize(value, "A smart collection's search");
        const query = value as Record<string, unknown>;
        if (query.text !== undefined && typeof query.text !== 'string') {
            throw new Error("A smart collection's search text must be text.");
        }
        if (query.filters !== undefined) {
            filters(query.filters);
        }
        const references = query.references as { assetIds?: unknown; mode?: unknown } | undefined;
        if (references !== undefined && (!references || typeof references !== 'object' || (references.mode !== 'and' && references.mode !== 'or'))) {
            throw new Error("A smart collection's reference images need a mode, and or or.");
        }
        if (references) {
            assetIds(references.assetIds);
        }
        if (query.nearDuplicatesOf !== undefined) {
            id(query.nearDuplicatesOf, 'asset');
        }
        const weights = query.weights as Record<string, unknown> | undefined;
        if (weights !== undefined && (!weights || typeof weights !== 'object' || Object.values(weights).some(weight => typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0))) {
            throw new Error("A smart collection's axis weights must be numbers of 0 or more.");
        }
        const sort = query.sort as { by?: unknown; direction?: unknown } | undefined;
        if (sort !== undefined && (!sort || typeof sort.by !== 'string' || (sort.direction !== 'asc' && sort.direction !== 'desc'))) {
            throw new Error("A smart collection's sort needs a field and a direction.");
        }
        const { offset: _offset, limit: _limit, ...saved } = query;
        return saved as SmartQuery;
    }

    /** The collection ids the query's collection filters name. */
    export function filteredCollections(query: SmartQuery): number[] {
        return (query.filters ?? []).filter(clause => clause.kind === COLLECTION_FILTER_KIND).map(clause => Number(clause.collectionId));
    }
}
