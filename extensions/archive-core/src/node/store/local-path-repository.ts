import type { Database } from 'better-sqlite3';
import { prepared } from './database';

/** The OS paths of an asset's files, for `LocalPathService` only: no other answer of the protocol carries them. */
export namespace LocalPathRepository {
    /**
     * The path of the file `fileId` when it holds the asset, else (no
     * `fileId`) of the asset's first file on disk, else of its first missing
     * one; undefined when there is none.
     */
    export function filePath(db: Database, assetId: number, fileId?: number): string | undefined {
        if (fileId !== undefined) {
            return prepared(db, 'SELECT path FROM files WHERE id = ? AND asset_id = ?').pluck().get(fileId, assetId) as string | undefined;
        }
        return prepared(db, "SELECT path FROM files WHERE asset_id = ? ORDER BY state = 'missing', id LIMIT 1").pluck().get(assetId) as string | undefined;
    }
}
