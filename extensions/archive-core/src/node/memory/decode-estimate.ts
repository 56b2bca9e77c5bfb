import * as fs from 'fs';
import sharp from 'sharp';
import { BAND_BYTES, BANDED_PIXELS, PsdSurvey, shrinkFactor, surveyPsdFile } from '@imageparser/psd';
import { PREVIEW_SIZE } from '../ingest/thumbnails';

/**
 * What a task does with a file, for its memory estimate: index it (a
 * preview-sized composite), build the Deep Zoom pyramid (the full image),
 * composite its layers for the viewer (fitted in `maxSize`), or draw one
 * layer's thumbnail.
 */
export type DecodeUse =
    | { readonly op: 'parse'; readonly withHash?: boolean }
    | { readonly op: 'pyramid' }
    | { readonly op: 'layers'; readonly maxSize: number }
    | { readonly op: 'layer-thumbnail' };

/** What a task is expected to hold, and for PSDs what its survey found (the layer caps are checked on it). */
export interface DecodeEstimate {
    /** Everything: file bytes read into memory, decoded pixels, band buffers, layer pixels. */
    readonly bytes: number;
    /** The part that is the document's layer pixels (ag-psd's RGBA per layer and mask), held while the layers stay cached. */
    readonly layerBytes: number;
    readonly survey?: PsdSurvey;
}

/** Encoders, previews and libvips' working set beside the pixels themselves. */
const WORKING_BYTES = 16 << 20;
/** libvips streams PNG and JPEG; what one decode holds at a time, beside the file. */
const STREAMED_RASTER_BYTES = 64 << 20;

/**
 * Estimates the memory a task will need from the file's header, before
 * anything is decoded: width x height x channels x bytes per channel for
 * what is decoded whole, one band for what is decoded a band at a time,
 * plus the layer pixels for layered reads and the file itself when it is
 * read into memory. A file whose header cannot be read gets a small
 * estimate; its worker then reports the real error.
 */
export async function estimateDecodeBytes(file: string, kind: string, use: DecodeUse): Promise<DecodeEstimate> {
    if (kind === 'psd' || kind === 'psb') {
        let survey: PsdSurvey;
        try {
            survey = await surveyPsdFile(file);
        } catch {
            return { bytes: await fileSize(file) + WORKING_BYTES, layerBytes: 0 };
        }
        return estimatePsd(survey, use);
    }
    const size = await fileSize(file);
    if (use.op !== 'pyramid') {
        return { bytes: (use.op === 'parse' && use.withHash ? size : 0) + STREAMED_RASTER_BYTES, layerBytes: 0 };
    }
    try {
        if (!(await fs.promises.stat(file)).isFile()) {
            return { bytes: STREAMED_RASTER_BYTES, layerBytes: 0 };
        }
        // A rotated image is held whole while its tiles are cut.
        const { width = 0, height = 0, channels = 4 } = await sharp(file).metadata();
        return { bytes: width * height * channels + tileStrips(width) + WORKING_BYTES, layerBytes: 0 };
    } catch {
        return { bytes: STREAMED_RASTER_BYTES, layerBytes: 0 };
    }
}

/** The estimate for a surveyed PSD, as {@link estimateDecodeBytes} explains. */
export function estimatePsd(survey: PsdSurvey, use: DecodeUse): DecodeEstimate {
    const { width, height, channels, depth } = survey.header;
    const pixels = width * height;
    const bytesPerSample = Math.max(1, depth / 8);
    // The whole document decoded: its channels, and the 8-bit RGBA it becomes.
    const whole = pixels * channels * bytesPerSample + (depth === 8 && survey.header.colorMode === 3 ? 0 : pixels * 4);
    const bandable = survey.mergedCompression === 0 || survey.mergedCompression === 1;
    const reduced = (atLeast: number) => {
        const factor = shrinkFactor(width, height, atLeast);
        return Math.ceil(width / factor) * Math.ceil(height / factor) * 4;
    };
    // ag-psd's layered read holds every layer's pixels; a flattened document, its stored composite as RGBA.
    const layerBytes = survey.fileBytes + (survey.layerCount > 0 ? survey.layerPixelBytes : pixels * 4 * bytesPerSample);
    const fromLayers = survey.hasRealMergedData === false || survey.mergedCompression === undefined;
    let bytes: number;
    switch (use.op) {
        case 'parse': {
            const factor = shrinkFactor(width, height, 2 * PREVIEW_SIZE);
            const stored = bandable && (factor > 1 || pixels > BANDED_PIXELS) ? BAND_BYTES + reduced(2 * PREVIEW_SIZE) : whole;
            bytes = survey.fileBytes + (fromLayers && survey.layerCount > 0 ? layerBytes + BAND_BYTES + reduced(2 * PREVIEW_SIZE) : stored);
            break;
        }
        case 'pyramid': {
            const full = pixels * 4;
            const stored = bandable ? full + (pixels > BANDED_PIXELS ? BAND_BYTES : 0) : whole + full;
            bytes = survey.fileBytes + (fromLayers && survey.layerCount > 0 ? layerBytes + BAND_BYTES + full : stored) + tileStrips(width);
            break;
        }
        case 'layers':
            bytes = layerBytes + BAND_BYTES + reduced(2 * use.maxSize);
            break;
        case 'layer-thumbnail':
            bytes = layerBytes + BAND_BYTES;
            break;
    }
    return { bytes: bytes + WORKING_BYTES, layerBytes: use.op === 'layers' || use.op === 'layer-thumbnail' ? layerBytes : 0, survey };
}

/** What libvips holds while cutting Deep Zoom tiles: a strip of 512 px tiles for each level. */
function tileStrips(width: number): number {
    return width * 514 * 4 * 2;
}

async function fileSize(file: string): Promise<number> {
    try {
        return (await fs.promises.stat(file)).size;
    } catch {
        return 0;
    }
}
