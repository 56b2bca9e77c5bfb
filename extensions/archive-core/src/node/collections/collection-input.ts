import { COLLECTION_FILTER_KIND, CollectionKind, MAX_COLLECTION_NAME_LENGTH, SmartQuery } from '../../common/collection-protocol';
import type { FilterClause } from '../../common/search-protocol';

export { MAX_COLLECTION_NAME_LENGTH };
/** The most assets one call adds, removes or moves. */
export const MAX_ASSETS_PER_CALL = 100_000;

const KINDS: readonly CollectionKind[] = ['folder', 'manual', 'smart'];

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
        return value as FilterClause[];
    }

    /** A smart collection's search without its page; its shape checked (the search engine checks its filters). */
    export function smartQuery(value: unknown): SmartQuery {
        if (!value || typeof value !== 'object' || Array.isArray(value)) {
            throw new Error('A smart collection needs a search to save.');
        }
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
