/**
 * Generated inputs for the ingest benchmark. Each set is made once into a
 * folder of its own and reused while its stamp matches what was asked for.
 */
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import type { Sharp } from 'sharp';
import { Layer, writePsdBuffer } from 'ag-psd';

/** A small deterministic generator, so every run benchmarks the same files. */
export class Random {
    constructor(protected state: number) { }
    next(): number {
        this.state = (this.state + 0x6d2b79f5) | 0;
        let t = Math.imul(this.state ^ (this.state >>> 15), 1 | this.state);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    }
    int(min: number, max: number): number {
        return min + Math.floor(this.next() * (max - min + 1));
    }
    bytes(length: number): Buffer {
        const buffer = Buffer.alloc(length);
        for (let i = 0; i < length; i++) {
            buffer[i] = Math.floor(this.next() * 256);
        }
        return buffer;
    }
}

export interface FixtureSet {
    readonly folder: string;
    readonly files: string[];
    readonly bytes: number;
}

/** Makes the set unless a finished one with the same recipe is already there. */
export async function ensureSet(folder: string, recipe: string, count: number,
    make: (file: string, index: number) => Promise<void>, name: (index: number) => string,
    log: (line: string) => void): Promise<FixtureSet> {
    const stamp = path.join(folder, '.recipe');
    const files = Array.from({ length: count }, (_, i) => path.join(folder, name(i)));
    if (!fs.existsSync(stamp) || fs.readFileSync(stamp, 'utf8') !== recipe) {
        fs.rmSync(folder, { recursive: true, force: true });
        fs.mkdirSync(folder, { recursive: true });
        const started = Date.now();
        let next = 0;
        const worker = async () => {
            while (next < count) {
                const index = next++;
                await make(files[index], index);
                if ((index + 1) % 50 === 0 || index + 1 === count) {
                    log(`  generated ${index + 1}/${count} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
                }
            }
        };
        await Promise.all([worker(), worker()]);
        fs.writeFileSync(stamp, recipe);
    }
    const bytes = files.reduce((sum, file) => sum + fs.statSync(file).size, 0);
    return { folder, files, bytes };
}

/** A photo-like 4000 x 3000 JPEG: smooth colour fields under fine grain, with camera EXIF. */
export async function makePhotoJpeg(file: string, index: number): Promise<void> {
    const random = new Random(index * 7919 + 1);
    const field = random.bytes(16 * 12 * 3);
    const grain = Buffer.from(random.bytes(256 * 256 * 3).map(value => 96 + (value >> 2)));
    await sharp(field, { raw: { width: 16, height: 12, channels: 3 } })
        .resize(4000, 3000, { kernel: 'cubic' })
        .composite([{ input: grain, raw: { width: 256, height: 256, channels: 3 }, tile: true, blend: 'soft-light' }])
        .withExif({ IFD0: { Make: 'ImageParser Bench', Model: 'Synthetic 12MP', Software: 'bench/ingest' } })
        .jpeg({ quality: 88 })
        .toFile(file);
}

/** RGBA pixels of a layer: a soft-edged shape in one colour, or a painted gradient. */
async function layerPixels(random: Random, width: number, height: number): Promise<Uint8ClampedArray> {
    let image: Sharp;
    if (random.next() < 0.3) {
        image = sharp(random.bytes(6 * 6 * 4), { raw: { width: 6, height: 6, channels: 4 } }).resize(width, height, { kernel: 'cubic' });
    } else {
        const colour = `rgb(${random.int(0, 255)},${random.int(0, 255)},${random.int(0, 255)})`;
        const shape = random.next() < 0.5
            ? `<ellipse cx="${width / 2}" cy="${height / 2}" rx="${width / 2 - 2}" ry="${height / 2 - 2}" fill="${colour}"/>`
            : `<rect x="4" y="4" width="${width - 8}" height="${height - 8}" rx="${Math.min(width, height) / 8}" fill="${colour}"/>`;
        image = sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${shape}</svg>`));
    }
    const { data } = await image.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    return new Uint8ClampedArray(data.buffer, data.byteOffset, data.length);
}

function imageData(width: number, height: number, data: Uint8ClampedArray): ImageData {
    return { width, height, data, colorSpace: 'srgb' } as unknown as ImageData;
}

/**
 * A 2000 x 2000 layered PSD as an illustrator saves it: a painted background,
 * 10 to 30 layers in groups (shapes, painted patches, a text layer, a hidden
 * layer), and the stored composite of the visible ones.
 */
export async function makeLayeredPsd(file: string, index: number): Promise<void> {
    const size = 2000;
    const random = new Random(index * 104729 + 3);
    const layerCount = 10 + (index % 21);
    const background = await sharp(random.bytes(8 * 8 * 3), { raw: { width: 8, height: 8, channels: 3 } })
        .resize(size, size, { kernel: 'cubic' }).ensureAlpha().raw().toBuffer();
    const layers: { layer: Layer; input?: Buffer }[] = [];
    for (let i = 1; i < layerCount; i++) {
        const width = random.int(120, 900);
        const height = random.int(120, 900);
        const left = random.int(0, size - width);
        const top = random.int(0, size - height);
        const pixels = await layerPixels(random, width, height);
        const hidden = i % 9 === 0;
        const isText = i === 1;
        const layer: Layer = {
            name: isText ? `Title ${index}` : `${hidden ? 'Sketch' : 'Shape'} ${i} 레이어`,
            left, top, right: left + width, bottom: top + height,
            hidden,
            imageData: imageData(width, height, pixels),
            ...(isText ? {
                text: {
                    text: `Scene ${index}: 배경과 캐릭터 ${i}`,
                    transform: [1, 0, 0, 1, left, top + 40],
                    style: { font: { name: 'ArialMT' }, fontSize: 48, fillColor: { r: 20, g: 20, b: 20 } }
                }
            } : {})
        };
        layers.push({ layer, input: hidden ? undefined : Buffer.from(pixels.buffer, pixels.byteOffset, pixels.length) });
    }
    const composite = await sharp(background, { raw: { width: size, height: size, channels: 4 } })
        .composite(layers.filter(entry => entry.input).map(({ layer, input }) => ({
            input: input!, left: layer.left!, top: layer.top!,
            raw: { width: layer.right! - layer.left!, height: layer.bottom! - layer.top!, channels: 4 as const }
        })))
        .raw().toBuffer();
    const groups: Layer[] = [];
    const perGroup = Math.ceil(layers.length / 3);
    for (let g = 0; g < 3; g++) {
        const children = layers.slice(g * perGroup, (g + 1) * perGroup).map(entry => entry.layer);
        if (children.length) {
            groups.push({ name: `Group ${g + 1}`, opened: true, children });
        }
    }
    const psd = writePsdBuffer({
        width: size, height: size,
        imageData: imageData(size, size, new Uint8ClampedArray(composite.buffer, composite.byteOffset, composite.length)),
        children: [{ name: 'Background', imageData: imageData(size, size, new Uint8ClampedArray(background.buffer, background.byteOffset, background.length)) }, ...groups]
    }, { invalidateTextLayers: false });
    fs.writeFileSync(file, psd);
}

/**
 * A PSD of about 300 MB: one layer of camera-noise pixels (which RLE cannot
 * shrink) and its stored composite, the worst case for reading a document whole.
 */
export async function makeHugePsd(file: string, side: number): Promise<void> {
    const random = new Random(42);
    const pixels = new Uint8ClampedArray(side * side * 4);
    const noise = random.bytes(1 << 20);
    for (let i = 0; i < pixels.length; i += noise.length) {
        pixels.set(noise.subarray(0, Math.min(noise.length, pixels.length - i)), i);
        noise.writeUInt32LE(Math.floor(random.next() * 4294967296), random.int(0, noise.length - 4));
    }
    for (let i = 3; i < pixels.length; i += 4) {
        pixels[i] = 255;
    }
    const psd = writePsdBuffer({
        width: side, height: side,
        imageData: imageData(side, side, pixels),
        children: [{ name: 'Scan', imageData: imageData(side, side, pixels) }]
    });
    fs.writeFileSync(file, psd);
}
