import * as fs from 'fs';
import * as path from 'path';
import { Container } from '@theia/core/shared/inversify';
import { ILogger } from '@theia/core/lib/common/logger';
import { MockLogger } from '@theia/core/lib/common/test/mock-logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempFolder } from '../../test/archive-test-container';
import { buildTinyEmbedderGguf, writeTinyEmbedderGguf } from '../../test/tiny-models/gguf-tiny-embedder';
import { bindInference } from '../inference-bindings';
import { TextEmbedder, TextEmbedderProvider } from '../text-embedder';
import { bindLlamaCppProviders } from './llama-cpp-bindings';
import { LLAMA_CPP_PROVIDER_ID } from './llama-text-embedder-provider';

/** The llama-cpp provider as the backend binds it, on the CPU with one thread (the default thread count is far slower here). */
function createProvider(): TextEmbedderProvider {
    const container = new Container();
    container.bind(ILogger).to(MockLogger).inSingletonScope();
    bindLlamaCppProviders(container.bind.bind(container), { gpu: false, threads: 1, contextTokens: 128 });
    return container.get<TextEmbedderProvider>(TextEmbedderProvider);
}

function dot(a: Float32Array, b: Float32Array): number {
    return a.reduce((sum, value, i) => sum + value * b[i], 0);
}

/** The captions in the order `query` ranks them by cosine similarity. */
async function rank(embedder: TextEmbedder, query: string, captions: readonly string[]): Promise<string[]> {
    const [queryVector] = await embedder.embed([query], 'query');
    const captionVectors = await embedder.embed(captions, 'document');
    return captions.map((caption, i) => ({ caption, score: dot(queryVector, captionVectors[i]) }))
        .sort((a, b) => b.score - a.score)
        .map(entry => entry.caption);
}

describe('LlamaCppTextEmbedderProvider on a tiny GGUF embedding model (real llama.cpp, CPU)', () => {
    const temp = makeTempFolder('imageparser-llama-');
    const modelPath = path.join(temp.folder, 'tiny-concepts.gguf');
    const provider = createProvider();
    let embedder: TextEmbedder;

    beforeAll(async () => {
        writeTinyEmbedderGguf(modelPath);
        embedder = await provider.load(modelPath);
    });

    afterAll(async () => {
        await embedder?.dispose();
        temp.remove();
    });

    const captions = [
        'A cat sleeping on a sofa',
        'A dog running on the beach',
        'A red car parked at night',
        'Waves of the sea under a blue sky'
    ];

    it('ranks the cat caption first for "kitten" and "고양이", the dog caption for "puppy" and "강아지"', async () => {
        expect((await rank(embedder, 'kitten', captions))[0]).toBe('A cat sleeping on a sofa');
        expect((await rank(embedder, '고양이', captions))[0]).toBe('A cat sleeping on a sofa');
        expect((await rank(embedder, 'puppy', captions))[0]).toBe('A dog running on the beach');
        expect((await rank(embedder, '강아지', captions))[0]).toBe('A dog running on the beach');
        expect((await rank(embedder, 'automobile', captions))[0]).toBe('A red car parked at night');
        expect((await rank(embedder, '바다', captions))[0]).toBe('Waves of the sea under a blue sky');
    });

    it('ranks Korean captions by the meaning of an English query, and English captions for a Korean one', async () => {
        const korean = ['소파 위에서 자는 고양이', '해변을 달리는 강아지', '밤에 세워 둔 빨간 자동차'];
        expect((await rank(embedder, 'kitten', korean))[0]).toBe('소파 위에서 자는 고양이');
        expect((await rank(embedder, 'puppy', korean))[0]).toBe('해변을 달리는 강아지');
        expect((await rank(embedder, '자동차', captions))[0]).toBe('A red car parked at night');
    });

    it('answers one unit-length vector per text, of the model\'s width; a text without words embeds as zeros', async () => {
        const vectors = await embedder.embed(['A cat sleeping on a sofa', 'kitten', ''], 'document');
        expect(embedder.dimensions).toBe(32);
        expect(vectors).toHaveLength(3);
        expect(vectors[0]).toHaveLength(32);
        expect(Math.sqrt(dot(vectors[0], vectors[0]))).toBeCloseTo(1, 5);
        expect(Math.sqrt(dot(vectors[1], vectors[1]))).toBeCloseTo(1, 5);
        expect(Array.from(vectors[2]).every(value => value === 0)).toBe(true);
        const [again] = await embedder.embed(['A cat sleeping on a sofa'], 'document');
        expect(Array.from(again)).toEqual(Array.from(vectors[0]));
    });

    it('cuts a text longer than the context instead of refusing it', async () => {
        const long = `A cat ${'and more words '.repeat(400)}`;
        const [vector] = await embedder.embed([long], 'document');
        const [kitten] = await embedder.embed(['kitten'], 'query');
        expect(dot(vector, kitten)).toBeGreaterThan(0.5);
    });

    it('validates the file as ready and gives a stable model id and its size in bytes', async () => {
        expect(await provider.validate(modelPath)).toEqual({ state: 'ready' });
        const info = await provider.inspect(modelPath);
        expect(info.modelId).toMatch(/^llama-cpp\/tiny-concepts\.gguf@[0-9a-f]{12}$/);
        expect(info.bytes).toBe(fs.statSync(modelPath).size);
        expect(await provider.inspect(modelPath)).toEqual(info);
        expect(embedder.modelId).toBe(info.modelId);
        const other = path.join(temp.folder, 'other.gguf');
        writeTinyEmbedderGguf(other, 'another-tiny-embedder');
        const otherInfo = await provider.inspect(other);
        expect(otherInfo.modelId).toMatch(/^llama-cpp\/other\.gguf@[0-9a-f]{12}$/);
        expect(otherInfo.modelId.split('@')[1]).not.toBe(info.modelId.split('@')[1]);
    });

    it('loads again after the first instance is disposed, and the disposed one refuses to embed', async () => {
        const first = await provider.load(modelPath);
        const [before] = await first.embed(['kitten'], 'query');
        await first.dispose();
        await first.dispose();
        await expect(first.embed(['kitten'], 'query')).rejects.toThrow(/unloaded/);
        const second = await provider.load(modelPath);
        try {
            const [after] = await second.embed(['kitten'], 'query');
            expect(Array.from(after)).toEqual(Array.from(before));
        } finally {
            await second.dispose();
        }
    });
});

describe('LlamaCppTextEmbedderProvider.validate on bad files (never throws, says what is wrong)', () => {
    const temp = makeTempFolder('imageparser-llama-bad-');
    const provider = createProvider();

    afterAll(() => temp.remove());

    it('a missing file, a folder, a relative path', async () => {
        const missing = path.join(temp.folder, 'nowhere', 'model.gguf');
        expect(await provider.validate(missing)).toMatchObject({ state: 'invalid', code: 'file-missing', message: expect.stringContaining(missing) });
        expect(await provider.validate(temp.folder)).toMatchObject({ state: 'invalid', code: 'not-a-file', message: expect.stringContaining(temp.folder) });
        expect(await provider.validate('models/model.gguf')).toMatchObject({ state: 'invalid', code: 'path-not-absolute' });
        await expect(provider.load(missing)).rejects.toThrow(missing);
        await expect(provider.inspect(missing)).rejects.toThrow(/does not exist/);
    });

    it('a file that is not GGUF: an image, a text file, an empty file', async () => {
        const png = path.join(temp.folder, 'picture.gguf');
        fs.writeFileSync(png, Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
        const text = path.join(temp.folder, 'notes.gguf');
        fs.writeFileSync(text, 'not a model\n');
        const empty = path.join(temp.folder, 'empty.gguf');
        fs.writeFileSync(empty, '');
        for (const file of [png, text, empty]) {
            expect(await provider.validate(file)).toMatchObject({ state: 'invalid', code: 'not-gguf', message: expect.stringContaining(file) });
            await expect(provider.load(file)).rejects.toThrow(/not a GGUF model file/);
        }
    });

    it('a GGUF file cut short in its header, its metadata, its tensor table or its tensor data: loading it fails with the same message, llama.cpp never sees it', async () => {
        const whole = buildTinyEmbedderGguf();
        const cuts = {
            header: 12,
            metadata: whole.indexOf('tokenizer.ggml.tokens') + 4000,
            tensorTable: whole.indexOf('blk.0.ffn_down.weight') + 10,
            tensorData: whole.length - 100
        };
        for (const [where, length] of Object.entries(cuts)) {
            const file = path.join(temp.folder, `cut-in-${where}.gguf`);
            fs.writeFileSync(file, whole.subarray(0, length));
            const health = await provider.validate(file);
            expect(health, where).toMatchObject({ state: 'invalid', code: 'gguf-truncated', message: expect.stringContaining(file) });
            await expect(provider.load(file), where).rejects.toThrow(health.message);
        }
        const good = path.join(temp.folder, 'whole.gguf');
        fs.writeFileSync(good, whole);
        expect(await provider.validate(good)).toEqual({ state: 'ready' });
    });

    it('a GGUF whose sizes and counts lie (a hostile file) is refused quickly, without reading or allocating what it claims', async () => {
        const u32 = (value: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(value); return b; };
        const u64 = (value: bigint) => { const b = Buffer.alloc(8); b.writeBigUInt64LE(value); return b; };
        const start = (tensors: bigint, entries: bigint) => [Buffer.from('GGUF'), u32(3), u64(tensors), u64(entries)];
        const key = (name: string) => [u64(BigInt(name.length)), Buffer.from(name)];
        const files: Record<string, { bytes: Buffer[]; code: string }> = {
            'many-tensors': { bytes: [...start(1n << 40n, 0n), Buffer.alloc(64)], code: 'gguf-truncated' },
            'huge-string': { bytes: [...start(0n, 1n), u64(1n << 40n), Buffer.alloc(64)], code: 'gguf-damaged' },
            'huge-array': { bytes: [...start(0n, 1n), ...key('a'), u32(9), u32(4), u64(1n << 50n), Buffer.alloc(64)], code: 'gguf-truncated' },
            'unknown-type': { bytes: [...start(0n, 1n), ...key('a'), u32(77), Buffer.alloc(64)], code: 'gguf-damaged' },
            'five-dims': { bytes: [...start(1n, 0n), ...key('t'), u32(5), Buffer.alloc(64)], code: 'gguf-damaged' }
        };
        for (const [name, { bytes, code }] of Object.entries(files)) {
            const file = path.join(temp.folder, `${name}.gguf`);
            fs.writeFileSync(file, Buffer.concat(bytes));
            expect(await provider.validate(file), name).toMatchObject({ state: 'invalid', code, message: expect.stringContaining(file) });
        }
    });

    it('a well-formed GGUF that llama.cpp refuses (an unknown architecture): loading fails with llama.cpp\'s reason', async () => {
        const bytes = Buffer.from(buildTinyEmbedderGguf());
        const value = bytes.indexOf('llama', bytes.indexOf('general.architecture'));
        bytes.write('zzzzz', value);
        const file = path.join(temp.folder, 'unknown-architecture.gguf');
        fs.writeFileSync(file, bytes);
        expect(await provider.validate(file)).toEqual({ state: 'ready' });
        await expect(provider.load(file)).rejects.toThrow(/could not load the GGUF model .*unknown-architecture\.gguf.*unknown model architecture: 'zzzzz'/);
    });

    it('a GGUF of a version llama.cpp does not read', async () => {
        const file = path.join(temp.folder, 'future.gguf');
        const bytes = Buffer.from(buildTinyEmbedderGguf());
        bytes.writeUInt32LE(9, 4);
        fs.writeFileSync(file, bytes);
        expect(await provider.validate(file)).toMatchObject({ state: 'invalid', code: 'gguf-version-unsupported' });
    });
});

describe('bindInference', () => {
    it('binds the llama-cpp text embedder among the text-embedder providers', () => {
        const container = new Container();
        container.bind(ILogger).to(MockLogger).inSingletonScope();
        bindInference(container.bind.bind(container));
        expect(container.getAll<TextEmbedderProvider>(TextEmbedderProvider).map(provider => provider.id)).toContain(LLAMA_CPP_PROVIDER_ID);
    });
});
