import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Container } from '@theia/core/shared/inversify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinySentenceModel } from '../../test/tiny-models/tiny-sentence-model';
import { TextEmbedder, TextEmbedderProvider } from '../text-embedder';
import { bindTransformersProviders } from './transformers-bindings';

const CAPTIONS = [
    'a photo of a cat sleeping on the sofa',
    'a dog running on the beach',
    'a car parked in a city street at night',
    'waves of the ocean',
    '산 위에 핀 꽃',
    '소파 위에서 자는 강아지'
];

let root: string;
let provider: TextEmbedderProvider;
let folder: string;
let embedder: TextEmbedder;
let captions: Float32Array[];

function cosine(a: Float32Array, b: Float32Array): number {
    return a.reduce((sum, value, i) => sum + value * b[i], 0);
}

async function best(query: string, model = embedder, documents = captions): Promise<string> {
    const [vector] = await model.embed([query], 'query');
    const scores = documents.map((caption, i) => ({ caption: CAPTIONS[i], score: cosine(vector, caption) }));
    return scores.sort((a, b) => b.score - a.score)[0].caption;
}

beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'transformers-text-'));
    const container = new Container();
    bindTransformersProviders(container.bind.bind(container));
    provider = container.getAll<TextEmbedderProvider>(TextEmbedderProvider).find(each => each.id === 'transformers')!;
    folder = path.join(root, 'tiny-sentence');
    writeTinySentenceModel(folder);
    embedder = await provider.load(folder);
    captions = await embedder.embed(CAPTIONS, 'document');
});

afterAll(async () => {
    await embedder?.dispose();
    fs.rmSync(root, { recursive: true, force: true });
});

describe('the transformers text embedder on a tiny sentence model', () => {
    it('finds the folder ready and gives it a stable id and its weights\' size', async () => {
        expect(await provider.validate(folder)).toEqual({ state: 'ready' });
        const info = await provider.inspect(folder);
        expect(info.modelId).toMatch(/^transformers\/tiny-sentence@[0-9a-f]{12}$/);
        expect(info.bytes).toBe(fs.statSync(path.join(folder, 'onnx', 'model.onnx')).size);
        expect(embedder.modelId).toBe(info.modelId);
        expect(embedder.dimensions).toBe(48);
    });

    it('ranks the caption about a cat first for "kitten" and for "고양이"', async () => {
        expect(await best('kitten')).toBe(CAPTIONS[0]);
        expect(await best('고양이')).toBe(CAPTIONS[0]);
        expect(await best('a sleepy kitty')).toBe(CAPTIONS[0]);
    });

    it('ranks by meaning across English and Korean', async () => {
        expect(await best('automobile')).toBe(CAPTIONS[2]);
        expect(await best('자동차')).toBe(CAPTIONS[2]);
        expect(await best('바다')).toBe(CAPTIONS[3]);
        expect(await best('flowers on a hill')).toBe(CAPTIONS[4]);
        expect(await best('puppy sleeping')).toBe(CAPTIONS[5]);
        expect(await best('강아지가 해변에서 달리기')).toBe(CAPTIONS[1]);
    });

    it('answers one normalized vector per text, in order', async () => {
        const vectors = await embedder.embed(['kitten', '', '새끼고양이가 자는 사진'], 'document');
        expect(vectors).toHaveLength(3);
        vectors.forEach(vector => expect(vector).toHaveLength(48));
        [vectors[0], vectors[2]].forEach(vector => expect(Math.hypot(...vector)).toBeCloseTo(1, 5));
        expect(cosine(vectors[0], vectors[2])).toBeGreaterThan(0.5);
        expect(await embedder.embed([], 'query')).toEqual([]);
    });

    it('adds e5\'s "query: " and "passage: " when the folder says so, and nothing otherwise', async () => {
        const e5Folder = path.join(root, 'tiny-sentence-prompts');
        writeTinySentenceModel(e5Folder, { e5Prompts: true });
        const e5 = await provider.load(e5Folder);
        try {
            const [query] = await e5.embed(['kitten'], 'query');
            const [passage] = await e5.embed(['kitten'], 'document');
            const [plainQuery, plainPassage, plain] = await embedder.embed(['query: kitten', 'passage: kitten', 'kitten'], 'query');
            expect(cosine(query, plainQuery)).toBeCloseTo(1, 5);
            expect(cosine(passage, plainPassage)).toBeCloseTo(1, 5);
            expect(cosine(query, plain)).toBeLessThan(0.9999);
            expect(await best('kitten', e5, await e5.embed(CAPTIONS, 'document'))).toBe(CAPTIONS[0]);
        } finally {
            await e5.dispose();
        }
    });
});
