import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyImageTextModel } from '../../test/tiny-models/tiny-image-text-model';
import { writeTinySentenceModel } from '../../test/tiny-models/tiny-sentence-model';
import { TransformersImageEmbedderProvider } from './transformers-image-embedder-provider';
import { transformersRuntime } from './transformers-runtime';
import { TransformersTextEmbedderProvider } from './transformers-text-embedder-provider';

/** A stand-in for the model hub on this machine: it counts every request made to it. */
let hub: http.Server;
let hubUrl: string;
const requests: string[] = [];
let root: string;

beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'transformers-offline-'));
    hub = http.createServer((request, response) => {
        requests.push(request.url ?? '');
        response.writeHead(404).end();
    });
    await new Promise<void>(resolve => hub.listen(0, '127.0.0.1', resolve));
    hubUrl = `http://127.0.0.1:${(hub.address() as AddressInfo).port}/`;
});

afterAll(async () => {
    await new Promise(resolve => hub.close(resolve));
    fs.rmSync(root, { recursive: true, force: true });
});

describe('the transformers providers never touch the network', () => {
    it('load and embed from a folder with downloads locked off, even after something switched them on', async () => {
        const transformers = await transformersRuntime();
        transformers.env.remoteHost = hubUrl;
        transformers.env.allowRemoteModels = true;
        const folder = path.join(root, 'tiny-siglip');
        writeTinyImageTextModel(folder, 'siglip');
        const embedder = await new TransformersImageEmbedderProvider().load(folder);
        try {
            expect(transformers.env.allowRemoteModels).toBe(false);
            expect(transformers.env.useFSCache).toBe(false);
            expect(await embedder.embedTexts(['빨강'])).toHaveLength(1);
        } finally {
            await embedder.dispose();
        }
        expect(requests).toEqual([]);
    });

    it('refuses a model hub id instead of asking the hub for it', async () => {
        const transformers = await transformersRuntime();
        transformers.env.remoteHost = hubUrl;
        await expect(new TransformersTextEmbedderProvider().load('Xenova/multilingual-e5-small')).rejects.toThrow(/absolute folder path/);
        // Even called directly, the library set up by the runtime looks only on disk and fails there.
        await expect(transformers.AutoTokenizer.from_pretrained('Xenova/multilingual-e5-small')).rejects.toThrow();
        await expect(transformers.env.fetch(`${hubUrl}Xenova/multilingual-e5-small/resolve/main/config.json`)).rejects.toThrow(/never downloads/);
        expect(requests).toEqual([]);
    });

    it('fails with a clear error, without a request, when a file vanishes between validation and loading', async () => {
        const folder = path.join(root, 'tiny-sentence');
        writeTinySentenceModel(folder);
        const provider = new TransformersTextEmbedderProvider();
        expect(await provider.validate(folder)).toEqual({ state: 'ready' });
        fs.rmSync(path.join(folder, 'tokenizer.json'));
        await expect(provider.load(folder)).rejects.toThrow(/tokenizer\.json/);
        expect(requests).toEqual([]);
    });
});
