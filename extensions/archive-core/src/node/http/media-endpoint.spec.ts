import * as http from 'http';
import { AddressInfo } from 'net';
import sharp from 'sharp';
import express from '@theia/core/shared/express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Container } from '@theia/core/shared/inversify';
import { EarlyExpressMiddleware } from '@theia/core/lib/node/backend-application';
import {
    BrowserConnectionToken, BrowserConnectionTokenBackendContribution, createBrowserConnectionToken, HttpConnectionValidator
} from '@theia/core/lib/node/hosting/browser-connection-token';
import { MediaRoutes } from '../../common/media-protocol';
import { ArchiveStore } from '../store/archive-store';
import { AssetRepository } from '../store/asset-repository';
import { createArchiveTestContainer, makeTempFolder } from '../test/archive-test-container';
import { MediaEndpoint } from './media-endpoint';

describe('MediaEndpoint', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let container: Container;
    let server: http.Server;
    let base: string;

    beforeEach(async () => {
        temp = makeTempFolder();
        container = createArchiveTestContainer(temp.folder);
        // Theia's own connection-token guard, as its backend hosting module binds it.
        container.bind(BrowserConnectionToken).toConstantValue(createBrowserConnectionToken());
        container.bind(EarlyExpressMiddleware).toSelf().inSingletonScope();
        container.bind(BrowserConnectionTokenBackendContribution).toSelf().inSingletonScope();
        container.bind(HttpConnectionValidator).toService(BrowserConnectionTokenBackendContribution);
        container.bind(MediaEndpoint).toSelf().inSingletonScope();

        const app = express();
        container.get(BrowserConnectionTokenBackendContribution).initialize();
        app.use(...container.get(EarlyExpressMiddleware).handlers);
        app.get('/', (_request, response) => response.send('<html>the app page</html>'));
        container.get(MediaEndpoint).configure(app);
        server = await new Promise<http.Server>(resolve => {
            const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
        });
        base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    afterEach(async () => {
        await new Promise(resolve => server.close(resolve));
        container.get<ArchiveStore>(ArchiveStore).close();
        temp.remove();
    });

    async function addThumbnailAsset(): Promise<{ id: number; bytes: Buffer }> {
        const bytes = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 40, b: 90 } } }).webp().toBuffer();
        const { media } = await container.get<ArchiveStore>(ArchiveStore).open();
        const thumbnailHash = media.put(bytes);
        const id = await container.get<AssetRepository>(AssetRepository)
            .add({ contentHash: 'c'.repeat(64), kind: 'png', width: 640, height: 480, thumbnailHash, thumbnailMime: 'image/webp' });
        return { id, bytes };
    }

    async function connectionCookie(): Promise<string> {
        const page = await fetch(`${base}/`);
        const cookie = page.headers.get('set-cookie');
        expect(cookie).toMatch(/^theia-connection-token=/);
        return cookie!.split(';')[0];
    }

    it('refuses requests without the connection cookie, or with a wrong one', async () => {
        const { id } = await addThumbnailAsset();
        expect((await fetch(`${base}${MediaRoutes.url('thumbnail', id)}`)).status).toBe(403);
        const forged = await fetch(`${base}${MediaRoutes.url('thumbnail', id)}`, { headers: { cookie: 'theia-connection-token=guessed' } });
        expect(forged.status).toBe(403);
    });

    it('serves the stored thumbnail bytes by asset id with a valid connection', async () => {
        const { id, bytes } = await addThumbnailAsset();
        const response = await fetch(`${base}${MediaRoutes.url('thumbnail', id)}`, { headers: { cookie: await connectionCookie() } });
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe('image/webp');
        const served = Buffer.from(await response.arrayBuffer());
        expect(served.equals(bytes)).toBe(true);
        expect(await sharp(served).metadata()).toMatchObject({ width: 64, height: 48, format: 'webp' });
    });

    it('answers unknown ids with 404 and anything but an id with 400, never touching a path', async () => {
        const cookie = await connectionCookie();
        const get = (route: string) => fetch(`${base}${MediaRoutes.ROOT}${route}`, { headers: { cookie } }).then(response => response.status);
        expect(await get('/thumbnail/999')).toBe(404);
        expect(await get('/thumbnail/0')).toBe(400);
        expect(await get('/thumbnail/1.5')).toBe(400);
        expect(await get('/thumbnail/..%2F..%2Fetc%2Fpasswd')).toBe(400);
        expect(await get('/thumbnail/%2Fetc%2Fpasswd')).toBe(400);
    });
});
