import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Container } from '@theia/core/shared/inversify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyImageTextModel } from '../../test/tiny-models/tiny-image-text-model';
import { writeTinySentenceModel } from '../../test/tiny-models/tiny-sentence-model';
import { ImageEmbedderProvider } from '../image-embedder';
import { ILogger } from '@theia/core/lib/common/logger';
import { MockLogger } from '@theia/core/lib/common/test/mock-logger';
import { bindInference } from '../inference-bindings';
import { TextEmbedderProvider } from '../text-embedder';
import { TransformersImageEmbedderProvider } from './transformers-image-embedder-provider';
import { TransformersTextEmbedderProvider } from './transformers-text-embedder-provider';

let root: string;
let counter = 0;
const images = new TransformersImageEmbedderProvider();
const texts = new TransformersTextEmbedderProvider();

beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'transformers-validate-'));
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** A fresh tiny model folder, broken by `damage`. */
function imageFolder(damage: (folder: string) => void, family: 'clip' | 'siglip' = 'clip'): string {
    const folder = path.join(root, `image-${counter++}`);
    writeTinyImageTextModel(folder, family);
    damage(folder);
    return folder;
}

function sentenceFolder(damage: (folder: string) => void): string {
    const folder = path.join(root, `sentence-${counter++}`);
    writeTinySentenceModel(folder);
    damage(folder);
    return folder;
}

function editJson(folder: string, file: string, edit: (value: Record<string, unknown>) => Record<string, unknown>): void {
    const target = path.join(folder, file);
    fs.writeFileSync(target, JSON.stringify(edit(JSON.parse(fs.readFileSync(target, 'utf8')))));
}

describe('the transformers image embedder validates its folder with clear messages', () => {
    it('answers not-configured when no folder is set', async () => {
        expect(await images.validate('')).toMatchObject({ state: 'not-configured', code: 'no-path' });
    });

    it('refuses a path that is not absolute, such as a model hub id, without looking it up', async () => {
        const health = await images.validate('Xenova/clip-vit-base-patch32');
        expect(health).toMatchObject({ state: 'invalid', code: 'path-not-absolute' });
        expect(health.message).toContain('Xenova/clip-vit-base-patch32');
        await expect(images.load('Xenova/clip-vit-base-patch32')).rejects.toThrow(/not an absolute folder path/);
    });

    it('names a folder that does not exist', async () => {
        const missing = path.join(root, 'no-such-model');
        const health = await images.validate(missing);
        expect(health).toMatchObject({ state: 'invalid', code: 'folder-missing' });
        expect(health.message).toContain(missing);
        await expect(images.inspect(missing)).rejects.toThrow(missing);
    });

    it('tells a file from a folder', async () => {
        const file = path.join(root, 'model.onnx');
        fs.writeFileSync(file, 'not a folder');
        expect(await images.validate(file)).toMatchObject({ state: 'invalid', code: 'not-a-folder' });
    });

    it.each([
        ['config.json', 'config.json'],
        ['tokenizer.json', 'tokenizer.json'],
        ['preprocessor_config.json', 'preprocessor_config.json'],
        ['tokenizer_config.json', 'tokenizer_config.json'],
        ['onnx/text_model.onnx', 'onnx/text_model.onnx'],
        ['onnx/vision_model.onnx', 'onnx/vision_model.onnx']
    ])('names the missing file when %s is gone', async (file, named) => {
        const folder = imageFolder(target => fs.rmSync(path.join(target, file)));
        const health = await images.validate(folder);
        expect(health).toMatchObject({ state: 'invalid', code: 'file-missing' });
        expect(health.message).toContain(named);
        expect(health.message).toContain(folder);
        await expect(images.load(folder)).rejects.toThrow(named);
    });

    it.each([
        ['a GGUF file', Buffer.from('GGUF\x03\x00\x00\x00', 'latin1'), 'GGUF'],
        ['an empty file', Buffer.alloc(0), 'empty'],
        ['a Git LFS pointer', Buffer.from('version https://git-lfs.github.com/spec/v1\noid sha256:0\nsize 1\n'), 'Git LFS pointer'],
        ['a text file', Buffer.from('not a model'), '"not a mo"']
    ])('says a weights file is not ONNX when it is %s', async (_what, content, named) => {
        const folder = imageFolder(target => fs.writeFileSync(path.join(target, 'onnx', 'vision_model.onnx'), content));
        const health = await images.validate(folder);
        expect(health).toMatchObject({ state: 'invalid', code: 'wrong-file' });
        expect(health.message).toContain('onnx/vision_model.onnx');
        expect(health.message).toContain(named);
    });

    it('says config.json cannot be read when it is not JSON', async () => {
        const folder = imageFolder(target => fs.writeFileSync(path.join(target, 'config.json'), '{"model_type": "clip",'));
        const health = await images.validate(folder);
        expect(health).toMatchObject({ state: 'invalid', code: 'config-unreadable' });
        expect(health.message).toContain('config.json');
    });

    it('says which model a folder of the wrong family holds', async () => {
        const bert = imageFolder(target => editJson(target, 'config.json', config => ({ ...config, model_type: 'bert' })));
        const health = await images.validate(bert);
        expect(health).toMatchObject({ state: 'invalid', code: 'wrong-family' });
        expect(health.message).toContain('"bert"');
        expect(health.message).toContain('not a CLIP or SigLIP');
        const naflex = imageFolder(target => editJson(target, 'config.json', config => ({ ...config, model_type: 'siglip2' })), 'siglip');
        expect((await images.validate(naflex)).message).toContain('fixed-resolution');
    });

    it('refuses a tokenizer that cannot pad texts into a batch', async () => {
        const folder = imageFolder(target => editJson(target, 'tokenizer_config.json', ({ pad_token, eos_token, ...rest }) => rest));
        const health = await images.validate(folder);
        expect(health).toMatchObject({ state: 'invalid', code: 'tokenizer-no-pad' });
        expect(health.message).toContain('pad_token');
    });

    it('accepts a folder with only quantized weights, and counts their size', async () => {
        const folder = imageFolder(target => {
            fs.renameSync(path.join(target, 'onnx', 'vision_model.onnx'), path.join(target, 'onnx', 'vision_model_quantized.onnx'));
            fs.renameSync(path.join(target, 'onnx', 'text_model.onnx'), path.join(target, 'onnx', 'text_model_fp16.onnx'));
        }, 'siglip');
        expect(await images.validate(folder)).toEqual({ state: 'ready' });
        const sizes = ['vision_model_quantized.onnx', 'text_model_fp16.onnx'].map(file => fs.statSync(path.join(folder, 'onnx', file)).size);
        expect((await images.inspect(folder)).bytes).toBe(sizes[0] + sizes[1]);
    });
});

describe('the transformers text embedder validates its folder with clear messages', () => {
    it('names the missing ONNX model', async () => {
        const folder = sentenceFolder(target => fs.rmSync(path.join(target, 'onnx', 'model.onnx')));
        const health = await texts.validate(folder);
        expect(health).toMatchObject({ state: 'invalid', code: 'file-missing' });
        expect(health.message).toContain('onnx/model.onnx');
    });

    it('sends an image-text model folder to the image model setting', async () => {
        const folder = imageFolder(() => undefined);
        const health = await texts.validate(folder);
        expect(health).toMatchObject({ state: 'invalid', code: 'wrong-family' });
        expect(health.message).toContain('image-text model');
    });

    it('sends a GGUF file to the llama-cpp provider', async () => {
        const file = path.join(root, 'model-q8_0.gguf');
        fs.writeFileSync(file, 'GGUF');
        const health = await texts.validate(file);
        expect(health).toMatchObject({ state: 'invalid', code: 'not-a-folder' });
        expect(health.message).toContain('llama-cpp');
    });

    it('refuses a config.json that names no model type', async () => {
        const folder = sentenceFolder(target => editJson(target, 'config.json', ({ model_type, ...rest }) => rest));
        expect(await texts.validate(folder)).toMatchObject({ state: 'invalid', code: 'wrong-family' });
    });

    it('answers ready for a good folder, a missing one otherwise, and never throws', async () => {
        expect(await texts.validate(sentenceFolder(() => undefined))).toEqual({ state: 'ready' });
        expect(await texts.validate(path.join(root, 'gone'))).toMatchObject({ state: 'invalid', code: 'folder-missing' });
        expect(await texts.validate('relative/folder')).toMatchObject({ state: 'invalid', code: 'path-not-absolute' });
        expect(await texts.validate(`${root}/bad\0path`)).toMatchObject({ state: 'invalid' });
    });
});

describe('the transformers providers in the backend', () => {
    it('are bound by bindInference as an image-embedder and a text-embedder provider with id "transformers"', async () => {
        const container = new Container();
        container.bind(ILogger).to(MockLogger).inSingletonScope();
        bindInference(container.bind.bind(container));
        expect((await container.getAllAsync<ImageEmbedderProvider>(ImageEmbedderProvider)).map(each => each.id)).toContain('transformers');
        expect((await container.getAllAsync<TextEmbedderProvider>(TextEmbedderProvider)).map(each => each.id)).toContain('transformers');
    });
});
