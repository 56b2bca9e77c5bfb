import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';

/**
 * Writes `count` small PNGs of distinct solid colours into `folder`, named
 * `<prefix>-000.png`, `<prefix>-001.png`, … so that sorting by name gives
 * their order; each holds different bytes, so each becomes its own asset.
 * For tests that need many results (paging) more than real pictures.
 */
export async function writeDistinctPngs(folder: string, count: number, prefix = 'image'): Promise<string[]> {
    fs.mkdirSync(folder, { recursive: true });
    const digits = Math.max(3, String(count - 1).length);
    const files: string[] = [];
    for (let i = 0; i < count; i++) {
        const file = path.join(folder, `${prefix}-${String(i).padStart(digits, '0')}.png`);
        const background = { r: i % 256, g: Math.floor(i / 256) % 256, b: 128 };
        await sharp({ create: { width: 12, height: 8, channels: 3, background } }).png().toFile(file);
        files.push(file);
    }
    return files;
}
