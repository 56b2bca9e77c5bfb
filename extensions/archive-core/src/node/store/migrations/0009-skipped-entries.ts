import type { Migration } from './migration';

/** What the last discovery of a run skipped: symbolic links, and FIFOs, sockets and devices (only regular files are indexed). */
export const skippedEntriesSchema: Migration = {
    version: 9,
    name: 'skipped-entries',
    up: db => db.exec(`
        ALTER TABLE ingest_runs ADD COLUMN skipped_links INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE ingest_runs ADD COLUMN skipped_special INTEGER NOT NULL DEFAULT 0;
    `)
};
