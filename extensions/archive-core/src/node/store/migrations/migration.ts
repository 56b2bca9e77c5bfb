import type { Database } from 'better-sqlite3';

/**
 * One forward-only step of the archive schema. Versions are consecutive from 1;
 * a migration never changes once released, later needs get a new one.
 */
export interface Migration {
    readonly version: number;
    readonly name: string;
    /** Applies the step; runs inside the transaction that also records it. */
    up(db: Database): void;
}
