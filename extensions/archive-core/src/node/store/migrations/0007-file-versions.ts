import type { Migration } from './migration';

/**
 * The history of each file's content. Every file with content has one open
 * version (`replaced_at` NULL: what the file holds now) and a closed row per
 * earlier content. `assets.superseded` marks an asset that is only an
 * earlier version of some file (no file holds it any more): search leaves it
 * out, the viewer still shows it as a version. `comments.copied_from`
 * names the comment a copy was made from, when a file's thread was forked
 * (its old content is still held by a copy of the file). Existing files get
 * their current content as their first version.
 */
export const fileVersionsSchema: Migration = {
    version: 7,
    name: 'file-versions',
    up: db => db.exec(`
        CREATE TABLE file_versions (
            id INTEGER PRIMARY KEY,
            file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
            asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
            content_hash TEXT NOT NULL,
            size INTEGER NOT NULL,
            mtime_ms INTEGER NOT NULL,
            first_seen_at TEXT NOT NULL,
            replaced_at TEXT
        );
        CREATE INDEX file_versions_file ON file_versions(file_id, id);
        CREATE INDEX file_versions_asset ON file_versions(asset_id);
        CREATE UNIQUE INDEX file_versions_current ON file_versions(file_id) WHERE replaced_at IS NULL;

        ALTER TABLE assets ADD COLUMN superseded INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE comments ADD COLUMN copied_from INTEGER REFERENCES comments(id) ON DELETE SET NULL;

        INSERT INTO file_versions (file_id, asset_id, content_hash, size, mtime_ms, first_seen_at)
            SELECT id, asset_id, content_hash, size, mtime_ms, updated_at FROM files WHERE asset_id IS NOT NULL AND content_hash IS NOT NULL;
    `)
};
