import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Container } from '@theia/core/shared/inversify';
import { AnnotationService } from '../../extensions/archive-core/src/common/annotation-protocol';
import { ArchiveErrors, ArchiveService } from '../../extensions/archive-core/src/common/archive-protocol';
import { HttpSafety } from '../../extensions/archive-core/src/common/http-safety-protocol';
import { MediaRoutes } from '../../extensions/archive-core/src/common/media-protocol';
import { SearchService } from '../../extensions/archive-core/src/common/search-protocol';
import { UploadRoutes } from '../../extensions/archive-core/src/common/upload-protocol';
import { MediaEndpoint } from '../../extensions/archive-core/src/node/http/media-endpoint';
import { UploadEndpoint } from '../../extensions/archive-core/src/node/http/upload-endpoint';
import { ViewerMediaEndpoint } from '../../extensions/archive-core/src/node/http/viewer-media-endpoint';
import { ArchiveIngester } from '../../extensions/archive-core/src/node/ingest/archive-ingester';
import { RenderPool, WorkerThreadRenderPool } from '../../extensions/archive-core/src/node/media/render-pool';
import { ArchiveStore } from '../../extensions/archive-core/src/node/store/archive-store';
import { createArchiveTestContainer, disposeArchiveTestContainer, makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { connectTestFrontend } from '../../extensions/archive-core/src/node/test/test-frontend-connection';
import { startTestHttpApp, TestHttpApp } from '../../extensions/archive-core/src/node/test/http-test-app';
import { DefaultUploadInbox, UploadInbox } from '../../extensions/archive-core/src/node/upload/upload-inbox';
import { makeReadOnly } from './read-only-folder';

/** SHA-256 of every file under `folder`, by relative path. */
function fingerprint(folder: string): Record<string, string> {
    const sums: Record<string, string> = {};
    for (const entry of (fs.readdirSync(folder, { recursive: true }) as string[]).sort()) {
        const file = path.join(folder, entry);
        if (fs.statSync(file).isFile()) {
            sums[entry] = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
        }
    }
    return sums;
}

/**
 * An archive on a read-only folder (an immutable folder for root, missing
 * write permission for others): it opens for browsing, says it is
 * read-only, and refuses every change with a clear reason, touching nothing.
 */
describe('a read-only archive', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let archive: string;
    let art: string;
    let container: Container;
    let app: TestHttpApp;
    let undo: (() => void) | undefined;
    let before: Record<string, string>;
    let skyId: number;

    beforeAll(async () => {
        temp = makeTempFolder();
        archive = path.join(temp.folder, 'archive');
        art = path.join(temp.folder, 'art');
        fs.mkdirSync(art);
        await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 30, g: 120, b: 230 } } }).png().toFile(path.join(art, 'blue sky.png'));
        await sharp({ create: { width: 48, height: 64, channels: 3, background: { r: 20, g: 160, b: 40 } } }).jpeg().toFile(path.join(art, 'forest.jpg'));

        // Made writable, then closed: the archive as another machine or a backup left it.
        const writer = createArchiveTestContainer(archive);
        const ingester = writer.get<ArchiveIngester>(ArchiveIngester);
        expect((await ingester.finished(await ingester.start(art))).indexed).toBe(2);
        const { database } = await writer.get<ArchiveStore>(ArchiveStore).open();
        skyId = database.reader.prepare("SELECT asset_id FROM files WHERE path LIKE '%blue sky.png'").pluck().get() as number;
        await connectTestFrontend(writer).container.get<AnnotationService>(AnnotationService).addTags([skyId], ['clouds']);
        await disposeArchiveTestContainer(writer);

        before = fingerprint(archive);
        undo = makeReadOnly(archive);
        container = createArchiveTestContainer(archive);
        container.bind(RenderPool).toConstantValue(new WorkerThreadRenderPool());
        container.bind(MediaEndpoint).toSelf().inSingletonScope();
        container.bind(ViewerMediaEndpoint).toSelf().inSingletonScope();
        container.bind(DefaultUploadInbox).toSelf().inSingletonScope();
        container.bind(UploadInbox).toService(DefaultUploadInbox);
        container.bind(UploadEndpoint).toSelf().inSingletonScope();
        app = await startTestHttpApp(container, [MediaEndpoint, ViewerMediaEndpoint, UploadEndpoint]);
    }, 120_000);

    afterAll(async () => {
        await app?.close();
        await container?.get<RenderPool>(RenderPool).destroy();
        container?.get(ViewerMediaEndpoint).onStop();
        if (container) {
            await disposeArchiveTestContainer(container);
        }
        undo?.();
        temp.remove();
    });

    it('opens for browsing and says it is read-only', async () => {
        const status = await container.get<ArchiveService>(ArchiveService).getStatus();
        expect(status).toMatchObject({ readOnly: true, assetCount: 2 });
        const search = container.get<SearchService>(SearchService);
        expect((await search.search({ text: 'sky' })).hits.map(hit => hit.name)).toEqual(['blue sky.png']);
        expect((await search.search({ text: 'tag:clouds' })).hits.map(hit => hit.name)).toEqual(['blue sky.png']);
        expect((await search.search({ references: { assetIds: [skyId], mode: 'or' }, limit: 5 })).hits.length).toBeGreaterThan(0);
    });

    it('shows thumbnails, previews, originals and the full image', async () => {
        const cookie = await app.cookie();
        for (const url of [MediaRoutes.url('thumbnail', skyId), MediaRoutes.url('preview', skyId), MediaRoutes.originalUrl(skyId), MediaRoutes.tilesUrl(skyId)]) {
            expect((await fetch(`${app.base}${url}`, { headers: { cookie } })).status).toBe(200);
        }
    }, 60_000);

    it('refuses tags, ratings, comments, indexing and uploads with a clear reason, and changes no file', async () => {
        const annotations = connectTestFrontend(container).container.get<AnnotationService>(AnnotationService);
        const refusals = [
            annotations.addTags([skyId], ['sunny']),
            annotations.setRating([skyId], 4),
            annotations.addComment(skyId, 'A clear day.'),
            container.get<ArchiveIngester>(ArchiveIngester).start(art)
        ];
        for (const refusal of refusals) {
            const error = await refusal.then(() => undefined, (reason: Error) => reason);
            expect(error && ArchiveErrors.ReadOnly.is(error)).toBe(true);
            expect(error?.message).toBe('The archive is read-only: changes cannot be saved.');
        }
        const upload = await fetch(`${app.base}${UploadRoutes.url('batch-1', 'new.png')}`, {
            method: 'POST', body: new Uint8Array(fs.readFileSync(path.join(art, 'blue sky.png'))),
            headers: { cookie: await app.cookie(), 'content-type': 'application/octet-stream', ...HttpSafety.requestHeaders() }
        });
        expect(upload.status).toBe(409);
        expect(await upload.text()).toBe('The archive is read-only: files cannot be added to it.');
        expect(fingerprint(archive)).toEqual(before);
    });
});
