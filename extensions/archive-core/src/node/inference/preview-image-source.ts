import sharp from 'sharp';
import { inject, injectable } from '@theia/core/shared/inversify';
import { ArchiveStore } from '../store/archive-store';
import { AssetRepository } from '../store/asset-repository';
import { AiImage, AiImageSource } from './ai-image';

/** JPEG quality of the image sent to a captioning endpoint. */
const JPEG_QUALITY = 88;

/**
 * Serves the AI phases the preview the parse phase stored for each asset
 * (at most 1024 px, upright, in sRGB): a PSD is never decoded again, and a
 * missing or damaged preview answers undefined instead of throwing.
 */
@injectable()
export class PreviewImageSource implements AiImageSource {

    @inject(ArchiveStore)
    protected readonly store: ArchiveStore;

    @inject(AssetRepository)
    protected readonly assets: AssetRepository;

    async image(assetId: number, maxEdge: number): Promise<AiImage | undefined> {
        const asset = await this.assets.get(assetId);
        const hash = asset?.previewHash ?? asset?.thumbnailHash;
        const { media } = await this.store.open();
        if (!hash || !media.has(hash)) {
            return undefined;
        }
        return decodeAiImage(media.pathOf(hash), assetId, maxEdge);
    }
}

/**
 * An image file (a path) or its bytes as the AI phases get it: at most
 * `maxEdge` pixels on its longest side (never enlarged), flattened on white,
 * in sRGB, as JPEG bytes and RGB pixels; undefined when it cannot be decoded.
 * The archive's process reads stored previews with it, a worker machine the
 * preview bytes its server sent.
 */
export async function decodeAiImage(input: string | Buffer, assetId: number, maxEdge: number): Promise<AiImage | undefined> {
    const edge = Math.max(16, Math.floor(maxEdge));
    try {
        const resized = sharp(input).resize(edge, edge, { fit: 'inside', withoutEnlargement: true })
            .flatten({ background: '#ffffff' }).toColourspace('srgb');
        const [jpeg, raw] = await Promise.all([
            resized.clone().jpeg({ quality: JPEG_QUALITY }).toBuffer(),
            resized.clone().removeAlpha().raw().toBuffer({ resolveWithObject: true })
        ]);
        return { assetId, jpeg, rgb: { data: new Uint8Array(raw.data.buffer, raw.data.byteOffset, raw.data.length), width: raw.info.width, height: raw.info.height } };
    } catch {
        return undefined;
    }
}
