import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { writePsdBuffer } from 'ag-psd';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Container } from '@theia/core/shared/inversify';
import { MediaRoutes } from '../../common/media-protocol';
import { ArchiveIngester } from '../ingest/archive-ingester';
import { RenderPool, WorkerThreadRenderPool } from '../media/render-pool';
import { AssetFileRepository } from '../store/asset-file-repository';
import { createArchiveTestContainer, disposeArchiveTestContainer, makeTempFolder } from '../test/archive-test-container';
import { startTestHttpApp, TestHttpApp } from '../test/http-test-app';
import { MediaEndpoint } from './media-endpoint';
import { ViewerMediaEndpoint } from './viewer-media-endpoint';

/** Opens and closes the FIFO's write end, so a reader blocked on it (code without the fix) is let go. */
function releaseReaders(fifo: string): void {
    try {
        fs.closeSync(fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
    } catch {
        // No reader waits.
    }
}

/**
 * What the media routes do when an indexed file is swapped for something
 * else on disk: a named pipe is refused at once (opening one would block a
 * thread for good and, five times over, every file-backed response of the
 * backend), and a link (of the file or of a folder above it) that leads out
 * of the indexed folder is refused, so nothing outside the roots is served.
 */
describe('serving indexed files that were swapped on disk', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let art: string;
    let outside: string;
    let container: Container;
    let app: TestHttpApp;
    let cookie: string;
    const ids = new Map<string, number>();
    const original = new Map<string, Buffer>();

    beforeAll(async () => {
        temp = makeTempFolder();
        art = path.join(temp.folder, 'art');
        outside = path.join(temp.folder, 'outside');
        fs.mkdirSync(path.join(art, 'sub'), { recursive: true });
        fs.mkdirSync(outside);
        const image = (r: number) => sharp({ create: { width: 48, height: 32, channels: 3, background: { r, g: 90, b: 30 } } });
        await image(10).png().toFile(path.join(art, 'pipe.png'));
        await image(20).jpeg().toFile(path.join(art, 'linked.jpg'));
        await image(30).png().toFile(path.join(art, 'sub', 'deep.png'));
        await image(40).jpeg().toFile(path.join(art, 'kept.jpg'));
        fs.writeFileSync(path.join(art, 'layers.psd'), writePsdBuffer({ width: 16, height: 16, children: [{ name: 'one', children: [] }] }));
        await image(200).jpeg().toFile(path.join(outside, 'secret.jpg'));
        await image(210).png().toFile(path.join(outside, 'deep.png'));

        container = createArchiveTestContainer(path.join(temp.folder, 'archive'));
        container.bind(RenderPool).toConstantValue(new WorkerThreadRenderPool({ timeoutMs: 60_000 }));
        container.bind(MediaEndpoint).toSelf().inSingletonScope();
        container.bind(ViewerMediaEndpoint).toSelf().inSingletonScope();
        const ingester = container.get<ArchiveIngester>(ArchiveIngester);
        expect((await ingester.finished(await ingester.start(art))).indexed).toBe(5);
        const files = container.get<AssetFileRepository>(AssetFileRepository);
        for (const name of ['pipe.png', 'linked.jpg', path.join('sub', 'deep.png'), 'kept.jpg', 'layers.psd']) {
            const file = path.join(art, name);
            const id = await files.assetIdOf(file);
            expect(id, file).toBeDefined();
            ids.set(path.basename(name), id!);
            original.set(path.basename(name), fs.readFileSync(file));
        }
        app = await startTestHttpApp(container, [MediaEndpoint, ViewerMediaEndpoint]);
        cookie = await app.cookie();
    }, 120_000);

    afterAll(async () => {
        releaseReaders(path.join(art, 'pipe.png'));
        await app?.close();
        await container.get<RenderPool>(RenderPool).destroy();
        await disposeArchiveTestContainer(container);
        temp.remove();
    });

    // Code without the fix never answers: stop waiting, so the test fails instead of hanging.
    const get = (url: string) => fetch(`${app.base}${url}`, { headers: { cookie }, signal: AbortSignal.timeout(20_000) });

    it('refuses a named pipe put where an indexed file was, five times over, and every other file-backed response keeps working', async () => {
        const fifo = path.join(art, 'pipe.png');
        fs.rmSync(fifo);
        execFileSync('mkfifo', [fifo]);
        const id = ids.get('pipe.png')!;
        const answers = await Promise.all(Array.from({ length: 5 }, () => get(MediaRoutes.originalUrl(id))));
        for (const answer of answers) {
            expect(answer.status).toBe(403);
            expect(await answer.text()).toBe('The original is not served: pipe.png is a named pipe (FIFO), not a regular file; ImageParser reads only regular files.');
        }
        const download = await get(MediaRoutes.originalUrl(id, true));
        expect(download.status).toBe(403);
        const pyramid = await get(MediaRoutes.tilesUrl(id));
        expect(pyramid.status).toBe(403);

        const kept = await get(MediaRoutes.originalUrl(ids.get('kept.jpg')!));
        expect(kept.status).toBe(200);
        expect(Buffer.from(await kept.arrayBuffer()).equals(original.get('kept.jpg')!)).toBe(true);
        expect((await get(MediaRoutes.url('thumbnail', id))).status).toBe(200);
        expect((await get(MediaRoutes.url('preview', ids.get('kept.jpg')!))).status).toBe(200);
        expect((await get(MediaRoutes.tilesUrl(ids.get('kept.jpg')!))).status).toBe(200);
        expect((await get(MediaRoutes.layersUrl(ids.get('layers.psd')!))).status).toBe(200);
    }, 60_000);

    it('refuses an indexed file swapped for a link to a file outside the indexed folders, or to /etc/shadow', async () => {
        const linked = path.join(art, 'linked.jpg');
        const id = ids.get('linked.jpg')!;
        fs.rmSync(linked);
        fs.symlinkSync(path.join(outside, 'secret.jpg'), linked);
        for (const url of [MediaRoutes.originalUrl(id), MediaRoutes.originalUrl(id, true), MediaRoutes.tilesUrl(id)]) {
            const answer = await get(url);
            expect(answer.status).toBe(403);
            expect(await answer.text()).toBe('The original is not served: linked.jpg is a symbolic link, not a regular file; ImageParser reads only regular files.');
        }
        fs.rmSync(linked);
        fs.symlinkSync('/etc/shadow', linked);
        const shadow = await get(MediaRoutes.originalUrl(id));
        expect(shadow.status).toBe(403);
        expect(await shadow.text()).not.toMatch(/root:/);
    });

    it('refuses a file reached through a folder swapped for a link that leads out of the indexed folder', async () => {
        const id = ids.get('deep.png')!;
        fs.renameSync(path.join(art, 'sub'), path.join(temp.folder, 'sub-moved'));
        fs.symlinkSync(outside, path.join(art, 'sub'));
        for (const url of [MediaRoutes.originalUrl(id), MediaRoutes.tilesUrl(id)]) {
            const answer = await get(url);
            expect(answer.status).toBe(403);
            expect(await answer.text()).toBe('The original is not served: it no longer lies inside an indexed folder (it was moved, or replaced by a link).');
        }
        fs.rmSync(path.join(art, 'sub'));
        fs.renameSync(path.join(temp.folder, 'sub-moved'), path.join(art, 'sub'));
        const back = await get(MediaRoutes.originalUrl(id));
        expect(back.status).toBe(200);
        expect(Buffer.from(await back.arrayBuffer()).equals(original.get('deep.png')!)).toBe(true);
    });
});
