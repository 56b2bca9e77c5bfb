import type { FilterClause } from '../../common/search-protocol';

/** A piece of SQL over the assets table, aliased `a`, with its parameters. */
export interface SqlCondition {
    readonly sql: string;
    readonly params: readonly unknown[];
}

/** Registered globally (Symbol.for), so a package built against another copy of archive-core still contributes. */
export const SearchFilterCompiler = Symbol.for('imageparser.SearchFilterCompiler');

/**
 * The backend twin of a search filter: compiles the filter's serializable
 * clause to a condition on `assets a`. Built-in filters and third-party
 * packages contribute these (bound as `SearchFilterCompiler` in a backend
 * module; collected by a root contribution provider); the engine finds the
 * compiler by the clause's `kind`.
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
