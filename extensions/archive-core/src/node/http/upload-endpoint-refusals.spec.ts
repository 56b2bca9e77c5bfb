import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Container } from '@theia/core/shared/inversify';
import { HttpSafety } from '../../common/http-safety-protocol';
import { UploadRoutes } from '../../common/upload-protocol';
import { ArchiveStore } from '../store/archive-store';
import { createArchiveTestContainer, makeTempFolder } from '../test/archive-test-container';
import { startTestHttpApp, TestHttpApp } from '../test/http-test-app';
import { DefaultUploadInbox, UploadInbox } from '../upload/upload-inbox';
import { UploadEndpoint } from './upload-endpoint';

/** Every file under `folder`, hidden ones included, relative, sorted. */
function filesUnder(folder: string): string[] {
    if (!fs.existsSync(folder)) {
        return [];
    }
    return (fs.readdirSync(folder, { recursive: true, withFileTypes: true }) as fs.Dirent[])
        .filter(entry => !entry.isDirectory())
        .map(entry => path.relative(folder, path.join(entry.parentPath, entry.name)))
        .sort();
}

/**
 * The upload route's refusals over real HTTP: names it must not store, the
 * wrong method, no body or no connection cookie, and an archive or inbox it
 * cannot write. Each answer is a status with one sentence naming no path of
 * the server, nothing is written anywhere, and the next good upload works.
 */
describe('UploadEndpoint refusals', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let archive: string;
    let inbox: string;
    let container: Container;
    let app: TestHttpApp;
    let cookie: string;
    let png: Buffer;

    beforeEach(async () => {
        temp = makeTempFolder();
        archive = path.join(temp.folder, 'archive');
        inbox = path.join(archive, 'inbox');
        container = createArchiveTestContainer(archive);
        container.bind(DefaultUploadInbox).toSelf().inSingletonScope();
        container.bind(UploadInbox).toService(DefaultUploadInbox);
        container.bind(UploadEndpoint).toSelf().inSingletonScope();
        app = await startTestHttpApp(container, [UploadEndpoint], { maxUploadBytes: 1024 * 1024 });
        cookie = await app.cookie();
        png = await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: 4, g: 5, b: 6 } } }).png().toBuffer();
    });

    afterEach(async () => {
        await app.close();
        container.get<ArchiveStore>(ArchiveStore).close();
        temp.remove();
    });

    async function send(url: string, init: { method?: string; body?: Uint8Array | string; headers?: Record<string, string> } = {}) {
        const response = await fetch(`${app.base}${url}`, {
            method: init.method ?? 'POST',
            body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : new Uint8Array(init.body),
            headers: { cookie, 'content-type': 'application/octet-stream', ...HttpSafety.requestHeaders(), ...init.headers }
        });
        return { status: response.status, body: await response.text() };
    }

    /** Everything under the test's temporary folder but the archive's own database files. */
    const written = () => filesUnder(temp.folder).filter(file => !/^archive\/archive\.sqlite(-wal|-shm)?$/.test(file));

    it('refuses batch names that are not plain names with 400, storing nothing', async () => {
        for (const batch of ['..', '.', '.hidden', 'a/b', '../escape', 'a\\b', 'x'.repeat(65), 'tab\there', 'nul\u0000byte', 'semi;colon', '한글']) {
            const answer = await send(UploadRoutes.url(batch, 'a.png'), { body: png });
            // `..` and `.` never reach the route as a batch: the URL itself resolves them.
            expect([400, 404], JSON.stringify(batch)).toContain(answer.status);
            if (answer.status === 400) {
                expect(answer.body, JSON.stringify(batch)).toBe('The batch name is not valid.');
            }
        }
        expect(written()).toEqual([]);
        expect((await send(UploadRoutes.url('ok batch_1.2-x', 'a.png'), { body: png })).status).toBe(201);
    });

    it('refuses paths that climb out, are absolute, hidden, empty or of another type with 400, storing nothing anywhere', async () => {
        const climbing = ['../a.png', '../../outside.png', 'sub/../../a.png', 'sub/./a.png', './a.png', '/etc/a.png', '//a.png', 'sub//a.png',
            'sub\\..\\..\\a.png', 'C:/a.png', 'c:a.png', '.hidden.png', 'sub/.git/a.png', 'a.png/', `sub/${'\u0000'}.png`, 'new\nline.png'];
        for (const relative of climbing) {
            const answer = await send(UploadRoutes.url('batch', relative), { body: png });
            expect(answer.status, JSON.stringify(relative)).toBe(400);
            expect(answer.body, JSON.stringify(relative)).toBe('The file path must be relative, without empty, hidden or ".." parts, backslashes, colons or control characters.');
        }
        for (const [relative, reason] of [['', 'The file path is missing.'], ['notes.txt', 'Only PSD, PSB, PNG and JPEG files can be added.'], ['script.png.sh', 'Only PSD, PSB, PNG and JPEG files can be added.']]) {
            expect(await send(UploadRoutes.url('batch', relative), { body: png }), JSON.stringify(relative)).toEqual({ status: 400, body: reason });
        }
        // No `path` query at all, and `path` given twice (an array in the query).
        expect(await send(`${UploadRoutes.ROOT}/batch`, { body: png })).toEqual({ status: 400, body: 'The file path is missing.' });
        expect((await send(`${UploadRoutes.ROOT}/batch?path=a.png&path=../b.png`, { body: png })).status).toBe(400);
        expect(written()).toEqual([]);
    });

    it('stores nothing for the wrong method, a request without the connection cookie or the safety header, or an empty body', async () => {
        for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
            const answer = await send(UploadRoutes.url('batch', 'a.png'), { method, body: method === 'GET' ? undefined : png });
            expect(answer.status, method).toBeGreaterThanOrEqual(400);
            expect(answer.status, method).toBeLessThan(500);
        }
        const withoutCookie = await fetch(`${app.base}${UploadRoutes.url('batch', 'a.png')}`, {
            method: 'POST', body: new Uint8Array(png), headers: { 'content-type': 'application/octet-stream', ...HttpSafety.requestHeaders() }
        });
        expect(withoutCookie.status).toBe(403);
        const withoutHeader = await fetch(`${app.base}${UploadRoutes.url('batch', 'a.png')}`, {
            method: 'POST', body: new Uint8Array(png), headers: { cookie, 'content-type': 'application/octet-stream' }
        });
        expect(withoutHeader.status).toBe(403);
        expect(await send(UploadRoutes.url('batch', 'a.png'))).toEqual({ status: 400, body: 'The upload is empty: no bytes were sent.' });
        expect(written().filter(file => !file.endsWith('.part'))).toEqual([]);
        expect(written()).toEqual([]);
        expect((await send(UploadRoutes.url('batch', 'a.png'), { body: png })).status).toBe(201);
        expect(written()).toEqual(['archive/inbox/batch/a.png']);
    });

    it('answers 409 when a file or folder is in the way of the inbox, the batch or the name, and keeps what was there', async () => {
        fs.mkdirSync(archive, { recursive: true });
        await container.get<ArchiveStore>(ArchiveStore).open();
        fs.writeFileSync(inbox, 'a file where the inbox folder goes');
        const blockedInbox = await send(UploadRoutes.url('batch', 'a.png'), { body: png });
        expect(blockedInbox.status).toBe(409);
        expect(blockedInbox.body).not.toContain(temp.folder);
        expect(fs.readFileSync(inbox, 'utf8')).toBe('a file where the inbox folder goes');
        fs.rmSync(inbox);

        fs.mkdirSync(path.join(inbox, 'batch', 'taken.png'), { recursive: true });
        const folderInTheWay = await send(UploadRoutes.url('batch', 'taken.png'), { body: png });
        expect(folderInTheWay.status).toBe(409);
        expect(folderInTheWay.body).not.toContain(temp.folder);
        expect(fs.statSync(path.join(inbox, 'batch', 'taken.png')).isDirectory()).toBe(true);
        expect(written()).toEqual([]);
    });

    it('answers 503 when the archive cannot be opened, and writes nothing into it', async () => {
        fs.mkdirSync(archive, { recursive: true });
        fs.writeFileSync(path.join(archive, 'archive.sqlite'), Buffer.alloc(8192, 0x5a));
        const answer = await send(UploadRoutes.url('batch', 'a.png'), { body: png });
        expect(answer).toEqual({ status: 503, body: 'The archive is not available: it cannot be opened, so nothing can be added to it.' });
        expect(filesUnder(temp.folder)).toEqual(['archive/archive.sqlite']);
        expect(fs.readFileSync(path.join(archive, 'archive.sqlite'))).toEqual(Buffer.alloc(8192, 0x5a));
    });
});
