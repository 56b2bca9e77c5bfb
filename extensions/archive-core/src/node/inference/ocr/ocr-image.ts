import sharp from 'sharp';
import type { Sharp } from 'sharp';
import type { JobError } from '../../../common/job-protocol';
import { NotRegularFileError, withRegularFile } from '../../files/regular-file';
import { systemFailureOf } from '../../ingest/ingest-failures';
import { decodePsd, ParseError, ParseLimits, readPsdHeader } from '@imageparser/psd';
import { compositeSharp } from '../../media/composite-sharp';

/**
 * The most pixels Tesseract is given: a bigger image is scaled down to this
 * (about 5000 x 3300), which keeps a recognition's memory and time bounded;
 * text that becomes smaller than a few pixels high is then not read.
 */
export const OCR_MAX_PIXELS = 16_000_000;
/** Images whose longest side is shorter are read at twice their size: Tesseract reads small text better bigger. */
export const OCR_UPSCALE_BELOW = 1000;

/** One image to read: the file and its kind (`psd`, `psb`, `png`, `jpeg`). */
export interface OcrImageTask {
    readonly file: string;
    readonly kind: string;
    readonly limits: ParseLimits;
    readonly maxPixels?: number;
}

/** The image prepared for Tesseract: 8-bit grey as a binary PGM, and how it was scaled. */
export type OcrImageOutcome =
    | {
        readonly ok: true;
        readonly pgm: Uint8Array;
        readonly width: number;
        readonly height: number;
        readonly sourceWidth: number;
        readonly sourceHeight: number;
    }
    | { readonly ok: false; readonly error: JobError };

/**
 * Flattens an image for OCR: a PSD's composite (reduced while decoding when
 * it is big), a PNG or JPEG turned upright, on white, in grey, scaled to at
 * most {@link OCR_MAX_PIXELS}. Every failure is a per-image error with a
 * code: `too-large`, `corrupt`, `unsupported-format`, `unreadable`.
 */
export async function prepareOcrImage(task: OcrImageTask): Promise<OcrImageOutcome> {
    const maxPixels = task.maxPixels ?? OCR_MAX_PIXELS;
    try {
        return await withRegularFile(task.file, async opened => {
            let source: Sharp;
            let sourceWidth: number;
            let sourceHeight: number;
            if (task.kind === 'psd' || task.kind === 'psb') {
                const bytes = await opened.readAll();
                const header = readPsdHeader(bytes);
                sourceWidth = header.width;
                sourceHeight = header.height;
                const atLeast = Math.ceil(Math.max(sourceWidth, sourceHeight) * Math.min(1, Math.sqrt(maxPixels / (sourceWidth * sourceHeight))));
                source = compositeSharp(decodePsd(bytes, task.limits, { atLeast }).composite);
            } else {
                source = sharp(opened.libraryPath, { limitInputPixels: task.limits.maxPixels, sequentialRead: true }).rotate();
                const metadata = await sharp(opened.libraryPath, { limitInputPixels: task.limits.maxPixels }).metadata();
                const turned = (metadata.orientation ?? 1) >= 5;
                sourceWidth = (turned ? metadata.height : metadata.width) ?? 0;
                sourceHeight = (turned ? metadata.width : metadata.height) ?? 0;
            }
            const size = targetSize(sourceWidth, sourceHeight, maxPixels);
            const { data, info } = await source
                .flatten({ background: '#ffffff' })
                .resize(size.width, size.height, { fit: 'fill', kernel: 'lanczos3' })
                .greyscale()
                .raw()
                .toBuffer({ resolveWithObject: true });
            return { ok: true, pgm: toPgm(data, info.width, info.height, info.channels), width: info.width, height: info.height, sourceWidth, sourceHeight } as const;
        });
    } catch (error) {
        return { ok: false, error: imageErrorOf(error) };
    }
}

/** The size Tesseract gets: within the pixel cap, twice as big when small. */
export function targetSize(width: number, height: number, maxPixels: number): { width: number; height: number } {
    if (width <= 0 || height <= 0) {
        throw new ParseError('corrupt', 'The image has no size.');
    }
    let scale = Math.min(1, Math.sqrt(maxPixels / (width * height)));
    if (scale === 1 && Math.max(width, height) < OCR_UPSCALE_BELOW) {
        scale = 2;
    }
    return { width: Math.max(1, Math.floor(width * scale)), height: Math.max(1, Math.floor(height * scale)) };
}

/** A binary PGM (P5), which Tesseract's image reader takes without any decoding work. */
function toPgm(data: Buffer, width: number, height: number, channels: number): Uint8Array {
    const header = Buffer.from(`P5\n${width} ${height}\n255\n`, 'ascii');
    const grey = channels === 1 ? data : Buffer.from(Uint8Array.from({ length: width * height }, (_, i) => data[i * channels]));
    return Buffer.concat([header, grey]);
}

function imageErrorOf(error: unknown): JobError {
    if (error instanceof ParseError) {
        return { code: error.code, message: error.message };
    }
    const system = systemFailureOf(error);
    if (system) {
        return system;
    }
    const message = error instanceof Error ? error.message : String(error);
    if (/exceeds pixel limit/i.test(message)) {
        return { code: 'too-large', message: `The image has more pixels than ImageParser reads: ${message}` };
    }
    if (/unsupported image format/i.test(message)) {
        return { code: 'unsupported-format', message: `The file is not an image ImageParser reads: ${message}` };
    }
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return { code: 'missing', message: `The file is no longer there: ${message}` };
    }
    if ((error as NodeJS.ErrnoException).code || error instanceof NotRegularFileError) {
        return { code: 'unreadable', message: `The file could not be read: ${message}` };
    }
    return { code: 'corrupt', message: `The image could not be decoded: ${message}` };
}
