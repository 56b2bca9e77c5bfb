import * as fs from 'fs';
import sharp from 'sharp';
import type { Sharp } from 'sharp';
import type { ParseLimits } from '../ingest/parse-result';
import { compositeSharp, decodePsd } from '../ingest/psd-parser';

/**
 * An asset's image at full size as a sharp pipeline: a PSD's composite (the
 * stored one, or its layers), a JPEG or PNG turned upright by its EXIF
 * orientation. The same limits as ingest apply.
 */
export async function fullImage(file: string, kind: string, limits: ParseLimits): Promise<Sharp> {
    if (kind === 'psd' || kind === 'psb') {
        const bytes = await fs.promises.readFile(file);
        return compositeSharp(decodePsd(bytes, limits).composite);
    }
    return sharp(file, { limitInputPixels: limits.maxPixels }).rotate();
}
