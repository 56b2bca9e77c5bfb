import type { Migration } from './migration';

/**
 * Collections, smart collections and filter presets.
 *
 * - `collections`: one row per folder (`kind = 'folder'`, holds other
 *   collections), manual collection (`manual`, members listed in
 *   `collection_members` in their own order) or smart collection (`smart`,
 *   a saved query in `query`, members computed). `uid` is a random id that
 *   stays with the collection across archives, so a JSON or archive import
 *   merges into the same collection instead of adding a copy. `position`
 *   orders siblings; `deleted_at` marks a deleted collection that an undo can
 *   bring back (a deleted row and its members stay until purged).
 * - `collection_members`: a manual collection's assets, ordered by `position`
 *   (a REAL, so a move writes one row: the midpoint of its new neighbours).
 * - `smart_collection_members`: the smart collections' members as last
 *   computed, in the query's order (`rank`), refreshed when the archive
 *   changes; read by counts, covers and the collection filter.
 * - `filter_presets`: named filter combinations (`filters`: a JSON array of
 *   search filter clauses).
 * - `filterable_collections` (a view for search filters, as those of
 *   migration 15): `collection_id`, `asset_id`, `position` of every live
 *   (not deleted) manual or smart collection's members.
 */
export const collectionsSchema: Migration = {
    version: 22,
    name: 'collections',
    up: db => db.exec(`
        CREATE TABLE collections (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            parent_id INTEGER REFERENCES collections(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('folder', 'manual', 'smart')),
            name TEXT NOT NULL,
            position REAL NOT NULL DEFAULT 0,
            cover_asset_id INTEGER REFERENCES assets(id) ON DELETE SET NULL,
            query TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            deleted_at TEXT
        );
        CREATE INDEX collections_parent ON collections(parent_id, position);
        CREATE TABLE collection_members (
            collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
            asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
            position REAL NOT NULL,
            added_at TEXT NOT NULL,
            PRIMARY KEY (collection_id, asset_id)
        ) WITHOUT ROWID;
        CREATE INDEX collection_members_asset ON collection_members(asset_id);
        CREATE INDEX collection_members_order ON collection_members(collection_id, position);
        CREATE TABLE smart_collection_members (
            collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
            asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
            rank INTEGER NOT NULL,
            PRIMARY KEY (collection_id, asset_id)
        ) WITHOUT ROWID;
        CREATE INDEX smart_collection_members_asset ON smart_collection_members(asset_id);
        CREATE TABLE filter_presets (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            filters TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE VIEW filterable_collections AS
            SELECT m.collection_id, m.asset_id, m.position FROM collection_members m
                JOIN collections c ON c.id = m.collection_id WHERE c.deleted_at IS NULL
            UNION ALL
            SELECT s.collection_id, s.asset_id, s.rank AS position FROM smart_collection_members s
                JOIN collections c ON c.id = s.collection_id WHERE c.deleted_at IS NULL;
    `)
};
