import { inject, injectable } from '@theia/core/shared/inversify';
import type { MediaRoutes } from '../../common/media-protocol';
import { ArchiveStore } from '../store/archive-store';
import { AssetFileRepository } from '../store/asset-file-repository';
import { AssetRepository } from '../store/asset-repository';

/** An asset's file on disk, resolved from its id. */
export interface AssetSource {
    /** The file's path as indexed. */
    readonly file: string;
    /** The root it was indexed under; undefined when the file belongs to none. */
    readonly root: string | undefined;
    readonly kind: string;
    /** The content hash: renders and pyramids are kept per hash. */
    readonly hash: string;
}

/** A stored thumbnail or preview of an asset. */
export interface StoredAssetMedia {
    /** Where the media store keeps it. */
    readonly file: string;
    readonly mime: string;
}

export const AssetMediaService = Symbol('AssetMediaService');

/**
 * Resolves asset ids to what the media routes send: the original file an
 * asset stands for, and its stored thumbnail and preview. The routes stay
 * thin; they never see the database.
 */
export interface AssetMediaService {
    /** The asset's first file that is not missing; undefined when it has none (missing, not indexed, or no such asset). */
    sourceOf(assetId: number): Promise<AssetSource | undefined>;
    /** The asset's stored thumbnail or preview; undefined when there is none. */
    storedMedia(assetId: number, kind: MediaRoutes.Kind): Promise<StoredAssetMedia | undefined>;
}

@injectable()
export class DefaultAssetMediaService implements AssetMediaService {

    @inject(ArchiveStore)
    protected readonly store: ArchiveStore;

    @inject(AssetRepository)
    protected readonly assets: AssetRepository;

    @inject(AssetFileRepository)
    protected readonly files: AssetFileRepository;

    async sourceOf(assetId: number): Promise<AssetSource | undefined> {
        const source = await this.files.sourceOf(assetId);
        return source && { file: source.path, root: source.root, kind: source.kind, hash: source.contentHash };
    }

    async storedMedia(assetId: number, kind: MediaRoutes.Kind): Promise<StoredAssetMedia | undefined> {
        const asset = await this.assets.get(assetId);
        const { media } = await this.store.open();
        const hash = kind === 'thumbnail' ? asset?.thumbnailHash : asset?.previewHash;
        if (!hash || !media.has(hash)) {
            return undefined;
        }
        return { file: media.pathOf(hash), mime: (kind === 'thumbnail' ? asset?.thumbnailMime : undefined) ?? 'image/webp' };
    }
}
