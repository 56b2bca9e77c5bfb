import { inject, injectable } from '@theia/core/shared/inversify';
import type { Database } from 'better-sqlite3';
import type { FileVersions } from '../../common/asset-details-protocol';
import { ArchiveStore } from './archive-store';
import { CarryOutcome, carryOnChange } from './asset-lineage';
import { prepared, selectValue } from './database';
import { assetLocation } from './asset-locations';

/**
 * Records that a file now holds the content of `assetId`. Call it inside the
 * ingest transaction that pointed the file at the asset. When the file held
 * other content before, that version is closed, the file's annotations are
 * carried to the new content unless another file already shows that content
 * (see {@link carryOnChange}; what happened is kept on the closed version)
 * and an old content no file holds any more is marked superseded, which
 * keeps it out of search.
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
        const carried = carryOnChange(db, fileId, open.asset_id, assetId);
        prepared(db, 'UPDATE file_versions SET replaced_at = ?, carried = ? WHERE id = ?').run(now, carried, open.id);
        if (selectValue<number | undefined>(db, 'SELECT 1 FROM files WHERE asset_id = ? LIMIT 1', open.asset_id) === undefined) {
            prepared(db, 'UPDATE assets SET superseded = 1 WHERE id = ?').run(open.asset_id);
        }
    }
    prepared(db, 'INSERT INTO file_versions (file_id, asset_id, content_hash, size, mtime_ms, first_seen_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(fileId, assetId, contentHash, file.size, file.mtime_ms, now);
}

/**
 * Where an asset's annotations live now: the asset itself, or, for an
 * earlier version whose annotations moved on, the content they moved to
 * (followed further while that one is an earlier version too). An earlier
 * version that kept its annotations (its file joined a content another file
 * shows) is its own answer. The edit journal undoes through this, so an undo
 * after a re-index changes the content that carries the edit, and never the
 * annotations of a file the edit was not made on.
 */
export function annotatedAssetOf(db: Database, assetId: number): number {
    let current = assetId;
    // Each step follows a later change of some file; the bound only guards a damaged archive.
    for (let step = 0; step < 10_000; step++) {
        const left = prepared(db, `SELECT v.id, v.file_id, v.carried FROM file_versions v JOIN assets a ON a.id = v.asset_id
            WHERE v.asset_id = ? AND a.superseded = 1 AND v.replaced_at IS NOT NULL ORDER BY v.replaced_at DESC, v.id DESC LIMIT 1`).get(current) as
            { id: number; file_id: number; carried: CarryOutcome | null } | undefined;
        const next = left && left.carried !== 'kept'
            ? selectValue<number | undefined>(db, 'SELECT asset_id FROM file_versions WHERE file_id = ? AND id > ? ORDER BY id LIMIT 1', left.file_id, left.id)
            : undefined;
        if (next === undefined || next === current) {
            return current;
        }
        current = next;
    }
    return current;
}

export const FileVersionRepository = Symbol('FileVersionRepository');

/** Reads the versions of files: what each held before and holds now. */
export interface FileVersionRepository {
    /**
     * The versions of the file this asset is (or was) the content of, newest
     * first: the file holding it now (of several copies, the one with the
     * longest history), else the file it is an earlier version of.
     * Undefined when no file ever held the asset.
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
        // Of several files holding the content (copies), the one with the longest history: a file overwritten with a copy's bytes
        // keeps its earlier content, with that content's annotations, in its Versions list.
        const file = prepared(db, `SELECT f.id, f.path, f.root_id, r.path AS root FROM file_versions v JOIN files f ON f.id = v.file_id
            LEFT JOIN roots r ON r.id = f.root_id WHERE v.asset_id = ?
            ORDER BY v.replaced_at IS NOT NULL, f.state = 'missing', v.replaced_at DESC,
                (SELECT count(*) FROM file_versions h WHERE h.file_id = f.id) DESC, f.id LIMIT 1`).get(assetId) as
            { id: number; path: string; root_id: number | null; root: string | null } | undefined;
        if (!file) {
            return undefined;
        }
        const rows = prepared(db, `SELECT v.asset_id, v.content_hash, v.size, v.mtime_ms, v.first_seen_at, v.replaced_at, a.superseded
            FROM file_versions v JOIN assets a ON a.id = v.asset_id
            WHERE v.file_id = ? ORDER BY v.replaced_at IS NOT NULL, v.replaced_at DESC, v.id DESC`).all(file.id) as VersionRow[];
        return {
            location: assetLocation({ fileId: file.id, filePath: file.path, rootId: file.root_id, rootPath: file.root }),
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
