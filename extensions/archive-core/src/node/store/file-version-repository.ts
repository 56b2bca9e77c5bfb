import { inject, injectable } from '@theia/core/shared/inversify';
import type { Database } from 'better-sqlite3';
import type { FileVersions } from '../../common/asset-details-protocol';
import { ArchiveStore } from './archive-store';
import { carryAnnotations } from './asset-lineage';
import { prepared, selectValue } from './database';

/**
 * Records that a file now holds the content of `assetId`. Call it inside the
 * ingest transaction that pointed the file at the asset. When the file held
 * other content before, that version is closed, the file's annotations are
 * carried to the new content (moved, or copied when another file still holds
 * the old content) and an old content no file holds any more is marked
 * superseded, which keeps it out of search.
 */
export function recordFileContent(db: Database, fileId: number, assetId: number, contentHash: string): void {
    const open = prepared(db, 'SELECT id, asset_id FROM file_versions WHERE file_id = ? AND replaced_at IS NULL').get(fileId) as
        { id: number; asset_id: number } | undefined;
    const file = prepared(db, 'SELECT size, mtime_ms FROM files WHERE id = ?').get(fileId) as { size: number; mtime_ms: number };
    prepared(db, 'UPDATE assets SET superseded = 0 WHERE id = ? AND superseded != 0').run(assetId);
    if (open?.asset_id === assetId) {
        // Touched, not changed: the version now has the file's new modification time.
        prepared(db, 'UPDATE file_versions SET size = ?, mtime_ms = ? WHERE id = ?').run(file.size, file.mtime_ms, open.id);
        return;
    }
    const now = new Date().toISOString();
    if (open) {
        prepared(db, 'UPDATE file_versions SET replaced_at = ? WHERE id = ?').run(now, open.id);
    }
    prepared(db, 'INSERT INTO file_versions (file_id, asset_id, content_hash, size, mtime_ms, first_seen_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(fileId, assetId, contentHash, file.size, file.mtime_ms, now);
    if (open) {
        const stillHeld = selectValue<number | undefined>(db, 'SELECT 1 FROM files WHERE asset_id = ? LIMIT 1', open.asset_id) !== undefined;
        carryAnnotations(db, open.asset_id, assetId, stillHeld ? 'copy' : 'move');
        if (!stillHeld) {
            prepared(db, 'UPDATE assets SET superseded = 1 WHERE id = ?').run(open.asset_id);
        }
    }
}

/**
 * Where an asset's annotations live now: the asset itself, or, for an
 * earlier version, the content its file holds today (the annotations were
 * moved there). The edit journal undoes through this, so an undo after a
 * re-index changes the version the user sees.
 */
export function annotatedAssetOf(db: Database, assetId: number): number {
    const successor = selectValue<number | undefined>(db, `SELECT f.asset_id FROM assets a
            JOIN file_versions v ON v.asset_id = a.id AND v.replaced_at IS NOT NULL
            JOIN files f ON f.id = v.file_id AND f.asset_id IS NOT NULL
        WHERE a.id = ? AND a.superseded = 1 ORDER BY v.replaced_at DESC, v.id DESC LIMIT 1`, assetId);
    return successor ?? assetId;
}

export const FileVersionRepository = Symbol('FileVersionRepository');

/** Reads the versions of files: what each held before and holds now. */
export interface FileVersionRepository {
    /**
     * The versions of the file this asset is (or was) the content of, newest
     * first: the file holding it now, else the file it is an earlier version
     * of. Undefined when no file ever held the asset.
     */
    versionsOf(assetId: number): Promise<FileVersions | undefined>;
}

interface VersionRow {
    asset_id: number;
    content_hash: string;
    size: number;
    mtime_ms: number;
    first_seen_at: string;
    replaced_at: string | null;
    superseded: number;
}

@injectable()
export class SqliteFileVersionRepository implements FileVersionRepository {

    @inject(ArchiveStore)
    protected readonly store: ArchiveStore;

    async versionsOf(assetId: number): Promise<FileVersions | undefined> {
        const { database } = await this.store.open();
        const db = database.reader;
        const file = prepared(db, `SELECT f.id, f.path FROM file_versions v JOIN files f ON f.id = v.file_id WHERE v.asset_id = ?
            ORDER BY v.replaced_at IS NOT NULL, f.state = 'missing', v.replaced_at DESC, f.id LIMIT 1`).get(assetId) as { id: number; path: string } | undefined;
        if (!file) {
            return undefined;
        }
        const rows = prepared(db, `SELECT v.asset_id, v.content_hash, v.size, v.mtime_ms, v.first_seen_at, v.replaced_at, a.superseded
            FROM file_versions v JOIN assets a ON a.id = v.asset_id
            WHERE v.file_id = ? ORDER BY v.replaced_at IS NOT NULL, v.replaced_at DESC, v.id DESC`).all(file.id) as VersionRow[];
        return {
            path: file.path,
            versions: rows.map(row => ({
                assetId: row.asset_id,
                contentHash: row.content_hash,
                size: row.size,
                modifiedAt: new Date(row.mtime_ms).toISOString(),
                firstSeenAt: row.first_seen_at,
                replacedAt: row.replaced_at ?? undefined,
                current: row.replaced_at === null,
                superseded: !!row.superseded
            }))
        };
    }
}
