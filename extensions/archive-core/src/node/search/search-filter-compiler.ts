import type { FilterClause } from '../../common/search-protocol';

/** A piece of SQL over the `filterable_assets` view, aliased `a`, with its parameters (see {@link SearchFilterCompiler}). */
export interface SqlCondition {
    readonly sql: string;
    readonly params: readonly unknown[];
}

/** Registered globally (Symbol.for), so a package built against another copy of archive-core still contributes. */
export const SearchFilterCompiler = Symbol.for('imageparser.SearchFilterCompiler');

/**
 * The backend twin of a search filter: compiles the filter's serializable
 * clause to an SQL condition. Built-in filters and third-party packages
 * contribute these (bound as `SearchFilterCompiler` in a backend module and
 * collected by a root contribution provider); the engine finds
 * the compiler by the clause's `kind` and ANDs the conditions.
 *
 * A condition may name only these views (created by the archive's
 * migrations; the tables behind them may change, the views stay):
 *
 * - `filterable_assets`, always aliased `a` (the condition is evaluated per
 *   row of it): the assets search lists (earlier versions of changed files
 *   are not among them). Columns: `id`, `kind` (`psd`, `psb`, `png`,
 *   `jpeg`), `width`, `height` (pixels, NULL when unknown), `layer_count`,
 *   `rating` (0-5), `registered_at` (ISO 8601 text, when the content was
 *   added), `modified_ms` (newest modification time of its files, ms since
 *   1970), `phash` (64-bit perceptual hash as hex, or NULL).
 * - `filterable_files`: one row per file of an asset, for `EXISTS`
 *   subqueries on `asset_id = a.id`: `asset_id`, `path` (full path),
 *   `state` (`indexed`, `missing`, `failed`, ...), `size` (bytes), `mtime_ms`.
 * - `filterable_tags`: one row per tag on an asset: `asset_id`, `tag_id`,
 *   `name` (compares without case).
 * - `filterable_collections`: one row per member of a live (not deleted)
 *   manual or smart collection: `collection_id`, `asset_id`, `position`
 *   (the member's place in the collection's order, ascending: a manual
 *   collection's own order, a smart collection's rank as last computed).
 *
 * Values go in `params` (`?` placeholders), never into the SQL text. The
 * store runs the condition; a compiler never touches the database.
 */
export interface SearchFilterCompiler {
    readonly kind: string;
    /** Throws an Error with a readable message for a malformed clause. */
    compile(clause: FilterClause): SqlCondition;
}

/** Helpers for compilers: checked numbers and strings from a clause. */
export namespace ClauseValues {
    export function optionalNumber(clause: FilterClause, key: string): number | undefined {
        const value = clause[key];
        if (value === undefined || value === null) {
            return undefined;
        }
        if (typeof value !== 'number' || !Number.isFinite(value)) {
            throw new Error(`The ${clause.kind} filter's ${key} must be a number.`);
        }
        return value;
    }

    export function optionalDate(clause: FilterClause, key: string): string | undefined {
        const value = clause[key];
        if (value === undefined || value === null || value === '') {
            return undefined;
        }
        if (typeof value !== 'string' || isNaN(Date.parse(value))) {
            throw new Error(`The ${clause.kind} filter's ${key} must be a date.`);
        }
        return new Date(value).toISOString();
    }

    export function strings(clause: FilterClause, key: string): string[] {
        const value = clause[key];
        if (!Array.isArray(value) || value.some(item => typeof item !== 'string')) {
            throw new Error(`The ${clause.kind} filter's ${key} must be a list of strings.`);
        }
        return value as string[];
    }

    /** `lower <= expression <= upper`, either end open; an empty condition when both are. */
    export function range(expression: string, lower: unknown, upper: unknown): SqlCondition {
        const parts: string[] = [];
        const params: unknown[] = [];
        if (lower !== undefined) {
            parts.push(`${expression} >= ?`);
            params.push(lower);
        }
        if (upper !== undefined) {
            parts.push(`${expression} <= ?`);
            params.push(upper);
        }
        return { sql: parts.length ? parts.join(' AND ') : '1', params };
    }
}
