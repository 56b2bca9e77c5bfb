import type { Database } from 'better-sqlite3';
import type { ImportConflict } from '../../common/archive-transfer-protocol';
import type { MergeCounts } from './archive-import-merge';
import { prepared, selectValue } from './database';
import type { ExportFile } from './export-file';
import { FolderMapping, insertImportedRow, remapFilters, remapSavedQuery } from './import-rows';

type Row = Record<string, unknown>;

/** Collections by uid: new ones with their place, members and cover; ones here gain the members they lack, at their end. */
export function mergeImportedCollections(db: Database, source: ExportFile, assets: ReadonlyMap<number, number>,
    counts: MergeCounts, conflicts: ImportConflict[], mapFolder?: FolderMapping): Map<number, number> {
    const rows = source.rows('collections', 'id').filter(row => row.deleted_at === null || row.deleted_at === undefined);
    if (!rows.length) {
        return new Map();
    }
    const collections = new Map<number, number>();
    const added = new Set<number>();
    const byId = new Map(rows.map(row => [row.id as number, row]));
    const place = (row: Row, depth: number): number => {
        const fileId = row.id as number;
        const known = collections.get(fileId);
        if (known !== undefined) {
            return known;
        }
        const existing = prepared(db, 'SELECT id, name FROM collections WHERE uid = ?').get(row.uid) as { id: number; name: string } | undefined;
        if (existing) {
            collections.set(fileId, existing.id);
            if (existing.name !== row.name) {
                conflicts.push({ kind: 'collection', subject: existing.name, local: existing.name, incoming: String(row.name) });
            }
            return existing.id;
        }
        const parent = byId.get(row.parent_id as number);
        const parentId = parent && depth < byId.size ? place(parent, depth + 1) : null;
        // A file whose parents run in a circle placed this one on the way round: the circle is cut at the top.
        const placed = collections.get(fileId);
        if (placed !== undefined) {
            return placed;
        }
        const id = insertImportedRow(db, 'collections', row, {
            parent_id: parentId, cover_asset_id: assets.get(row.cover_asset_id as number) ?? null, deleted_at: null
        }, { skip: ['id', 'query'] })!;
        collections.set(fileId, id);
        added.add(id);
        counts.collectionsAdded++;
        return id;
    };
    rows.forEach(row => place(row, 0));
    for (const row of rows) {
        const id = collections.get(row.id as number)!;
        if (added.has(id) && row.query !== null && row.query !== undefined) {
            prepared(db, 'UPDATE collections SET query = ? WHERE id = ?').run(remapSavedQuery(row.query, assets, collections, mapFolder) ?? null, id);
        }
    }
    const merged = new Set<number>();
    const end = new Map<number, number>();
    for (const row of source.rows('collection_members', 'collection_id, position')) {
        const id = collections.get(row.collection_id as number);
        const asset = assets.get(row.asset_id as number);
        if (id === undefined || asset === undefined) {
            continue;
        }
        let position = row.position as number;
        if (!added.has(id)) {
            if (!end.has(id)) {
                end.set(id, selectValue<number | null>(db, 'SELECT max(position) FROM collection_members WHERE collection_id = ?', id) ?? 0);
            }
            position = end.get(id)! + 1;
        }
        if (insertImportedRow(db, 'collection_members', row, { collection_id: id, asset_id: asset, position }, { orIgnore: true }) !== undefined) {
            if (!added.has(id)) {
                end.set(id, position);
                merged.add(id);
            }
        }
    }
    counts.collectionsMerged += merged.size;
    return collections;
}

/** Presets by uid; one here with other filters is a conflict (this archive's kept). */
export function mergeImportedPresets(db: Database, source: ExportFile, collections: ReadonlyMap<number, number>,
    counts: MergeCounts, conflicts: ImportConflict[], mapFolder?: FolderMapping): void {
    for (const row of source.rows('filter_presets', 'id')) {
        let filters = row.filters as string;
        try {
            const parsed = JSON.parse(filters);
            filters = Array.isArray(parsed) ? JSON.stringify(remapFilters(parsed, collections, mapFolder)) : filters;
        } catch {
            continue;
        }
        const existing = prepared(db, 'SELECT name, filters FROM filter_presets WHERE uid = ?').get(row.uid) as { name: string; filters: string } | undefined;
        if (!existing) {
            insertImportedRow(db, 'filter_presets', row, { filters }, { skip: ['id'] });
            counts.presetsAdded++;
        } else if (existing.filters !== filters || existing.name !== row.name) {
            conflicts.push({ kind: 'preset', subject: existing.name, local: existing.filters, incoming: filters });
        }
    }
}
