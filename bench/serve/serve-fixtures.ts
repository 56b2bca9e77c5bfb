import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { writePsdBuffer } from 'ag-psd';
import type { Layer } from 'ag-psd';
import { Random } from '../ingest/fixtures';

/** Pixels of one colour, as ag-psd takes them. */
function solid(width: number, height: number, rgba: [number, number, number, number]): ImageData {
    const data = new Uint8ClampedArray(width * height * 4);
    for (let i = 0; i < data.length; i += 4) {
        data.set(rgba, i);
    }
    return { width, height, data, colorSpace: 'srgb' } as unknown as ImageData;
}

/**
 * The images the serve bench browses: `count` 1600 x 1200 JPEGs and PNGs of
 * smooth random colours (so previews and thumbnails have real content), made
 * once and kept while the count matches.
 */
export async function ensureImages(folder: string, count: number, log: (line: string) => void): Promise<void> {
    const stamp = path.join(folder, `.made-${count}`);
    if (fs.existsSync(stamp)) {
        return;
    }
    fs.rmSync(folder, { recursive: true, force: true });
    fs.mkdirSync(folder, { recursive: true });
    log(`bench: generating ${count} images in ${folder}`);
    const random = new Random(20_261_130);
    for (let i = 0; i < count; i++) {
        const tiny = random.bytes(4 * 3 * 3);
        const image = sharp(tiny, { raw: { width: 4, height: 3, channels: 3 } }).resize(1600, 1200, { kernel: 'cubic' });
        const name = path.join(folder, `image-${String(i).padStart(4, '0')}`);
        await (i % 4 === 3 ? image.png({ compressionLevel: 3 }).toFile(`${name}.png`) : image.jpeg({ quality: 85 }).toFile(`${name}.jpg`));
    }
    fs.writeFileSync(stamp, '');
}

/**
 * A hostile PSD: a 6000 x 6000 canvas whose layer tree nests `depth` groups,
 * each holding a small pixel layer, so compositing it takes the render
 * lane seconds of work; made once.
 */
export function ensureHostilePsd(file: string, depth: number): void {
    if (fs.existsSync(file)) {
        return;
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    let node: Layer = { name: 'leaf', left: 0, top: 0, right: 64, bottom: 64, imageData: solid(64, 64, [255, 0, 0, 255]) };
    for (let i = 0; i < depth; i++) {
        const offset = (i * 11) % 5900;
        node = {
            name: `group ${i}`, opened: true, children: [node,
                { name: `pixels ${i}`, left: offset, top: offset, right: offset + 32, bottom: offset + 32, imageData: solid(32, 32, [0, i % 255, 90, 255]) }]
        };
    }
    fs.writeFileSync(file, writePsdBuffer({ width: 6000, height: 6000, imageData: solid(6000, 6000, [20, 20, 20, 255]), children: [node] }));
}
