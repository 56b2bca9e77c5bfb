import type { Migration } from './migration';

/**
 * The edit journal also keeps users' decisions on AI tag suggestions
 * (`ai-tags-accepted`, `ai-tags-rejected`), so undo takes them back like any
 * tag edit. SQLite cannot change a CHECK constraint: the table is rebuilt
 * with its rows copied over.
 */
export const aiTagJournalSchema: Migration = {
    version: 17,
    name: 'ai-tag-journal',
    up: db => db.exec(`
        CREATE TABLE edit_journal_with_ai (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('tags-added', 'tags-removed', 'rating', 'ai-tags-accepted', 'ai-tags-rejected')),
            author TEXT NOT NULL,
            changes TEXT NOT NULL,
            made_at TEXT NOT NULL,
            undone_at TEXT
        );
        INSERT INTO edit_journal_with_ai (id, kind, author, changes, made_at, undone_at)
            SELECT id, kind, author, changes, made_at, undone_at FROM edit_journal;
        DROP TABLE edit_journal;
        ALTER TABLE edit_journal_with_ai RENAME TO edit_journal;
        CREATE INDEX edit_journal_open ON edit_journal(author, id) WHERE undone_at IS NULL;
    `)
};
