import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { AddressInfo } from 'net';
import sharp from 'sharp';
import { writePsdBuffer } from 'ag-psd';
import express from '@theia/core/shared/express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Container } from '@theia/core/shared/inversify';
import { EarlyExpressMiddleware } from '@theia/core/lib/node/backend-application';
import {
    BrowserConnectionToken, BrowserConnectionTokenBackendContribution, createBrowserConnectionToken, HttpConnectionValidator
} from '@theia/core/lib/node/hosting/browser-connection-token';
import { MediaRoutes } from '../../common/media-protocol';
import { ArchiveIngester } from '../ingest/archive-ingester';
import { RenderPool, WorkerThreadRenderPool } from '../media/render-pool';
import { ArchiveStore } from '../store/archive-store';
import { AssetFileRepository } from '../store/asset-file-repository';
import { AssetRepository } from '../store/asset-repository';
import { createArchiveTestContainer, disposeArchiveTestContainer, makeTempFolder } from '../test/archive-test-container';
import { ViewerMediaEndpoint } from './viewer-media-endpoint';

function solid(width: number, height: number, rgba: [number, number, number, number]): ImageData {
    const data = new Uint8ClampedArray(width * height * 4);
    for (let i = 0; i < data.length; i += 4) {
        data.set(rgba, i);
    }
    return { width, height, data, colorSpace: 'srgb' } as unknown as ImageData;
}

/**
 * The viewer's media routes over real HTTP, a real archive and real files:
 * the Deep Zoom pyramid of an 8000 x 8000 image, originals, PSD layer
 * renders and layer thumbnails, and their errors.
 */
describe('ViewerMediaEndpoint', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let container: Container;
    let server: http.Server;
    let base: string;
    let cookie: string;
    const ids = new Map<string, number>();

    beforeAll(async () => {
        temp = makeTempFolder();
        const art = path.join(temp.folder, 'art');
        fs.mkdirSync(art);
        // 8000 x 8000: a gradient, so tiles differ.
        const gradient = Buffer.alloc(256 * 256 * 3);
        for (let y = 0; y < 256; y++) {
            for (let x = 0; x < 256; x++) {
                gradient.set([x, y, 128], (y * 256 + x) * 3);
            }
        }
        await sharp(gradient, { raw: { width: 256, height: 256, channels: 3 } }).resize(8000, 8000, { kernel: 'linear' })
            .png({ compressionLevel: 1 }).toFile(path.join(art, 'huge.png'));
        fs.writeFileSync(path.join(art, 'layers.psd'), writePsdBuffer({
            width: 64, height: 48, imageData: solid(64, 48, [0, 128, 0, 255]), children: [
                { name: 'ground', imageData: solid(64, 48, [0, 128, 0, 255]) },
                // Dissolve is drawn as normal (the same pixels over an opaque layer), and the render says so.
                { name: 'sun', left: 8, top: 8, right: 24, bottom: 24, blendMode: 'dissolve', imageData: solid(16, 16, [255, 220, 0, 255]) },
                { name: 'empty group', children: [] }
            ]
        }));
        await sharp({ create: { width: 32, height: 32, channels: 3, background: { r: 9, g: 9, b: 9 } } }).jpeg().toFile(path.join(art, 'gone.jpg'));

        container = createArchiveTestContainer(path.join(temp.folder, 'archive'));
        container.bind(BrowserConnectionToken).toConstantValue(createBrowserConnectionToken());
        container.bind(EarlyExpressMiddleware).toSelf().inSingletonScope();
        container.bind(BrowserConnectionTokenBackendContribution).toSelf().inSingletonScope();
        container.bind(HttpConnectionValidator).toService(BrowserConnectionTokenBackendContribution);
        container.bind(RenderPool).toConstantValue(new WorkerThreadRenderPool());
        container.bind(ViewerMediaEndpoint).toSelf().inSingletonScope();
        const ingester = container.get<ArchiveIngester>(ArchiveIngester);
        await ingester.finished(await ingester.start(art));
        const files = container.get<AssetFileRepository>(AssetFileRepository);
        for (const name of fs.readdirSync(art)) {
            const id = await files.assetIdOf(path.join(art, name));
            expect(id, name).toBeDefined();
            ids.set(name, id!);
        }
        fs.rmSync(path.join(art, 'gone.jpg'));

        const app = express();
        container.get(BrowserConnectionTokenBackendContribution).initialize();
        app.use(...container.get(EarlyExpressMiddleware).handlers);
        app.get('/', (_request, response) => response.send('<html>the app page</html>'));
        container.get(ViewerMediaEndpoint).configure(app);
        server = await new Promise<http.Server>(resolve => {
            const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
        });
        base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        cookie = (await fetch(`${base}/`)).headers.get('set-cookie')!.split(';')[0];
    }, 120_000);

    afterAll(async () => {
        await new Promise(resolve => server?.close(resolve));
        await container.get<RenderPool>(RenderPool).destroy();
        await disposeArchiveTestContainer(container);
        temp.remove();
    });

    const get = (url: string, withCookie = true) => fetch(`${base}${url}`, { headers: withCookie ? { cookie } : {} });

    it('serves an 8000 x 8000 image as 512 px tiles in levels, never one bitmap', async () => {
        const id = ids.get('huge.png')!;
        expect((await get(MediaRoutes.tilesUrl(id), false)).status).toBe(403);
        const descriptor = await get(MediaRoutes.tilesUrl(id));
        expect(descriptor.status).toBe(200);
        const xml = await descriptor.text();
        expect(xml).toMatch(/TileSize="512"/);
        expect(xml).toMatch(/Width="8000"/);
        expect(xml).toMatch(/Height="8000"/);
        const tiles = MediaRoutes.tilesUrl(id).replace(/\.dzi$/, '_files');
        // Level 13 is full size (2^13 >= 8000): 16 x 16 tiles of at most 512 px plus the 1 px overlap.
        const deepest = await get(`${tiles}/13/7_7.webp`);
        expect(deepest.status).toBe(200);
        expect(deepest.headers.get('content-type')).toBe('image/webp');
        const tile = await sharp(Buffer.from(await deepest.arrayBuffer())).metadata();
        expect(tile.width).toBeLessThanOrEqual(514);
        expect(tile.height).toBeLessThanOrEqual(514);
        expect((await get(`${tiles}/13/15_15.webp`)).status).toBe(200);
        expect((await get(`${tiles}/13/16_0.webp`)).status).toBe(404);
        const overview = await sharp(Buffer.from(await (await get(`${tiles}/8/0_0.webp`)).arrayBuffer())).metadata();
        expect([overview.width, overview.height]).toEqual([250, 250]);
        // Nothing but tile names resolves under the pyramid.
        // (Encoded, so the client does not normalise the dots away before the server sees them.)
        expect((await get(`${tiles}/13/%2E%2E%2F%2E%2E%2F%2E%2E%2F%2E%2E%2Farchive.sqlite`)).status).toBe(404);
        expect((await get(`/imageparser/media/tiles/${id}/image.dzi.bak`)).status).toBe(404);
    }, 120_000);

    it('serves the original inline or as a download, and says why when it is gone', async () => {
        const id = ids.get('layers.psd')!;
        const inline = await get(MediaRoutes.originalUrl(id));
        expect(inline.status).toBe(200);
        expect(Buffer.from(await inline.arrayBuffer()).equals(fs.readFileSync(path.join(temp.folder, 'art', 'layers.psd')))).toBe(true);
        const download = await get(MediaRoutes.originalUrl(id, true));
        expect(download.headers.get('content-disposition')).toBe('attachment; filename="layers.psd"');
        expect((await get(MediaRoutes.originalUrl(ids.get('gone.jpg')!))).status).toBe(404);
        const pyramid = await get(MediaRoutes.tilesUrl(ids.get('gone.jpg')!));
        expect(pyramid.status).toBe(422);
        expect(await pyramid.text()).toMatch(/^The full image cannot be shown: /);
        // Nothing half-built stays behind.
        const { location } = await container.get<ArchiveStore>(ArchiveStore).open();
        expect(fs.readdirSync(path.join(location.folder, 'tiles')).filter(name => name.endsWith('.tmp'))).toEqual([]);
        expect((await get(MediaRoutes.originalUrl(987_654))).status).toBe(404);
        expect((await get('/imageparser/media/original/abc')).status).toBe(400);
    });

    it('renders PSD layers with visibility changes and per-layer thumbnails', async () => {
        const id = ids.get('layers.psd')!;
        // Layer indexes, top of the panel first: 0 empty group, 1 sun, 2 ground.
        const pixel = async (url: string, x: number, y: number) => {
            const response = await get(url);
            expect(response.status).toBe(200);
            expect(response.headers.get('content-type')).toBe('image/png');
            const { data, info } = await sharp(Buffer.from(await response.arrayBuffer())).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
            expect([info.width, info.height]).toEqual([64, 48]);
            return [...data.subarray((y * 64 + x) * 4, (y * 64 + x) * 4 + 4)];
        };
        expect(await pixel(MediaRoutes.layersUrl(id), 12, 12)).toEqual([255, 220, 0, 255]);
        expect(await pixel(MediaRoutes.layersUrl(id, { hidden: [1] }), 12, 12)).toEqual([0, 128, 0, 255]);
        expect(await pixel(MediaRoutes.layersUrl(id, { solo: 1 }), 40, 40)).toEqual([0, 0, 0, 0]);
        // The notes travel as codes with parameters, which the viewer words in the display language.
        const notesOf = async (url: string) => JSON.parse(decodeURIComponent((await get(url)).headers.get(MediaRoutes.APPROXIMATIONS_HEADER)!));
        expect(await notesOf(MediaRoutes.layersUrl(id, { hidden: [2] }))).toEqual([{ code: 'blendModeApproximated', params: { mode: 'dissolve' } }]);
        expect(await notesOf(MediaRoutes.layersUrl(id, { hidden: [1] }))).toEqual([]);

        const thumbnail = await get(MediaRoutes.layerThumbnailUrl(id, 1));
        expect(thumbnail.status).toBe(200);
        expect(await sharp(Buffer.from(await thumbnail.arrayBuffer())).metadata()).toMatchObject({ width: 16, height: 16, format: 'webp' });
        const { location } = await container.get<ArchiveStore>(ArchiveStore).open();
        const hash = (await container.get<AssetRepository>(AssetRepository).get(id))!.contentHash;
        expect(fs.existsSync(path.join(location.folder, 'layers', hash, '1.webp'))).toBe(true);
        expect((await get(MediaRoutes.layerThumbnailUrl(id, 0))).status).toBe(204);

        expect((await get(`/imageparser/media/layers/${id}/render?hidden=one`)).status).toBe(400);
        expect((await get(MediaRoutes.layersUrl(ids.get('huge.png')!))).status).toBe(400);
        expect((await get(MediaRoutes.layersUrl(id), false)).status).toBe(403);
    });

    it('drops a queued render nobody waits for, and still runs the next one', async () => {
        const pool = container.get<RenderPool>(RenderPool);
        const file = path.join(temp.folder, 'art', 'layers.psd');
        const limits = { maxPixels: 1e8, maxDecodeBytes: 1e9 } as const;
        const gone = new AbortController();
        const first = pool.run({ op: 'layers', file, visibility: {}, maxSize: 64, limits });
        const dropped = pool.run({ op: 'layers', file, visibility: { hidden: [1] }, maxSize: 64, limits }, gone.signal);
        gone.abort();
        const last = pool.run({ op: 'layers', file, visibility: { solo: 1 }, maxSize: 64, limits });
        expect((await first).ok).toBe(true);
        expect(await dropped).toEqual({ ok: false, error: { code: 'cancelled', message: 'Nobody waits for this rendering any more.' } });
        expect((await last).ok).toBe(true);
    });
});
