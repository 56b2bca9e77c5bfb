import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { AddressInfo } from 'net';
import sharp from 'sharp';
import express from '@theia/core/shared/express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Container } from '@theia/core/shared/inversify';
import { EarlyExpressMiddleware } from '@theia/core/lib/node/backend-application';
import {
    BrowserConnectionToken, BrowserConnectionTokenBackendContribution, createBrowserConnectionToken, HttpConnectionValidator
} from '@theia/core/lib/node/hosting/browser-connection-token';
import { MediaRoutes } from '../../extensions/archive-core/src/common/media-protocol';
import { ViewerMediaEndpoint } from '../../extensions/archive-core/src/node/http/viewer-media-endpoint';
import { ArchiveIngester } from '../../extensions/archive-core/src/node/ingest/archive-ingester';
import { RenderPool, WorkerThreadRenderPool } from '../../extensions/archive-core/src/node/media/render-pool';
import type { RenderOutcome, RenderTask } from '../../extensions/archive-core/src/node/media/render-task';
import { ArchiveStore } from '../../extensions/archive-core/src/node/store/archive-store';
import { createArchiveTestContainer, disposeArchiveTestContainer, makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { nestedGroups, writeSolidPsd } from '../fixtures/solid-psd';

/** The real pool, counting the tasks that reach it (so a failure answered from memory shows). */
class CountingRenderPool extends WorkerThreadRenderPool {
    readonly started: RenderTask[] = [];
    override run(task: RenderTask, signal?: AbortSignal): Promise<RenderOutcome> {
        this.started.push(task);
        return super.run(task, signal);
    }
}

/**
 * A PSD with 10,000 nested groups must not hold the layer renders of
 * everybody else: caps are checked before rendering, failures are answered
 * from memory on retry, and the render lane takes turns between assets.
 */
describe('a PSD with 10,000 nested groups beside a normal one', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let container: Container;
    let pool: CountingRenderPool;
    let server: http.Server;
    let base: string;
    let cookie: string;
    let hostile: string;
    let normal: string;
    const ids = new Map<string, number>();

    beforeAll(async () => {
        temp = makeTempFolder();
        const art = path.join(temp.folder, 'art');
        fs.mkdirSync(art);
        hostile = path.join(art, 'hostile.psd');
        normal = path.join(art, 'normal.psd');
        writeSolidPsd(hostile, { width: 64, height: 64, composite: [[200, 0, 0]], records: nestedGroups(10_000, [0, 0, 255]), hasRealMergedData: true });
        writeSolidPsd(normal, {
            width: 64, height: 48, composite: [[0, 128, 0], [255, 220, 0]], hasRealMergedData: true, records: [
                { kind: 'pixel', name: 'ground', stripes: [[0, 128, 0]] },
                { kind: 'pixel', name: 'sun', stripes: [[255, 220, 0]], rect: { top: 8, left: 8, bottom: 24, right: 24 } }
            ]
        });
        container = createArchiveTestContainer(path.join(temp.folder, 'archive'));
        container.bind(BrowserConnectionToken).toConstantValue(createBrowserConnectionToken());
        container.bind(EarlyExpressMiddleware).toSelf().inSingletonScope();
        container.bind(BrowserConnectionTokenBackendContribution).toSelf().inSingletonScope();
        container.bind(HttpConnectionValidator).toService(BrowserConnectionTokenBackendContribution);
        pool = new CountingRenderPool();
        container.bind(RenderPool).toConstantValue(pool);
        container.bind(ViewerMediaEndpoint).toSelf().inSingletonScope();
        const ingester = container.get<ArchiveIngester>(ArchiveIngester);
        await ingester.finished(await ingester.start(art));
        const { database } = await container.get<ArchiveStore>(ArchiveStore).open();
        for (const row of database.reader.prepare('SELECT path, asset_id FROM files WHERE asset_id IS NOT NULL').all() as { path: string; asset_id: number }[]) {
            ids.set(path.basename(row.path), row.asset_id);
        }
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
        await pool?.destroy();
        await disposeArchiveTestContainer(container);
        temp.remove();
    });

    const get = (url: string) => fetch(`${base}${url}`, { headers: { cookie } });

    it('indexes the hostile file with its composite and says why its layers were left out', async () => {
        expect(ids.has('hostile.psd')).toBe(true);
        const { database } = await container.get<ArchiveStore>(ArchiveStore).open();
        const notes = database.reader.prepare('SELECT a.notes FROM assets a WHERE a.id = ?').pluck().get(ids.get('hostile.psd')) as string | null;
        expect(notes).toMatch(/nested 10,000 groups deep/);
    });

    it('renders the normal PSD while the hostile one is tried, and answers a retry of the hostile one from memory', async () => {
        const hostileId = ids.get('hostile.psd')!, normalId = ids.get('normal.psd')!;
        const settled: string[] = [];
        const track = (name: string, request: Promise<Response>) => request.then(async response => {
            settled.push(name);
            return { status: response.status, text: response.headers.get('content-type')?.startsWith('image/') ? '' : await response.text(), body: response };
        });
        // What the layer explorer asks for on opening: thumbnails of the layers, then the composite.
        const hostileThumbnail = track('hostile thumbnail', get(MediaRoutes.layerThumbnailUrl(hostileId, 5)));
        const hostileRender = track('hostile render', get(MediaRoutes.layersUrl(hostileId)));
        const normalRender = await track('normal render', get(MediaRoutes.layersUrl(normalId)));
        expect(normalRender.status).toBe(200);
        const { data, info } = await sharp(Buffer.from(await normalRender.body.arrayBuffer())).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
        expect([info.width, info.height]).toEqual([64, 48]);
        expect([...data.subarray((12 * 64 + 12) * 4, (12 * 64 + 12) * 4 + 4)]).toEqual([255, 220, 0, 255]);

        const [thumbnail, render] = await Promise.all([hostileThumbnail, hostileRender]);
        for (const failed of [thumbnail, render]) {
            expect(failed.status).toBe(422);
            expect(failed.text).toMatch(/nested 10,000 groups deep; ImageParser renders at most 100 levels of groups/);
        }
        const reached = pool.started.length;
        const again = await get(MediaRoutes.layersUrl(hostileId));
        expect(again.status).toBe(422);
        expect(await again.text()).toBe(render.text);
        const thumbnailAgain = await get(MediaRoutes.layerThumbnailUrl(hostileId, 7));
        expect(await thumbnailAgain.text()).toBe(thumbnail.text);
        // Neither retry reached a render thread.
        expect(pool.started.length).toBe(reached);
    });

    it('keeps rendering other assets while one asset holds a render thread for as long as it may', async () => {
        // Caps lifted so the hostile document really runs: its layer thumbnail walks 10,000 levels
        // of groups for every level, until its time limit stops it.
        const lanes = new WorkerThreadRenderPool({ thumbnailTimeoutMs: 3_000 });
        try {
            const lifted = { maxPixels: 1e9, maxDecodeBytes: 1e9, maxGroupDepth: 1e6, maxLayerCount: 1e6 };
            let hostileDone = false;
            const slow = lanes.run({ op: 'layer-thumbnail', file: hostile, asset: 'hostile', idx: 5, size: 64, limits: lifted }).finally(() => {
                hostileDone = true;
            });
            const quick = await lanes.run({ op: 'layers', file: normal, asset: 'normal', visibility: {}, maxSize: 64, limits: lifted });
            expect(quick.ok).toBe(true);
            expect(hostileDone).toBe(false);
            const stopped = await slow;
            expect(stopped).toEqual({ ok: false, error: { code: 'timeout', message: 'Rendering took longer than 3 s and was stopped.' } });
        } finally {
            await lanes.destroy();
        }
    });
});
