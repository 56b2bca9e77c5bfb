import { inject, injectable } from '@theia/core/shared/inversify';
import { ArchiveStore } from './archive-store';
import { prepared } from './database';

/** The file on disk that stands for an asset, as the media routes serve and render it. */
export interface AssetSourceRecord {
    /** The file's path as indexed. */
    readonly path: string;
    /** The root (folder or single file) it was indexed under, when it belongs to one. */
    readonly root: string | undefined;
    readonly kind: string;
    readonly contentHash: string;
}

export const AssetFileRepository = Symbol('AssetFileRepository');

/** Which files carry which assets: resolves ids to files and back. */
export interface AssetFileRepository {
    /** The asset's first file that is not missing (by file id), or undefined when it has none or there is no such asset. */
    sourceOf(assetId: number): Promise<AssetSourceRecord | undefined>;
    /** The asset the file at exactly this path carries, when the file is indexed. */
    assetIdOf(path: string): Promise<number | undefined>;
}

@injectable()
export class SqliteAssetFileRepository implements AssetFileRepository {

    @inject(ArchiveStore)
    protected readonly store: ArchiveStore;

    async sourceOf(assetId: number): Promise<AssetSourceRecord | undefined> {
        const { database } = await this.store.open();
        const row = prepared(database.reader, `SELECT f.path, a.kind, a.content_hash, r.path AS root FROM assets a JOIN files f ON f.asset_id = a.id
                LEFT JOIN roots r ON r.id = f.root_id WHERE a.id = ? AND f.state != 'missing' ORDER BY f.id LIMIT 1`).get(assetId) as
            { path: string; kind: string; content_hash: string; root: string | null } | undefined;
        return row && { path: row.path, root: row.root ?? undefined, kind: row.kind, contentHash: row.content_hash };
    }

    async assetIdOf(path: string): Promise<number | undefined> {
        const { database } = await this.store.open();
        const id = prepared(database.reader, 'SELECT asset_id FROM files WHERE path = ?').pluck().get(path) as number | null | undefined;
        return id ?? undefined;
    }
}
