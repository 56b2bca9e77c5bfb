import type { Migration } from './migration';

/**
 * Processes working on an ingest run (the app and the command-line tool may
 * index one folder together) and the files each has claimed. A worker holds
 * a lease on SQLite's clock that it renews while it runs; a worker whose
 * lease ran out or whose process ended is removed, and its claims go with
 * it (`ON DELETE SET NULL`), so another process takes those files.
 */
export const ingestWorkersSchema: Migration = {
    version: 8,
    name: 'ingest-workers',
    up: db => db.exec(`
        CREATE TABLE ingest_workers (
            id TEXT PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES ingest_runs(id) ON DELETE CASCADE,
            host TEXT NOT NULL,
            pid INTEGER NOT NULL,
            lease_until INTEGER NOT NULL
        );
        CREATE INDEX ingest_workers_run ON ingest_workers(run_id);
        ALTER TABLE files ADD COLUMN claimed_by TEXT REFERENCES ingest_workers(id) ON DELETE SET NULL;
        CREATE INDEX files_claimed_by ON files(claimed_by) WHERE claimed_by IS NOT NULL;
    `)
};
