import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import type { Sharp } from 'sharp';
import { Layer, writePsdBuffer } from 'ag-psd';

function imageData(width: number, height: number, rgba: [number, number, number, number]): ImageData {
    const data = new Uint8ClampedArray(width * height * 4);
    for (let i = 0; i < data.length; i += 4) {
        data.set(rgba, i);
    }
    return { width, height, data, colorSpace: 'srgb' } as unknown as ImageData;
}

function writePsd(file: string, width: number, height: number, layers: Layer[], background: [number, number, number, number]): void {
    fs.writeFileSync(file, writePsdBuffer({ width, height, imageData: imageData(width, height, background), children: layers }, { invalidateTextLayers: false }));
}

function textLayer(name: string, text: string): Layer {
    return {
        name, left: 10, top: 10, right: 200, bottom: 60, imageData: imageData(190, 50, [0, 0, 0, 255]),
        text: { text, transform: [1, 0, 0, 1, 10, 40], style: { font: { name: 'ArialMT' }, fontSize: 24 } }
    };
}

/** Noise-textured solid colour, so perceptual hashes differ between colours but not between re-encodings. */
async function textured(width: number, height: number, rgb: [number, number, number], seed: number): Promise<Sharp> {
    const noise = Buffer.alloc(32 * 24 * 3);
    let state = seed;
    for (let i = 0; i < noise.length; i++) {
        state = (state * 1103515245 + 12345) & 0x7fffffff;
        noise[i] = Math.max(0, Math.min(255, rgb[i % 3] + ((state >> 16) % 80) - 40));
    }
    return sharp(noise, { raw: { width: 32, height: 24, channels: 3 } }).resize(width, height, { kernel: 'cubic', fit: 'fill' });
}

/**
 * The generated part of the search test archive: Korean and English names,
 * layer names and text-layer text, colours for look-alike search, a
 * re-encoded copy for near-duplicates, and portrait/landscape/square shapes.
 */
export async function writeSearchFixtures(folder: string): Promise<void> {
    const scenes = path.join(folder, 'scenes');
    const characters = path.join(folder, 'characters');
    const colours = path.join(folder, 'colours');
    for (const dir of [scenes, characters, colours]) {
        fs.mkdirSync(dir, { recursive: true });
    }
    writePsd(path.join(scenes, 'forest.psd'), 400, 300, [
        { name: '배경', imageData: imageData(400, 300, [30, 120, 40, 255]) },
        { name: 'Sky gradient', imageData: imageData(400, 100, [120, 180, 250, 255]) },
        { name: 'Characters', opened: true, children: [{ name: 'hero sketch', imageData: imageData(50, 80, [200, 50, 50, 255]), left: 100, top: 100, right: 150, bottom: 180 }] },
        textLayer('Title', '고양이 모험 Adventure')
    ], [30, 120, 40, 255]);
    writePsd(path.join(scenes, 'city.psd'), 640, 360, [
        { name: 'Background', imageData: imageData(640, 360, [10, 10, 40, 255]) },
        { name: 'Buildings', imageData: imageData(640, 200, [60, 60, 80, 255]), top: 160, left: 0, bottom: 360, right: 640 },
        textLayer('Caption', 'Night city 야경')
    ], [10, 10, 40, 255]);
    await (await textured(500, 400, [40, 60, 200], 7)).png().toFile(path.join(characters, '캐릭터배경 hero.png'));
    await (await textured(400, 300, [220, 30, 30], 1)).png().toFile(path.join(colours, 'red-1.png'));
    await (await textured(400, 300, [220, 30, 30], 1)).resize(380, 285).jpeg({ quality: 80 }).toFile(path.join(colours, 'red-1-copy.jpg'));
    await (await textured(400, 300, [200, 40, 40], 2)).png().toFile(path.join(colours, 'red-2.png'));
    await (await textured(400, 300, [30, 40, 220], 3)).png().toFile(path.join(colours, 'blue.png'));
    await (await textured(300, 600, [240, 200, 40], 4)).png().toFile(path.join(colours, 'portrait yellow.png'));
    await (await textured(600, 300, [240, 200, 40], 5)).png().toFile(path.join(colours, 'landscape yellow.png'));
    await (await textured(300, 300, [240, 200, 40], 6)).png().toFile(path.join(colours, 'square yellow.png'));
}
