/**
 * The built-in visual descriptor: needs no model weights. It serves "find
 * similar" until an image-embedding model is configured.
 */

/** Identifies the descriptor's definition; a change of layout needs a new name. */
export const VISUAL_DESCRIPTOR_MODEL = 'builtin-colour-v1';
const GRID = 4;
const BINS_PER_CHANNEL = 4;
/** 4 x 4 cells x RGB means, then a 4 x 4 x 4 RGB histogram. */
export const VISUAL_DESCRIPTOR_DIMENSIONS = GRID * GRID * 3 + BINS_PER_CHANNEL ** 3;

/**
 * A unit-length vector of an image's colour layout (mean colour of each cell
 * of a 4 x 4 grid) and colour distribution (the square root of a 64-bin RGB
 * histogram, so cosine similarity behaves like the Hellinger distance), each
 * half weighted equally. `rgb` is width x height x 3 bytes of sRGB.
 */
export function computeVisualDescriptor(rgb: Uint8Array, width: number, height: number): number[] {
    const layout = new Array<number>(GRID * GRID * 3).fill(0);
    const cellCounts = new Array<number>(GRID * GRID).fill(0);
    const histogram = new Array<number>(BINS_PER_CHANNEL ** 3).fill(0);
    for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
            const offset = (y * width + x) * 3;
            const r = rgb[offset], g = rgb[offset + 1], b = rgb[offset + 2];
            const cell = Math.floor(y * GRID / height) * GRID + Math.floor(x * GRID / width);
            layout[cell * 3] += r;
            layout[cell * 3 + 1] += g;
            layout[cell * 3 + 2] += b;
            cellCounts[cell]++;
            const bin = (r >> 6) * BINS_PER_CHANNEL * BINS_PER_CHANNEL + (g >> 6) * BINS_PER_CHANNEL + (b >> 6);
            histogram[bin]++;
        }
    }
    for (let cell = 0; cell < cellCounts.length; cell++) {
        for (let channel = 0; channel < 3; channel++) {
            layout[cell * 3 + channel] = layout[cell * 3 + channel] / (cellCounts[cell] || 1) / 255 - 0.5;
        }
    }
    const pixels = width * height;
    const distribution = histogram.map(count => Math.sqrt(count / pixels));
    return normalize([...normalize(layout), ...normalize(distribution)]);
}

/**
 * A 64-bit DCT perceptual hash of a 32 x 32 grayscale image: the signs of the
 * 8 x 8 lowest frequencies against their median. Near-duplicates differ in a
 * few bits (compare with {@link hammingDistance}).
 */
export function computePerceptualHash(gray: Uint8Array): string {
    const size = 32;
    const low = 8;
    const cosines = Array.from({ length: low }, (_, u) =>
        Array.from({ length: size }, (__, x) => Math.cos(((2 * x + 1) * u * Math.PI) / (2 * size))));
    const coefficients: number[] = [];
    for (let v = 0; v < low; v++) {
        for (let u = 0; u < low; u++) {
            let sum = 0;
            for (let y = 0; y < size; y++) {
                let row = 0;
                for (let x = 0; x < size; x++) {
                    row += gray[y * size + x] * cosines[u][x];
                }
                sum += row * cosines[v][y];
            }
            coefficients.push(sum);
        }
    }
    const sorted = coefficients.slice(1).sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    let hash = 0n;
    for (const coefficient of coefficients) {
        hash = (hash << 1n) | (coefficient > median ? 1n : 0n);
    }
    return hash.toString(16).padStart(16, '0');
}

/** How many of the 64 bits two perceptual hashes differ in. */
export function hammingDistance(a: string, b: string): number {
    let difference = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
    let count = 0;
    while (difference) {
        count += Number(difference & 1n);
        difference >>= 1n;
    }
    return count;
}

function normalize(vector: number[]): number[] {
    const length = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
    return length > 0 ? vector.map(value => value / length) : vector;
}
