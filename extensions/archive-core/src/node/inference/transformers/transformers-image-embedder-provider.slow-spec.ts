import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Container } from '@theia/core/shared/inversify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aiImageOf, Rgb, writeColourPng } from '../../test/tiny-models/colour-images';
import { TinyImageTextFamily, writeTinyImageTextModel } from '../../test/tiny-models/tiny-image-text-model';
import type { AiImage } from '../ai-image';
import { ImageEmbedder, ImageEmbedderProvider } from '../image-embedder';
import { bindTransformersProviders } from './transformers-bindings';

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
