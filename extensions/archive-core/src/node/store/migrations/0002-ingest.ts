import type { Migration } from './migration';

/**
 * What the parse phase stores: image metadata, the layer tree, thumbnails, the
 * perceptual hash, per-file errors, ingest runs, tags and per-asset phase states.
 */
export const ingestSchema: Migration = {
    version: 2,
    name: 'ingest',
    up: db => db.exec(`
        ALTER TABLE assets ADD COLUMN color_space TEXT;
        ALTER TABLE assets ADD COLUMN has_alpha INTEGER;
        ALTER TABLE assets ADD COLUMN icc_profile TEXT;
        ALTER TABLE assets ADD COLUMN orientation INTEGER;
        ALTER TABLE assets ADD COLUMN captured_at TEXT;
        ALTER TABLE assets ADD COLUMN camera TEXT;
        ALTER TABLE assets ADD COLUMN software TEXT;
        ALTER TABLE assets ADD COLUMN preview_hash TEXT;
        ALTER TABLE assets ADD COLUMN phash TEXT;
        ALTER TABLE assets ADD COLUMN notes TEXT;

        ALTER TABLE files ADD COLUMN error_code TEXT;
        ALTER TABLE files ADD COLUMN run_id INTEGER REFERENCES ingest_runs(id) ON DELETE SET NULL;
        CREATE INDEX files_root_state ON files(root_id, state);
        CREATE INDEX files_run_state ON files(run_id, state);

        CREATE TABLE ingest_runs (
            id INTEGER PRIMARY KEY,
            root_id INTEGER NOT NULL REFERENCES roots(id) ON DELETE CASCADE,
            state TEXT NOT NULL CHECK (state IN ('running', 'done', 'cancelled')),
            discovered INTEGER NOT NULL DEFAULT 0,
            started_at TEXT NOT NULL,
            finished_at TEXT
        );
        CREATE UNIQUE INDEX ingest_runs_one_running ON ingest_runs(root_id) WHERE state = 'running';

        CREATE TABLE layers (
            asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            parent_idx INTEGER,
            depth INTEGER NOT NULL,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            visible INTEGER NOT NULL,
            opacity REAL NOT NULL,
            blend_mode TEXT,
            clipping INTEGER NOT NULL DEFAULT 0,
            top INTEGER, left INTEGER, bottom INTEGER, right INTEGER,
            text TEXT,
            PRIMARY KEY (asset_id, idx)
        );

        CREATE TABLE tags (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE
        );
        CREATE TABLE asset_tags (
            asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
            tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
            source TEXT NOT NULL CHECK (source IN ('user', 'ai')),
            confidence REAL,
            PRIMARY KEY (asset_id, tag_id, source)
        );

        CREATE TABLE phase_states (
            asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
            phase TEXT NOT NULL,
            state TEXT NOT NULL,
            model TEXT NOT NULL DEFAULT '',
            content_hash TEXT NOT NULL,
            error TEXT,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (asset_id, phase)
        );
    `)
};
