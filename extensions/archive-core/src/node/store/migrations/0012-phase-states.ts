import type { Migration } from './migration';

/**
 * Phase states keyed by (asset, phase, model), so a model change leaves the
 * other models' states alone and queues only that phase for the new model;
 * with a failure's code and attempts, and the server time a state was
 * reached (rate over the last minute). Results keyed by (content hash,
 * phase, model, config version): a copy, a move or a re-index of content
 * already worked on reuses them instead of computing them again.
 */
export const phaseStatesSchema: Migration = {
    version: 12,
    name: 'phase-states',
    up: db => db.exec(`
        CREATE TABLE phase_states_keyed (
            asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
            phase TEXT NOT NULL,
            model TEXT NOT NULL DEFAULT '',
            state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed', 'skipped')),
            content_hash TEXT NOT NULL,
            config_version TEXT NOT NULL DEFAULT '',
            error_code TEXT,
            error TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL,
            updated_ms INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (asset_id, phase, model)
        );
        INSERT INTO phase_states_keyed (asset_id, phase, model, state, content_hash, error, updated_at, updated_ms)
            SELECT asset_id, phase, model, CASE WHEN state IN ('pending', 'done', 'failed', 'skipped') THEN state ELSE 'pending' END,
                content_hash, error, updated_at, CAST(coalesce(unixepoch(updated_at, 'subsec'), 0) * 1000 AS INTEGER)
            FROM phase_states;
        DROP TABLE phase_states;
        ALTER TABLE phase_states_keyed RENAME TO phase_states;
        CREATE INDEX phase_states_by_phase ON phase_states(phase, model, state, updated_ms);

        CREATE TABLE phase_results (
            content_hash TEXT NOT NULL,
            phase TEXT NOT NULL,
            model TEXT NOT NULL DEFAULT '',
            config_version TEXT NOT NULL DEFAULT '',
            result TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (content_hash, phase, model, config_version)
        ) WITHOUT ROWID;
    `)
};
