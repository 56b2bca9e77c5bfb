import type { Migration } from './migration';

/**
 * What people add to assets besides tags: comments with every earlier
 * version kept, and the journal of tag and rating edits that undo walks back.
 */
export const annotationsSchema: Migration = {
    version: 6,
    name: 'annotations',
    up: db => db.exec(`
        CREATE TABLE comments (
            id INTEGER PRIMARY KEY,
            asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
            author TEXT NOT NULL,
            body TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            deleted_at TEXT
        );
        CREATE INDEX comments_asset ON comments(asset_id, id);
        CREATE TABLE comment_revisions (
            comment_id INTEGER NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
            revision INTEGER NOT NULL,
            body TEXT NOT NULL,
            author TEXT NOT NULL,
            written_at TEXT NOT NULL,
            PRIMARY KEY (comment_id, revision)
        );
        CREATE TABLE edit_journal (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('tags-added', 'tags-removed', 'rating')),
            author TEXT NOT NULL,
            changes TEXT NOT NULL,
            made_at TEXT NOT NULL,
            undone_at TEXT
        );
        CREATE INDEX edit_journal_open ON edit_journal(author, id) WHERE undone_at IS NULL;
    `)
};
