import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';

/** Writes `count` PNGs of seeded noise (each different content), `size` px square, named `<prefix>-<i>.png`; answers their paths. */
export async function writeNoisePngs(folder: string, count: number, size: number, seed: number, prefix = 'noise'): Promise<string[]> {
    fs.mkdirSync(folder, { recursive: true });
    let state = seed;
    const files: string[] = [];
    for (let i = 0; i < count; i++) {
        const pixels = Buffer.alloc(size * size * 3);
        for (let p = 0; p < pixels.length; p++) {
            state = (state * 1103515245 + 12345) & 0x7fffffff;
            pixels[p] = state >> 23;
        }
        const file = path.join(folder, `${prefix}-${i}.png`);
        await sharp(pixels, { raw: { width: size, height: size, channels: 3 } }).png({ compressionLevel: 1 }).toFile(file);
        files.push(file);
    }
    return files;
}
