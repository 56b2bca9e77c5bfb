import { inject, injectable } from '@theia/core/shared/inversify';
import { ArchiveStore } from './archive-store';
import { selectValue } from './database';

/** One asset: a unique image content, however many files carry it. */
export interface AssetRecord {
    readonly id: number;
    readonly contentHash: string;
    readonly kind: string;
    readonly width?: number;
    readonly height?: number;
    readonly thumbnailHash?: string;
    readonly thumbnailMime?: string;
    /** The WebP preview (about 1024 px); set by the ingester. */
    readonly previewHash?: string;
    readonly registeredAt: string;
}

export type NewAsset = Omit<AssetRecord, 'id' | 'registeredAt' | 'previewHash'>;

export const AssetRepository = Symbol('AssetRepository');

/** The assets table; the only code that reads or writes it. */
export interface AssetRepository {
    /** The assets search can show: earlier versions of files (superseded content) are not counted. */
    count(): Promise<number>;
    get(id: number): Promise<AssetRecord | undefined>;
    /** Adds an asset, or returns the id of the one with the same content hash. */
    add(asset: NewAsset): Promise<number>;
}

interface AssetRow {
    id: number;
    content_hash: string;
    kind: string;
    width: number | null;
    height: number | null;
    thumbnail_hash: string | null;
    thumbnail_mime: string | null;
    preview_hash: string | null;
    registered_at: string;
}

@injectable()
export class SqliteAssetRepository implements AssetRepository {

    @inject(ArchiveStore)
    protected readonly store: ArchiveStore;

    async count(): Promise<number> {
        const { database } = await this.store.open();
        return selectValue<number>(database.reader, 'SELECT count(*) FROM assets WHERE superseded = 0');
    }

    async get(id: number): Promise<AssetRecord | undefined> {
        const { database } = await this.store.open();
        const row = database.reader.prepare('SELECT * FROM assets WHERE id = ?').get(id) as AssetRow | undefined;
        return row && {
            id: row.id,
            contentHash: row.content_hash,
            kind: row.kind,
            width: row.width ?? undefined,
            height: row.height ?? undefined,
            thumbnailHash: row.thumbnail_hash ?? undefined,
            thumbnailMime: row.thumbnail_mime ?? undefined,
            previewHash: row.preview_hash ?? undefined,
            registeredAt: row.registered_at
        };
    }

    async add(asset: NewAsset): Promise<number> {
        const { database } = await this.store.open();
        return database.write(db => {
            db.prepare(`INSERT INTO assets (content_hash, kind, width, height, thumbnail_hash, thumbnail_mime, registered_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (content_hash) DO NOTHING`)
                .run(asset.contentHash, asset.kind, asset.width ?? null, asset.height ?? null,
                    asset.thumbnailHash ?? null, asset.thumbnailMime ?? null, new Date().toISOString());
            return selectValue<number>(db, 'SELECT id FROM assets WHERE content_hash = ?', asset.contentHash);
        });
    }
}
