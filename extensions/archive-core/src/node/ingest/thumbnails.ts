import sharp from 'sharp';
import type { Sharp } from 'sharp';
import { computeVisualDescriptor, computePerceptualHash } from './visual-descriptor';

/** The grid thumbnail's and the preview's longest side, in pixels. */
export const THUMBNAIL_SIZE = 256;
export const PREVIEW_SIZE = 1024;

export interface RenderedImage {
    readonly thumbnail: Uint8Array;
    readonly preview: Uint8Array;
    readonly descriptor: number[];
    readonly phash: string;
}

/**
 * From one sRGB image (already oriented), makes the WebP preview and grid
 * thumbnail (aspect kept, never enlarged), the visual descriptor and the
 * perceptual hash. The source is decoded once, at preview size.
 */
export async function renderImage(source: Sharp): Promise<RenderedImage> {
    const { data, info } = await source
        .resize(PREVIEW_SIZE, PREVIEW_SIZE, { fit: 'inside', withoutEnlargement: true })
        .toColourspace('srgb')
        .ensureAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
    const raw = { raw: { width: info.width, height: info.height, channels: 4 as const } };
    const [preview, thumbnail, small, gray] = await Promise.all([
        sharp(data, raw).webp({ quality: 82, alphaQuality: 90 }).toBuffer(),
        sharp(data, raw).resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 80 }).toBuffer(),
        sharp(data, raw).flatten({ background: '#ffffff' }).resize(16, 16, { fit: 'fill' }).raw().toBuffer(),
        sharp(data, raw).flatten({ background: '#ffffff' }).resize(32, 32, { fit: 'fill' }).grayscale().raw().toBuffer()
    ]);
    return {
        preview,
        thumbnail,
        descriptor: computeVisualDescriptor(small, 16, 16),
        phash: computePerceptualHash(gray)
    };
}
