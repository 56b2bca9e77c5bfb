import type { RgbaImage } from './psd-merged-image';

/**
 * What one band of rows may take while an image is produced a band at a
 * time: the band's own buffers (decoded channel rows, a compositor surface
 * of floats) stay under this, whatever the size of the document.
 */
export const BAND_BYTES = 32 << 20;

/** Documents with more pixels than this are decoded a band at a time (4096 x 4096). */
export const BANDED_PIXELS = 4096 * 4096;

/**
 * An image produced a band of rows at a time, as 8-bit sRGB, straight
 * (not premultiplied) alpha when `channels` is 4. Bands are read top to
 * bottom, each once.
 */
export interface BandSource {
    readonly width: number;
    readonly height: number;
    readonly channels: 3 | 4;
    /** How many rows one band should have, so its buffers stay under {@link BAND_BYTES}. */
    readonly bandRows: number;
    /** Writes rows `top` to `bottom` (exclusive), interleaved, into `out`. */
    readBand(top: number, bottom: number, out: Uint8Array): void;
}

/** Rows per band for a given cost per row, at least one. */
export function rowsPerBand(bytesPerRow: number): number {
    return Math.max(1, Math.floor(BAND_BYTES / Math.max(1, bytesPerRow)));
}

/**
 * The largest whole factor an image can be reduced by while its longest
 * side stays at least `atLeast` pixels (1: not reduced). Reducing by a box
 * of whole pixels first, then resampling what is left, is how libvips
 * shrinks too.
 */
export function shrinkFactor(width: number, height: number, atLeast: number): number {
    return Math.max(1, Math.floor(Math.max(width, height) / Math.max(1, atLeast)));
}

/**
 * Reads every band of a source into one image, reduced by `factor` (box
 * averages, weighted by alpha so transparent pixels do not darken edges).
 * With a factor above 1 only one band and the reduced image are in memory.
 */
export function collectBands(source: BandSource, factor = 1): RgbaImage {
    const { width, height, channels } = source;
    if (factor <= 1) {
        const data = new Uint8Array(width * height * channels);
        for (let top = 0; top < height; top += source.bandRows) {
            const bottom = Math.min(height, top + source.bandRows);
            source.readBand(top, bottom, data.subarray(top * width * channels, bottom * width * channels));
        }
        return { width, height, data, channels };
    }
    const outWidth = Math.ceil(width / factor), outHeight = Math.ceil(height / factor);
    const data = new Uint8Array(outWidth * outHeight * channels);
    const rows = Math.max(factor, Math.floor(source.bandRows / factor) * factor);
    const band = new Uint8Array(rows * width * channels);
    const sums = new Float64Array(outWidth * 4);
    const counts = new Uint32Array(outWidth);
    for (let top = 0; top < height; top += rows) {
        const bottom = Math.min(height, top + rows);
        source.readBand(top, bottom, band.subarray(0, (bottom - top) * width * channels));
        for (let blockTop = top; blockTop < bottom; blockTop += factor) {
            sums.fill(0);
            counts.fill(0);
            const blockBottom = Math.min(bottom, blockTop + factor);
            for (let y = blockTop; y < blockBottom; y++) {
                const row = (y - top) * width * channels;
                for (let o = 0, x0 = 0; o < outWidth; o++, x0 += factor) {
                    const x1 = Math.min(width, x0 + factor);
                    counts[o] += x1 - x0;
                    let r = 0, g = 0, b = 0, alpha = 0;
                    for (let i = row + x0 * channels, end = row + x1 * channels; i < end; i += channels) {
                        if (channels === 3) {
                            r += band[i];
                            g += band[i + 1];
                            b += band[i + 2];
                        } else {
                            const a = band[i + 3];
                            r += band[i] * a;
                            g += band[i + 1] * a;
                            b += band[i + 2] * a;
                            alpha += a;
                        }
                    }
                    sums[o * 4] += r;
                    sums[o * 4 + 1] += g;
                    sums[o * 4 + 2] += b;
                    sums[o * 4 + 3] += alpha;
                }
            }
            let out = Math.floor(blockTop / factor) * outWidth * channels;
            for (let o = 0; o < outWidth; o++, out += channels) {
                if (channels === 3) {
                    data[out] = Math.round(sums[o * 4] / counts[o]);
                    data[out + 1] = Math.round(sums[o * 4 + 1] / counts[o]);
                    data[out + 2] = Math.round(sums[o * 4 + 2] / counts[o]);
                } else if (sums[o * 4 + 3] > 0) {
                    const alpha = sums[o * 4 + 3];
                    data[out] = Math.round(sums[o * 4] / alpha);
                    data[out + 1] = Math.round(sums[o * 4 + 1] / alpha);
                    data[out + 2] = Math.round(sums[o * 4 + 2] / alpha);
                    data[out + 3] = Math.round(alpha / counts[o]);
                }
            }
        }
    }
    return { width: outWidth, height: outHeight, data, channels };
}
