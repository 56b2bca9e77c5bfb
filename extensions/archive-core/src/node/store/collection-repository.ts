import { randomUUID } from 'crypto';
import { inject, injectable } from '@theia/core/shared/inversify';
import type { Database } from 'better-sqlite3';
import type { Collection, CollectionKind } from '../../common/collection-protocol';
import { ArchiveStore } from './archive-store';
import { prepared } from './database';
import { insertMembers, siblingPosition } from './collection-positions';

export const CollectionRepository = Symbol('CollectionRepository');

/** How long a deleted collection can still be restored; the next delete after that removes it for good. */
export const DELETED_COLLECTION_KEEP_DAYS = 30;

/** Where a collection goes: a folder (undefined: the top) and before which live sibling (undefined: last). */
export interface CollectionPlacement {
    readonly parentId?: number;
    readonly beforeId?: number;
}

/** What a new collection starts with. */
export interface NewCollection {
    readonly kind: CollectionKind;
    readonly name: string;
    readonly place?: CollectionPlacement;
    /** A manual collection's first members, in order. */
    readonly assetIds?: readonly number[];
    /** A smart collection's saved search, as JSON text. */
    readonly query?: string;
}

/** A live smart collection's id and saved search (JSON text). */
export interface SmartCollectionQuery {
    readonly id: number;
    readonly query: string;
}

/**
 * Collections, folders and their members in an archive (migration 22).
 * Every change runs in one write transaction and throws a readable Error
 * for an unknown or deleted collection, an unknown asset, a member
 * operation on the wrong kind of collection, or a folder moved into itself;
 * `ArchiveErrors.ReadOnly` on a read-only archive. Names arrive checked.
 */
export interface CollectionRepository {
    /** Every live collection: the top ones, then each folder's, each in its order (ascending position). */
    list(): Promise<Collection[]>;
    get(id: number): Promise<Collection | undefined>;
    create(collection: NewCollection): Promise<number>;
    rename(id: number, name: string): Promise<void>;
    move(id: number, place: CollectionPlacement): Promise<void>;
    /** Replaces a smart collection's saved search (JSON text). */
    setQuery(id: number, query: string): Promise<void>;
    setCover(id: number, assetId: number | undefined): Promise<void>;
    /** Marks the collection and everything in it deleted, all with one time stamp; purges deletions older than {@link DELETED_COLLECTION_KEEP_DAYS}. */
    delete(id: number): Promise<void>;
    /** Brings back what one {@link delete} of this collection took away; at the top when its folder is gone. */
    restore(id: number): Promise<void>;
    members(id: number): Promise<number[]>;
    addAssets(id: number, assetIds: readonly number[], beforeAssetId?: number): Promise<number>;
    removeAssets(id: number, assetIds: readonly number[]): Promise<number>;
    reorder(id: number, assetIds: readonly number[], beforeAssetId?: number): Promise<void>;
    collectionsOf(assetId: number): Promise<number[]>;
    /** The live smart collections' saved searches. */
    smartQueries(): Promise<SmartCollectionQuery[]>;
    /** Stores a smart collection's members in rank order; writes nothing and answers false when they are already those. */
    replaceSmartMembers(id: number, assetIds: readonly number[]): Promise<boolean>;
}

interface CollectionRow {
    id: number;
    uid: string;
    kind: CollectionKind;
    name: string;
    parent_id: number | null;
    position: number;
    cover_asset_id: number | null;
    first_member: number | null;
    cover_is_member: number;
    count: number;
    query: string | null;
    created_at: string;
    updated_at: string;
}

const SELECT_COLLECTIONS = `SELECT c.id, c.uid, c.kind, c.name, c.parent_id, c.position, c.cover_asset_id, c.query, c.created_at, c.updated_at,
        CASE c.kind WHEN 'manual' THEN (SELECT count(*) FROM collection_members m WHERE m.collection_id = c.id)
            WHEN 'smart' THEN (SELECT count(*) FROM smart_collection_members s WHERE s.collection_id = c.id) ELSE 0 END AS count,
        CASE c.kind WHEN 'manual' THEN (SELECT m.asset_id FROM collection_members m WHERE m.collection_id = c.id ORDER BY m.position, m.asset_id LIMIT 1)
            WHEN 'smart' THEN (SELECT s.asset_id FROM smart_collection_members s WHERE s.collection_id = c.id ORDER BY s.rank LIMIT 1) END AS first_member,
        c.cover_asset_id IN (SELECT m.asset_id FROM collection_members m WHERE m.collection_id = c.id
            UNION ALL SELECT s.asset_id FROM smart_collection_members s WHERE s.collection_id = c.id) AS cover_is_member
    FROM collections c WHERE c.deleted_at IS NULL`;

@injectable()
export class SqliteCollectionRepository implements CollectionRepository {

    @inject(ArchiveStore)
    protected readonly store: ArchiveStore;

    async list(): Promise<Collection[]> {
        const { database } = await this.store.open();
        const rows = prepared(database.reader, `${SELECT_COLLECTIONS} ORDER BY c.parent_id IS NOT NULL, c.parent_id, c.position, c.id`).all() as CollectionRow[];
        return rows.map(toCollection);
    }

    async get(id: number): Promise<Collection | undefined> {
        const { database } = await this.store.open();
        const row = prepared(database.reader, `${SELECT_COLLECTIONS} AND c.id = ?`).get(id) as CollectionRow | undefined;
        return row && toCollection(row);
    }

    async create(collection: NewCollection): Promise<number> {
        const { database } = await this.store.open();
        return database.write(db => {
            const parentId = this.checkFolder(db, collection.place?.parentId);
            const position = siblingPosition(db, parentId, collection.place?.beforeId);
            const now = new Date().toISOString();
            const id = Number(prepared(db, `INSERT INTO collections (uid, parent_id, kind, name, position, query, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(randomUUID(), parentId, collection.kind, collection.name, position,
                collection.kind === 'smart' ? collection.query ?? null : null, now, now).lastInsertRowid);
            if (collection.assetIds?.length) {
                insertMembers(db, id, collection.assetIds, undefined);
            }
            return id;
        });
    }

    async rename(id: number, name: string): Promise<void> {
        const { database } = await this.store.open();
        database.write(db => {
            this.live(db, id);
            prepared(db, 'UPDATE collections SET name = ?, updated_at = ? WHERE id = ?').run(name, new Date().toISOString(), id);
        });
    }

    async move(id: number, place: CollectionPlacement): Promise<void> {
        const { database } = await this.store.open();
        database.write(db => {
            this.live(db, id);
            const parentId = this.checkFolder(db, place.parentId);
            for (let folder = parentId; folder !== null; folder = prepared(db, 'SELECT parent_id FROM collections WHERE id = ?').pluck().get(folder) as number | null) {
                if (folder === id) {
                    throw new Error('A folder cannot be moved into itself or into a folder inside it.');
                }
            }
            const position = siblingPosition(db, parentId, place.beforeId, id);
            prepared(db, 'UPDATE collections SET parent_id = ?, position = ?, updated_at = ? WHERE id = ?').run(parentId, position, new Date().toISOString(), id);
        });
    }

    async setQuery(id: number, query: string): Promise<void> {
        const { database } = await this.store.open();
        database.write(db => {
            this.live(db, id, 'smart');
            prepared(db, 'UPDATE collections SET query = ?, updated_at = ? WHERE id = ?').run(query, new Date().toISOString(), id);
        });
    }

    async setCover(id: number, assetId: number | undefined): Promise<void> {
        const { database } = await this.store.open();
        database.write(db => {
            const kind = this.live(db, id);
            if (kind === 'folder') {
                throw new Error('A folder has no cover: choose the cover of a collection.');
            }
            if (assetId !== undefined) {
                const table = kind === 'manual' ? 'collection_members' : 'smart_collection_members';
                if (!prepared(db, `SELECT 1 FROM ${table} WHERE collection_id = ? AND asset_id = ?`).get(id, assetId)) {
                    throw new Error(`Asset ${assetId} is not in the collection: only a member can be its cover.`);
                }
            }
            prepared(db, 'UPDATE collections SET cover_asset_id = ?, updated_at = ? WHERE id = ?').run(assetId ?? null, new Date().toISOString(), id);
        });
    }

    async delete(id: number): Promise<void> {
        const { database } = await this.store.open();
        database.write(db => {
            this.live(db, id);
            // Each delete's time stamp is its own (later than every other), so a restore brings back what this delete took and no more.
            const latest = prepared(db, 'SELECT max(deleted_at) FROM collections').pluck().get() as string | null;
            const now = new Date(Math.max(Date.now(), latest ? Date.parse(latest) + 1 : 0));
            prepared(db, `WITH RECURSIVE doomed(id) AS (SELECT ? UNION ALL SELECT c.id FROM collections c JOIN doomed d ON c.parent_id = d.id WHERE c.deleted_at IS NULL)
                UPDATE collections SET deleted_at = ? WHERE id IN (SELECT id FROM doomed)`).run(id, now.toISOString());
            // Deletions too old to be undone go for good (their members with them).
            const cutoff = new Date(now.getTime() - DELETED_COLLECTION_KEEP_DAYS * 24 * 3600_000).toISOString();
            prepared(db, 'DELETE FROM collections WHERE deleted_at IS NOT NULL AND deleted_at < ?').run(cutoff);
        });
    }

    async restore(id: number): Promise<void> {
        const { database } = await this.store.open();
        database.write(db => {
            const row = prepared(db, 'SELECT deleted_at, parent_id FROM collections WHERE id = ?').get(id) as { deleted_at: string | null; parent_id: number | null } | undefined;
            if (!row) {
                throw new Error(`There is no collection ${id}.`);
            }
            if (row.deleted_at === null) {
                return;
            }
            // Only what that one delete took away: its contents deleted earlier stay deleted.
            prepared(db, `WITH RECURSIVE undone(id) AS (SELECT ? UNION ALL SELECT c.id FROM collections c JOIN undone u ON c.parent_id = u.id WHERE c.deleted_at = ?)
                UPDATE collections SET deleted_at = NULL WHERE id IN (SELECT id FROM undone)`).run(id, row.deleted_at);
            const parentAlive = row.parent_id === null || !!prepared(db, 'SELECT 1 FROM collections WHERE id = ? AND deleted_at IS NULL').get(row.parent_id);
            if (!parentAlive) {
                prepared(db, 'UPDATE collections SET parent_id = NULL, position = ? WHERE id = ?').run(siblingPosition(db, null, undefined, id), id);
            }
        });
    }

    async members(id: number): Promise<number[]> {
        const { database } = await this.store.open();
        const kind = this.live(database.reader, id);
        if (kind === 'smart') {
            return prepared(database.reader, 'SELECT asset_id FROM smart_collection_members WHERE collection_id = ? ORDER BY rank').pluck().all(id) as number[];
        }
        return prepared(database.reader, 'SELECT asset_id FROM collection_members WHERE collection_id = ? ORDER BY position, asset_id').pluck().all(id) as number[];
    }

    async addAssets(id: number, assetIds: readonly number[], beforeAssetId?: number): Promise<number> {
        const { database } = await this.store.open();
        return database.write(db => {
            this.live(db, id, 'manual');
            const added = insertMembers(db, id, assetIds, beforeAssetId);
            if (added) {
                this.touch(db, id);
            }
            return added;
        });
    }

    async removeAssets(id: number, assetIds: readonly number[]): Promise<number> {
        const { database } = await this.store.open();
        return database.write(db => {
            this.live(db, id, 'manual');
            const removed = prepared(db, 'DELETE FROM collection_members WHERE collection_id = ? AND asset_id IN (SELECT value FROM json_each(?))')
                .run(id, JSON.stringify(assetIds)).changes;
            if (removed) {
                this.touch(db, id);
            }
            return removed;
        });
    }

    async reorder(id: number, assetIds: readonly number[], beforeAssetId?: number): Promise<void> {
        const { database } = await this.store.open();
        database.write(db => {
            this.live(db, id, 'manual');
            const order = prepared(db, 'SELECT asset_id FROM collection_members WHERE collection_id = ? ORDER BY position, asset_id').pluck().all(id) as number[];
            const moving = new Set(assetIds);
            const members = new Set(order);
            const missing = assetIds.find(assetId => !members.has(assetId));
            if (missing !== undefined) {
                throw new Error(`Asset ${missing} is not in the collection: only members can be reordered.`);
            }
            if (beforeAssetId !== undefined && !members.has(beforeAssetId)) {
                throw new Error(`Asset ${beforeAssetId} is not in the collection: nothing can be placed before it.`);
            }
            // Dropped before one of the moved assets: before the first member after it that stays.
            let anchor = beforeAssetId;
            if (anchor !== undefined && moving.has(anchor)) {
                anchor = order.slice(order.indexOf(anchor)).find(assetId => !moving.has(assetId));
            }
            const moved = order.filter(assetId => moving.has(assetId));
            prepared(db, 'DELETE FROM collection_members WHERE collection_id = ? AND asset_id IN (SELECT value FROM json_each(?))').run(id, JSON.stringify(moved));
            insertMembers(db, id, moved, anchor);
            this.touch(db, id);
        });
    }

    async collectionsOf(assetId: number): Promise<number[]> {
        const { database } = await this.store.open();
        return prepared(database.reader, `SELECT c.id FROM collection_members m JOIN collections c ON c.id = m.collection_id
            WHERE m.asset_id = ? AND c.deleted_at IS NULL ORDER BY c.name, c.id`).pluck().all(assetId) as number[];
    }

    async smartQueries(): Promise<SmartCollectionQuery[]> {
        const { database } = await this.store.open();
        return prepared(database.reader, `SELECT id, query FROM collections WHERE kind = 'smart' AND deleted_at IS NULL AND query IS NOT NULL ORDER BY id`)
            .all() as SmartCollectionQuery[];
    }

    async replaceSmartMembers(id: number, assetIds: readonly number[]): Promise<boolean> {
        const { database } = await this.store.open();
        if (database.readOnly) {
            // A read-only archive shows its smart collections as they were last computed.
            return false;
        }
        const current = prepared(database.reader, 'SELECT asset_id FROM smart_collection_members WHERE collection_id = ? ORDER BY rank').pluck().all(id) as number[];
        if (current.length === assetIds.length && current.every((assetId, index) => assetId === assetIds[index])) {
            return false;
        }
        return database.write(db => {
            if (!prepared(db, "SELECT 1 FROM collections WHERE id = ? AND kind = 'smart'").get(id)) {
                return false;
            }
            prepared(db, 'DELETE FROM smart_collection_members WHERE collection_id = ?').run(id);
            // Only assets that still exist: a search answered before a delete may name one that is gone.
            prepared(db, `INSERT OR IGNORE INTO smart_collection_members (collection_id, asset_id, rank)
                SELECT ?, j.value, j.key FROM json_each(?) j JOIN assets a ON a.id = j.value`).run(id, JSON.stringify(assetIds));
            return true;
        });
    }

    /** The kind of a live collection; throws for an unknown or deleted one, or one not of `kind`. */
    protected live(db: Database, id: number, kind?: CollectionKind): CollectionKind {
        const found = prepared(db, 'SELECT kind FROM collections WHERE id = ? AND deleted_at IS NULL').pluck().get(id) as CollectionKind | undefined;
        if (!found) {
            throw new Error(`There is no collection ${id}.`);
        }
        if (kind && found !== kind) {
            throw new Error(kind === 'manual'
                ? `Collection ${id} is a ${found === 'smart' ? 'smart collection: its search chooses its members' : 'folder: it holds collections, not images'}.`
                : `Collection ${id} is not a smart collection.`);
        }
        return found;
    }

    /** A live folder's id (NULL: the top); throws for anything else. */
    protected checkFolder(db: Database, parentId: number | undefined): number | null {
        if (parentId === undefined) {
            return null;
        }
        if (this.live(db, parentId) !== 'folder') {
            throw new Error(`Collection ${parentId} is not a folder: only folders hold collections.`);
        }
        return parentId;
    }

    protected touch(db: Database, id: number): void {
        prepared(db, 'UPDATE collections SET updated_at = ? WHERE id = ?').run(new Date().toISOString(), id);
    }
}

function toCollection(row: CollectionRow): Collection {
    const chosen = row.cover_asset_id !== null && !!row.cover_is_member;
    return {
        id: row.id,
        uid: row.uid,
        kind: row.kind,
        name: row.name,
        parentId: row.parent_id ?? undefined,
        position: row.position,
        count: row.count,
        coverAssetId: chosen ? row.cover_asset_id! : row.first_member ?? undefined,
        coverChosen: chosen,
        query: row.query ? JSON.parse(row.query) : undefined,
        createdAt: row.created_at,
        updatedAt: row.updated_at
    };
}
