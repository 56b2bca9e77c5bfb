import { inject, injectable } from '@theia/core/shared/inversify';
import type { Database } from 'better-sqlite3';
import { COLLECTION_FILTER_KIND, CollectionKind, CollectionsImportReport, SmartQuery } from '../../common/collection-protocol';
import type { CollectionsJson, CollectionsJsonCollection, CollectionsJsonMember } from '../../common/collections-json';
import type { FilterClause } from '../../common/search-protocol';
import { ArchiveStore } from './archive-store';
import { prepared } from './database';
import { siblingPosition } from './collection-positions';

export const CollectionsJsonRepository = Symbol('CollectionsJsonRepository');

/** A collection as it leaves the archive: ids resolved to uids, members and references to content hashes and paths. */
export type ExportedCollection = CollectionsJsonCollection;

/**
 * The reads and the one write transaction behind collections JSON: export
 * (collections with their members by content hash and paths) and import
 * (merge by uid; members matched by content hash, then by path; what
 * matches nothing reported). A collection filter in a saved search or a
 * preset travels with the named collection's uid (`collectionUid`) and is
 * mapped back to this archive's collection on import (to none, id 0, when
 * the archive does not have it). `nearDuplicatesOf` names an asset of one
 * archive only and does not travel.
 */
export interface CollectionsJsonRepository {
    /** The live collections `ids` name with all they hold (none given: every live one), parents before children. Throws for an unknown id. */
    exportCollections(ids: readonly number[] | undefined): Promise<ExportedCollection[]>;
    /** Every filter preset, its collection filters carrying uids. */
    exportPresets(): Promise<CollectionsJson['presets']>;
    /** Merges a checked file in one write transaction; the ids of the smart collections it added. */
    importCollections(file: CollectionsJson): Promise<{ report: CollectionsImportReport; addedSmart: number[] }>;
}

interface Row {
    id: number;
    uid: string;
    kind: CollectionKind;
    name: string;
    parent_id: number | null;
    position: number;
    cover_asset_id: number | null;
    query: string | null;
    created_at: string;
    updated_at: string;
}

@injectable()
export class SqliteCollectionsJsonRepository implements CollectionsJsonRepository {

    @inject(ArchiveStore)
    protected readonly store: ArchiveStore;

    async exportCollections(ids: readonly number[] | undefined): Promise<ExportedCollection[]> {
        const { database } = await this.store.open();
        const db = database.reader;
        return db.transaction(() => {
            for (const id of ids ?? []) {
                if (!prepared(db, 'SELECT 1 FROM collections WHERE id = ? AND deleted_at IS NULL').get(id)) {
                    throw new Error(`There is no collection ${id}.`);
                }
            }
            const rows = (ids === undefined
                ? prepared(db, `WITH RECURSIVE tree(id, depth) AS (SELECT id, 0 FROM collections WHERE parent_id IS NULL AND deleted_at IS NULL
                        UNION ALL SELECT c.id, t.depth + 1 FROM collections c JOIN tree t ON c.parent_id = t.id WHERE c.deleted_at IS NULL)
                    SELECT c.* FROM collections c JOIN tree t ON t.id = c.id ORDER BY t.depth, c.parent_id, c.position, c.id`).all()
                : prepared(db, `WITH RECURSIVE tree(id, depth) AS (SELECT value, 0 FROM json_each(?)
                        UNION ALL SELECT c.id, t.depth + 1 FROM collections c JOIN tree t ON c.parent_id = t.id WHERE c.deleted_at IS NULL)
                    SELECT c.* FROM collections c JOIN (SELECT id, min(depth) AS depth FROM tree GROUP BY id) t ON t.id = c.id
                    ORDER BY t.depth, c.parent_id, c.position, c.id`).all(JSON.stringify(ids))) as Row[];
            const included = new Map(rows.map(row => [row.id, row.uid]));
            return rows.map(row => this.exportRow(db, row, included));
        })();
    }

    async exportPresets(): Promise<CollectionsJson['presets']> {
        const { database } = await this.store.open();
        const rows = prepared(database.reader, 'SELECT uid, name, filters FROM filter_presets ORDER BY name COLLATE NOCASE, id').all() as { uid: string; name: string; filters: string }[];
        return rows.map(row => ({ uid: row.uid, name: row.name, filters: this.filtersWithUids(database.reader, JSON.parse(row.filters)) }));
    }

    async importCollections(file: CollectionsJson): Promise<{ report: CollectionsImportReport; addedSmart: number[] }> {
        const { database } = await this.store.open();
        return database.write(db => {
            const report = { collectionsAdded: 0, collectionsMerged: 0, presetsAdded: 0, membersAdded: 0, matchedByHash: 0, matchedByPath: 0, unmatched: [] as CollectionsImportReport['unmatched'][number][] };
            const addedSmart: number[] = [];
            const newSmart: [number, CollectionsJsonCollection][] = [];
            const idOfUid = (uid: string) => prepared(db, 'SELECT id FROM collections WHERE uid = ?').pluck().get(uid) as number | undefined;
            for (const entry of file.collections) {
                const existing = prepared(db, 'SELECT id, kind, deleted_at FROM collections WHERE uid = ?').get(entry.uid) as { id: number; kind: CollectionKind; deleted_at: string | null } | undefined;
                if (existing && existing.kind !== entry.kind) {
                    throw new Error(`Collection "${entry.name}" is a ${entry.kind} in the file but a ${existing.kind} here: nothing was imported.`);
                }
            }
            for (const entry of orderedParentsFirst(file.collections)) {
                const match = (member: CollectionsJsonMember) => this.match(db, member, entry.name, report);
                const parentUid = entry.parentUid;
                const parentRow = parentUid === undefined ? undefined
                    : prepared(db, "SELECT id FROM collections WHERE uid = ? AND kind = 'folder' AND deleted_at IS NULL").pluck().get(parentUid) as number | undefined;
                const parentId = parentRow ?? null;
                let id = idOfUid(entry.uid);
                if (id !== undefined) {
                    report.collectionsMerged++;
                    const deleted = prepared(db, 'SELECT deleted_at FROM collections WHERE id = ?').pluck().get(id) as string | null;
                    if (deleted !== null) {
                        prepared(db, 'UPDATE collections SET deleted_at = NULL, parent_id = ?, position = ? WHERE id = ?').run(parentId, siblingPosition(db, parentId, undefined, id), id);
                    }
                } else {
                    report.collectionsAdded++;
                    id = Number(prepared(db, `INSERT INTO collections (uid, parent_id, kind, name, position, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
                        .run(entry.uid, parentId, entry.kind, entry.name, siblingPosition(db, parentId, undefined), entry.createdAt, new Date().toISOString()).lastInsertRowid);
                    if (entry.kind === 'smart') {
                        addedSmart.push(id);
                        newSmart.push([id, entry]);
                    }
                }
                if (entry.kind === 'manual') {
                    const assetIds = (entry.members ?? []).map(match).filter((assetId): assetId is number => assetId !== undefined);
                    const added = this.appendMembers(db, id, assetIds);
                    report.membersAdded += added;
                    if (added) {
                        prepared(db, 'UPDATE collections SET updated_at = ? WHERE id = ?').run(new Date().toISOString(), id);
                    }
                }
                const cover = entry.cover && entry.kind !== 'folder' ? this.find(db, entry.cover) : undefined;
                if (cover) {
                    prepared(db, 'UPDATE collections SET cover_asset_id = ? WHERE id = ? AND cover_asset_id IS NULL').run(cover.assetId, id);
                }
            }
            // Once every collection of the file is here: a saved search may name any of them.
            for (const [id, entry] of newSmart) {
                const query = entry.query && this.importQuery(db, entry, report);
                prepared(db, 'UPDATE collections SET query = ? WHERE id = ?').run(query ? JSON.stringify(query) : null, id);
            }
            for (const preset of file.presets) {
                if (!prepared(db, 'SELECT 1 FROM filter_presets WHERE uid = ?').get(preset.uid)) {
                    const now = new Date().toISOString();
                    prepared(db, 'INSERT INTO filter_presets (uid, name, filters, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
                        .run(preset.uid, preset.name, JSON.stringify(this.filtersWithIds(db, preset.filters)), now, now);
                    report.presetsAdded++;
                }
            }
            return { report, addedSmart };
        });
    }

    protected exportRow(db: Database, row: Row, included: ReadonlyMap<number, string>): ExportedCollection {
        const parentUid = row.parent_id === null ? undefined : included.get(row.parent_id);
        const base = { uid: row.uid, kind: row.kind, name: row.name, parentUid, position: row.position, createdAt: row.created_at, updatedAt: row.updated_at };
        if (row.kind === 'manual') {
            const memberIds = prepared(db, 'SELECT asset_id FROM collection_members WHERE collection_id = ? ORDER BY position, asset_id').pluck().all(row.id) as number[];
            const cover = row.cover_asset_id !== null && memberIds.includes(row.cover_asset_id) ? this.reference(db, row.cover_asset_id) : undefined;
            return { ...base, members: memberIds.map(assetId => this.reference(db, assetId)!).filter(Boolean), cover };
        }
        if (row.kind === 'smart' && row.query) {
            const { nearDuplicatesOf: _nearDuplicatesOf, ...query } = JSON.parse(row.query) as SmartQuery;
            const references = (query.references?.assetIds ?? []).map(assetId => this.reference(db, assetId)).filter((member): member is CollectionsJsonMember => !!member);
            const cover = row.cover_asset_id !== null ? this.reference(db, row.cover_asset_id) : undefined;
            return { ...base, query: { ...query, filters: query.filters && this.filtersWithUids(db, query.filters) }, references, cover };
        }
        return base;
    }

    /** An asset as content hash and its files' paths; undefined when it is gone. */
    protected reference(db: Database, assetId: number): CollectionsJsonMember | undefined {
        const contentHash = prepared(db, 'SELECT content_hash FROM assets WHERE id = ?').pluck().get(assetId) as string | undefined;
        if (contentHash === undefined) {
            return undefined;
        }
        const paths = prepared(db, "SELECT path FROM files WHERE asset_id = ? ORDER BY state = 'missing', id").pluck().all(assetId) as string[];
        return { contentHash, paths };
    }

    protected filtersWithUids(db: Database, filters: readonly FilterClause[]): FilterClause[] {
        return filters.map(clause => clause.kind !== COLLECTION_FILTER_KIND ? clause
            : { ...clause, collectionUid: prepared(db, 'SELECT uid FROM collections WHERE id = ?').pluck().get(Number(clause.collectionId)) ?? clause.collectionUid });
    }

    protected filtersWithIds(db: Database, filters: readonly FilterClause[]): FilterClause[] {
        return filters.map(clause => {
            if (clause.kind !== COLLECTION_FILTER_KIND) {
                return clause;
            }
            const id = typeof clause.collectionUid === 'string' ? prepared(db, 'SELECT id FROM collections WHERE uid = ?').pluck().get(clause.collectionUid) as number | undefined : undefined;
            return { ...clause, collectionId: id ?? 0 };
        });
    }

    /** The saved search with this archive's ids: references matched by content hash or path (the others reported), collection filters by uid. */
    protected importQuery(db: Database, entry: CollectionsJsonCollection, report: { unmatched: CollectionsImportReport['unmatched'][number][]; matchedByHash: number; matchedByPath: number }): SmartQuery {
        const { nearDuplicatesOf: _nearDuplicatesOf, ...query } = entry.query!;
        const references = query.references && {
            mode: query.references.mode,
            assetIds: (entry.references ?? []).map(member => this.match(db, member, entry.name, report)).filter((assetId): assetId is number => assetId !== undefined)
        };
        return { ...query, references, filters: query.filters && this.filtersWithIds(db, query.filters) };
    }

    protected match(db: Database, member: CollectionsJsonMember, collection: string,
        report: { unmatched: CollectionsImportReport['unmatched'][number][]; matchedByHash: number; matchedByPath: number }): number | undefined {
        const found = this.find(db, member);
        if (!found) {
            report.unmatched.push({ collection, contentHash: member.contentHash, paths: member.paths });
            return undefined;
        }
        if (found.by === 'hash') {
            report.matchedByHash++;
        } else {
            report.matchedByPath++;
        }
        return found.assetId;
    }

    protected find(db: Database, member: CollectionsJsonMember): { assetId: number; by: 'hash' | 'path' } | undefined {
        const byHash = prepared(db, 'SELECT id FROM assets WHERE content_hash = ?').pluck().get(member.contentHash) as number | undefined;
        if (byHash !== undefined) {
            return { assetId: byHash, by: 'hash' };
        }
        for (const path of member.paths) {
            const byPath = prepared(db, 'SELECT asset_id FROM files WHERE path = ? AND asset_id IS NOT NULL').pluck().get(path) as number | undefined;
            if (byPath !== undefined) {
                return { assetId: byPath, by: 'path' };
            }
        }
        return undefined;
    }

    /** Adds the assets not yet in the collection at its end, in order; answers how many. */
    protected appendMembers(db: Database, id: number, assetIds: readonly number[]): number {
        let last = (prepared(db, 'SELECT max(position) FROM collection_members WHERE collection_id = ?').pluck().get(id) as number | null) ?? 0;
        const now = new Date().toISOString();
        let added = 0;
        for (const assetId of new Set(assetIds)) {
            if (prepared(db, 'INSERT OR IGNORE INTO collection_members (collection_id, asset_id, position, added_at) VALUES (?, ?, ?, ?)').run(id, assetId, last + 1, now).changes) {
                last++;
                added++;
            }
        }
        return added;
    }
}

/** The file's collections with every folder of the file before what it holds (the file's order otherwise). */
function orderedParentsFirst(collections: readonly CollectionsJsonCollection[]): CollectionsJsonCollection[] {
    const byUid = new Map(collections.map(collection => [collection.uid, collection]));
    const depth = (collection: CollectionsJsonCollection): number => {
        let count = 0;
        for (let up = collection.parentUid && byUid.get(collection.parentUid); up; up = up.parentUid ? byUid.get(up.parentUid) : undefined) {
            count++;
        }
        return count;
    };
    return collections.map((collection, index) => ({ collection, index, depth: depth(collection) }))
        .sort((a, b) => a.depth - b.depth || a.collection.position - b.collection.position || a.index - b.index)
        .map(item => item.collection);
}
