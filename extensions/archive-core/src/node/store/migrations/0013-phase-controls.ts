import type { Migration } from './migration';

/**
 * Phase controls every process on the archive honours: a paused phase is
 * not claimed by the app, the command-line tool or any other worker until
 * it is resumed.
 */
export const phaseControlsSchema: Migration = {
    version: 13,
    name: 'phase-controls',
    up: db => db.exec(`
        CREATE TABLE phase_controls (
            phase TEXT PRIMARY KEY,
            paused INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL
        ) WITHOUT ROWID;
    `)
};
