import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import type { AiImage } from '../../inference/ai-image';

export type Rgb = readonly [number, number, number];

/**
 * Writes a PNG mostly of one colour (0..255 per channel) with a grey band
 * across its lower fifth and a little noise, so a model sees a picture
 * rather than a flat swatch; answers its path.
 */
export async function writeColourPng(folder: string, name: string, colour: Rgb, width = 96, height = 64): Promise<string> {
    const data = Buffer.alloc(width * height * 3);
    let seed = colour[0] * 65536 + colour[1] * 256 + colour[2] + 1;
    const noise = () => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return (seed % 17) - 8;
    };
    for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
            const base = y >= height * 0.8 ? [128, 128, 128] : colour;
            const offset = (y * width + x) * 3;
            base.forEach((channel, c) => { data[offset + c] = Math.max(0, Math.min(255, channel + noise())); });
        }
    }
    fs.mkdirSync(folder, { recursive: true });
    const file = path.join(folder, `${name}.png`);
    await sharp(data, { raw: { width, height, channels: 3 } }).png().toFile(file);
    return file;
}

/** A picture file as the AI phases get it (an `AiImage`): decoded by sharp, scaled to at most `maxEdge`, as RGB and JPEG. */
export async function aiImageOf(file: string, assetId: number, maxEdge = 1024): Promise<AiImage> {
    const scaled = sharp(file).rotate().resize({ width: maxEdge, height: maxEdge, fit: 'inside', withoutEnlargement: true }).removeAlpha().toColourspace('srgb');
    const { data, info } = await scaled.clone().raw().toBuffer({ resolveWithObject: true });
    const jpeg = await scaled.clone().jpeg({ quality: 90 }).toBuffer();
    return { assetId, jpeg, rgb: { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height } };
}
