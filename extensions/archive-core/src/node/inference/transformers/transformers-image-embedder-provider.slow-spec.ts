import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Container } from '@theia/core/shared/inversify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aiImageOf, Rgb, writeColourPng } from '../../test/tiny-models/colour-images';
import { TinyImageTextFamily, writeTinyImageTextModel } from '../../test/tiny-models/tiny-image-text-model';
import type { AiImage } from '../ai-image';
import { ImageEmbedder, ImageEmbedderProvider } from '../image-embedder';
import { directImagePreprocessor } from './direct-image-preprocessor';
import { bindTransformersProviders } from './transformers-bindings';
import { TransformersImageEmbedder } from './transformers-image-embedder';
import { transformersRuntime } from './transformers-runtime';

const COLOURS: Record<string, Rgb> = {
    red: [220, 30, 25], green: [30, 170, 40], blue: [25, 50, 215], yellow: [245, 220, 30], black: [12, 12, 12], white: [245, 245, 245]
};

let root: string;
let images: AiImage[];
let names: string[];
let provider: ImageEmbedderProvider;

beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'transformers-image-'));
    names = Object.keys(COLOURS);
    const files = await Promise.all(names.map(name => writeColourPng(path.join(root, 'images'), name, COLOURS[name])));
    images = await Promise.all(files.map((file, i) => aiImageOf(file, i + 1)));
    const container = new Container();
    bindTransformersProviders(container.bind.bind(container));
    provider = container.getAll<ImageEmbedderProvider>(ImageEmbedderProvider).find(each => each.id === 'transformers')!;
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** An image of random pixels, so any difference in resizing, cropping or normalizing shows. */
function noiseImage(width: number, height: number, seed: number): AiImage {
    let state = seed + 1;
    const data = Uint8Array.from({ length: width * height * 3 }, () => (state = (state * 1103515245 + 12345) % 2147483648) % 256);
    return { assetId: seed, jpeg: Buffer.alloc(0), rgb: { data, width, height } };
}

function cosine(a: Float32Array, b: Float32Array): number {
    return a.reduce((sum, value, i) => sum + value * b[i], 0);
}

/** The image names, best match for the text's vector first. */
function ranking(text: Float32Array, vectors: Float32Array[]): string[] {
    return vectors.map((vector, i) => ({ name: names[i], score: cosine(text, vector) }))
        .sort((a, b) => b.score - a.score).map(each => each.name);
}

describe.each<[TinyImageTextFamily, string]>([['clip', 'CLIP'], ['siglip', 'SigLIP']])('the transformers image embedder on a tiny %s model', (family, label) => {
    let folder: string;
    let embedder: ImageEmbedder;
    let imageVectors: Float32Array[];

    beforeAll(async () => {
        folder = path.join(root, `tiny-${family}`);
        writeTinyImageTextModel(folder, family);
        embedder = await provider.load(folder);
        imageVectors = await embedder.embedImages(images);
    });

    afterAll(() => embedder?.dispose());

    it(`finds the folder ready and gives it a stable id and about its weights' size (${label})`, async () => {
        expect(await provider.validate(folder)).toEqual({ state: 'ready' });
        const info = await provider.inspect(folder);
        expect(info.modelId).toMatch(new RegExp(`^transformers/tiny-${family}@[0-9a-f]{12}$`));
        const onnxBytes = ['vision_model.onnx', 'text_model.onnx'].reduce((sum, file) => sum + fs.statSync(path.join(folder, 'onnx', file)).size, 0);
        expect(info.bytes).toBe(onnxBytes);
        expect(embedder.modelId).toBe(info.modelId);

        const copy = path.join(root, 'copies', `tiny-${family}`);
        fs.cpSync(folder, copy, { recursive: true });
        expect((await provider.inspect(copy)).modelId).toBe(info.modelId);
        const changed = JSON.parse(fs.readFileSync(path.join(copy, 'preprocessor_config.json'), 'utf8'));
        fs.writeFileSync(path.join(copy, 'preprocessor_config.json'), JSON.stringify({ ...changed, image_mean: [0.4, 0.4, 0.4] }));
        expect((await provider.inspect(copy)).modelId).not.toBe(info.modelId);
    });

    it(`embeds images through the preprocessor into normalized vectors (${label})`, () => {
        expect(embedder.imageSize).toBe(32);
        expect(embedder.dimensions).toBe(family === 'clip' ? 32 : 48);
        expect(imageVectors).toHaveLength(images.length);
        for (const vector of imageVectors) {
            expect(vector).toHaveLength(embedder.dimensions);
            expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
        }
        // Each picture is nearest to itself and far from the others: the tower sees their colours.
        expect(cosine(imageVectors[0], imageVectors[2])).toBeLessThan(0.5);
    });

    it(`prepares the pixels exactly as the model's own processor does, in one resize and one pass (${label})`, async () => {
        const transformers = await transformersRuntime();
        expect(directImagePreprocessor(await transformers.AutoImageProcessor.from_pretrained(folder), transformers)).toBeDefined();
        const shapes = [[40, 30], [30, 50], [33, 33], [1, 1], [301, 199], [32, 24], [32, 32]];
        const odd = shapes.map(([width, height], i) => noiseImage(width, height, i));
        const model = embedder as TransformersImageEmbedder;
        const [direct, processor] = [await model.pixelValues(odd), await model.processorPixelValues(odd)];
        expect(direct.dims).toEqual(processor.dims);
        expect(direct.dims).toEqual([odd.length, 3, 32, 32]);
        const a = direct.data as Float32Array;
        const b = processor.data as Float32Array;
        expect(a.reduce((largest, value, i) => Math.max(largest, Math.abs(value - b[i])), 0)).toBeLessThan(1e-6);
    });

    it(`ranks the red image first for "red" and for "빨강" (${label})`, async () => {
        const [red, ppalgang, ppalganCar] = await embedder.embedTexts(['red', '빨강', '빨간 자동차']);
        expect(ranking(red, imageVectors)[0]).toBe('red');
        expect(ranking(ppalgang, imageVectors)[0]).toBe('red');
        expect(ranking(ppalganCar, imageVectors)[0]).toBe('red');
        expect(cosine(red, ppalgang)).toBeGreaterThan(0.95);
    });

    it(`ranks each colour's image first for its English and Korean words (${label})`, async () => {
        const queries: [string, string][] = [
            ['green', 'green'], ['초록', 'green'], ['blue', 'blue'], ['파란 하늘', 'blue'], ['Yellow umbrella at night', 'yellow'],
            ['노란 우산', 'yellow'], ['black', 'black'], ['검정 고양이', 'black'], ['white', 'white'], ['흰 눈', 'white'], ['하양', 'white']
        ];
        const vectors = await embedder.embedTexts(queries.map(([text]) => text));
        expect(queries.map(([text], i) => [text, ranking(vectors[i], imageVectors)[0]])).toEqual(queries);
    });

    it(`answers one normalized text vector per text, in order, with the image vectors' length (${label})`, async () => {
        const vectors = await embedder.embedTexts(['blue', 'a long caption that says nothing about colours at all', '빨강']);
        expect(vectors).toHaveLength(3);
        vectors.forEach(vector => expect(Math.hypot(...vector)).toBeCloseTo(1, 5));
        expect(ranking(vectors[0], imageVectors)[0]).toBe('blue');
        expect(ranking(vectors[2], imageVectors)[0]).toBe('red');
        expect(await embedder.embedTexts([])).toEqual([]);
        expect(await embedder.embedImages([])).toEqual([]);
    });
});

describe('the transformers image embedder\'s processor shortcut', () => {
    it.each([
        ['do_pad', { do_pad: true, pad_size: { width: 40, height: 40 } }],
        ['do_thumbnail', { do_thumbnail: true }],
        ['lanczos resampling', { resample: 1 }],
        ['BGR channel order', { do_flip_channel_order: true }],
        ['a processor class that resizes its own way', { image_processor_type: 'ConvNextImageProcessor' }]
    ])('leaves a processor with %s to transformers.js', async (_what, change) => {
        const transformers = await transformersRuntime();
        const folder = path.join(root, `tiny-processor-${Object.keys(change)[0]}`);
        writeTinyImageTextModel(folder, 'clip');
        const file = path.join(folder, 'preprocessor_config.json');
        fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), ...change }));
        expect(directImagePreprocessor(await transformers.AutoImageProcessor.from_pretrained(folder), transformers)).toBeUndefined();
    });
});

describe('the transformers image embedder with quantized or half-precision weights only', () => {
    it('loads the variant the folder holds and still ranks "빨강" red first', async () => {
        const folder = path.join(root, 'tiny-siglip-quantized');
        writeTinyImageTextModel(folder, 'siglip');
        fs.renameSync(path.join(folder, 'onnx', 'vision_model.onnx'), path.join(folder, 'onnx', 'vision_model_quantized.onnx'));
        fs.renameSync(path.join(folder, 'onnx', 'text_model.onnx'), path.join(folder, 'onnx', 'text_model_fp16.onnx'));
        const embedder = await provider.load(folder);
        try {
            const vectors = await embedder.embedImages(images);
            const [ppalgang] = await embedder.embedTexts(['빨강']);
            expect(ranking(ppalgang, vectors)[0]).toBe('red');
        } finally {
            await embedder.dispose();
        }
    });
});

describe('the transformers image embedder on files it cannot load', () => {
    it('names the folder and the reason when a weights file is not ONNX, and can be disposed twice once loaded', async () => {
        const folder = path.join(root, 'tiny-clip-truncated');
        writeTinyImageTextModel(folder, 'clip');
        const file = path.join(folder, 'onnx', 'text_model.onnx');
        fs.writeFileSync(file, fs.readFileSync(file).subarray(0, 100));
        expect(await provider.validate(folder)).toEqual({ state: 'ready' });
        await expect(provider.load(folder)).rejects.toThrow(new RegExp(`The model in ${folder} could not be loaded: .+`));
        await expect(provider.load(folder)).rejects.toMatchObject({ code: 'load-failed' });

        const good = path.join(root, 'tiny-clip-good');
        writeTinyImageTextModel(good, 'clip');
        const embedder = await provider.load(good);
        await embedder.dispose();
        await embedder.dispose();
    });
});
