import sharp from 'sharp';
import type { Sharp } from 'sharp';
import type { RegularFile } from '../files/regular-file';
import { decodePsd, ParseLimits } from '@imageparser/psd';
import { compositeSharp } from './composite-sharp';

/**
 * An asset's image at full size as a sharp pipeline: a PSD's composite (the
 * stored one, or its layers), a JPEG or PNG turned upright by its EXIF
 * orientation. The same limits as ingest apply. The file stays open until
 * the pipeline has run: a JPEG or PNG is read from it then.
 */
export async function fullImage(opened: RegularFile, kind: string, limits: ParseLimits): Promise<Sharp> {
    if (kind === 'psd' || kind === 'psb') {
        return compositeSharp(decodePsd(await opened.readAll(), limits).composite);
    }
    return sharp(opened.libraryPath, { limitInputPixels: limits.maxPixels }).rotate();
}
