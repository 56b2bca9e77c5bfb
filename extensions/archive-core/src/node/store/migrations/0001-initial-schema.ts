import type { Migration } from './migration';

/** Roots, files and assets, the phase bookkeeping, the full-text table and the vector index registry. */
export const initialSchema: Migration = {
    version: 1,
    name: 'initial-schema',
    up: db => db.exec(`
        CREATE TABLE roots (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,
            added_at TEXT NOT NULL
        );

        CREATE TABLE assets (
            id INTEGER PRIMARY KEY,
            content_hash TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            width INTEGER,
            height INTEGER,
            color_mode TEXT,
            bit_depth INTEGER,
            dpi REAL,
            layer_count INTEGER NOT NULL DEFAULT 0,
            rating INTEGER NOT NULL DEFAULT 0 CHECK (rating BETWEEN 0 AND 5),
            thumbnail_hash TEXT,
            thumbnail_mime TEXT,
            registered_at TEXT NOT NULL
        );

        CREATE TABLE files (
            id INTEGER PRIMARY KEY,
            root_id INTEGER REFERENCES roots(id) ON DELETE CASCADE,
            path TEXT NOT NULL UNIQUE,
            size INTEGER NOT NULL,
            mtime_ms INTEGER NOT NULL,
            content_hash TEXT,
            asset_id INTEGER REFERENCES assets(id) ON DELETE SET NULL,
            state TEXT NOT NULL DEFAULT 'pending',
            error TEXT,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX files_asset ON files(asset_id);

        CREATE TABLE vector_indexes (
            name TEXT PRIMARY KEY,
            axis TEXT NOT NULL,
            model TEXT NOT NULL,
            dimensions INTEGER NOT NULL CHECK (dimensions > 0),
            created_at TEXT NOT NULL,
            UNIQUE (axis, model)
        );

        CREATE VIRTUAL TABLE asset_text USING fts5(
            name, path, layers, text, tags, captions, comments,
            tokenize = 'trigram'
        );
    `)
};
