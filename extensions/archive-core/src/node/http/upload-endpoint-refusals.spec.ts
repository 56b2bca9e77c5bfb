import * as fs from 'fs';
import * as path from 'path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HttpSafety } from '../../common/http-safety-protocol';
import { UploadRoutes } from '../../common/upload-protocol';
import { ArchiveStore } from '../store/archive-store';
import { filesUnder, startUploadTestApp, UploadTestApp } from '../test/upload-test-app';

/**
 * The upload route's refusals over real HTTP: names it must not store, the
 * wrong method, no body or no connection cookie, and an archive or inbox it
 * cannot write. Each answer is a status with one sentence naming no path of
 * the server, nothing is written anywhere, and the next good upload works.
 */
describe('UploadEndpoint refusals', () => {
    let upload: UploadTestApp;

    beforeEach(async () => {
        upload = await startUploadTestApp(1024 * 1024);
    });

    afterEach(() => upload.close());

    /** Everything under the test's temporary folder but the archive's own database files. */
    const written = () => filesUnder(upload.temp.folder).filter(file => !/^archive\/archive\.sqlite(-wal|-shm)?$/.test(file));

    it('refuses batch names that are not plain names with 400, storing nothing', async () => {
        for (const batch of ['..', '.', '.hidden', 'a/b', '../escape', 'a\\b', 'x'.repeat(65), 'tab\there', 'nul\u0000byte', 'semi;colon', '한글']) {
            const answer = await upload.send(UploadRoutes.url(batch, 'a.png'), { body: upload.png });
            // `..` and `.` never reach the route as a batch: the URL itself resolves them.
            expect([400, 404], JSON.stringify(batch)).toContain(answer.status);
            if (answer.status === 400) {
                expect(answer.body, JSON.stringify(batch)).toBe('The batch name is not valid.');
            }
        }
        expect(written()).toEqual([]);
        expect((await upload.send(UploadRoutes.url('ok batch_1.2-x', 'a.png'), { body: upload.png })).status).toBe(201);
    });

    it('refuses paths that climb out, are absolute, hidden, empty or of another type with 400, storing nothing anywhere', async () => {
        const climbing = ['../a.png', '../../outside.png', 'sub/../../a.png', 'sub/./a.png', './a.png', '/etc/a.png', '//a.png', 'sub//a.png',
            'sub\\..\\..\\a.png', 'C:/a.png', 'c:a.png', '.hidden.png', 'sub/.git/a.png', 'a.png/', `sub/${'\u0000'}.png`, 'new\nline.png'];
        for (const relative of climbing) {
            const answer = await upload.send(UploadRoutes.url('batch', relative), { body: upload.png });
            expect(answer.status, JSON.stringify(relative)).toBe(400);
            expect(answer.body, JSON.stringify(relative)).toBe('The file path must be relative, without empty, hidden or ".." parts, backslashes, colons or control characters.');
        }
        for (const [relative, reason] of [['', 'The file path is missing.'], ['notes.txt', 'Only PSD, PSB, PNG and JPEG files can be added.'], ['script.png.sh', 'Only PSD, PSB, PNG and JPEG files can be added.']]) {
            expect(await upload.send(UploadRoutes.url('batch', relative), { body: upload.png }), JSON.stringify(relative)).toEqual({ status: 400, body: reason });
        }
        // No `path` query at all, and `path` given twice (an array in the query).
        expect(await upload.send(`${UploadRoutes.ROOT}/batch`, { body: upload.png })).toEqual({ status: 400, body: 'The file path is missing.' });
        expect((await upload.send(`${UploadRoutes.ROOT}/batch?path=a.png&path=../b.png`, { body: upload.png })).status).toBe(400);
        expect(written()).toEqual([]);
    });

    it('stores nothing for the wrong method, a request without the connection cookie or the safety header, or an empty body', async () => {
        for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
            const answer = await upload.send(UploadRoutes.url('batch', 'a.png'), { method, body: method === 'GET' ? undefined : upload.png });
            expect(answer.status, method).toBeGreaterThanOrEqual(400);
            expect(answer.status, method).toBeLessThan(500);
        }
        const withoutCookie = await fetch(`${upload.app.base}${UploadRoutes.url('batch', 'a.png')}`, {
            method: 'POST', body: new Uint8Array(upload.png), headers: { 'content-type': 'application/octet-stream', ...HttpSafety.requestHeaders() }
        });
        expect(withoutCookie.status).toBe(403);
        const withoutHeader = await fetch(`${upload.app.base}${UploadRoutes.url('batch', 'a.png')}`, {
            method: 'POST', body: new Uint8Array(upload.png), headers: { cookie: upload.cookie, 'content-type': 'application/octet-stream' }
        });
        expect(withoutHeader.status).toBe(403);
        expect(await upload.send(UploadRoutes.url('batch', 'a.png'))).toEqual({ status: 400, body: 'The upload is empty: no bytes were sent.' });
        expect(written().filter(file => !file.endsWith('.part'))).toEqual([]);
        expect(written()).toEqual([]);
        expect((await upload.send(UploadRoutes.url('batch', 'a.png'), { body: upload.png })).status).toBe(201);
        expect(written()).toEqual(['archive/inbox/batch/a.png']);
    });

    it('answers 409 when a file or folder is in the way of the inbox, the batch or the name, and keeps what was there', async () => {
        fs.mkdirSync(upload.archive, { recursive: true });
        await upload.container.get<ArchiveStore>(ArchiveStore).open();
        fs.writeFileSync(upload.inbox, 'a file where the inbox folder goes');
        const blockedInbox = await upload.send(UploadRoutes.url('batch', 'a.png'), { body: upload.png });
        expect(blockedInbox.status).toBe(409);
        expect(blockedInbox.body).not.toContain(upload.temp.folder);
        expect(fs.readFileSync(upload.inbox, 'utf8')).toBe('a file where the inbox folder goes');
        fs.rmSync(upload.inbox);

        fs.mkdirSync(path.join(upload.inbox, 'batch', 'taken.png'), { recursive: true });
        const folderInTheWay = await upload.send(UploadRoutes.url('batch', 'taken.png'), { body: upload.png });
        expect(folderInTheWay.status).toBe(409);
        expect(folderInTheWay.body).not.toContain(upload.temp.folder);
        expect(fs.statSync(path.join(upload.inbox, 'batch', 'taken.png')).isDirectory()).toBe(true);
        expect(written()).toEqual([]);
    });

    it('answers 503 when the archive cannot be opened, and writes nothing into it', async () => {
        fs.mkdirSync(upload.archive, { recursive: true });
        fs.writeFileSync(path.join(upload.archive, 'archive.sqlite'), Buffer.alloc(8192, 0x5a));
        const answer = await upload.send(UploadRoutes.url('batch', 'a.png'), { body: upload.png });
        expect(answer).toEqual({ status: 503, body: 'The archive is not available: it cannot be opened, so nothing can be added to it.' });
        expect(filesUnder(upload.temp.folder)).toEqual(['archive/archive.sqlite']);
        expect(fs.readFileSync(path.join(upload.archive, 'archive.sqlite'))).toEqual(Buffer.alloc(8192, 0x5a));
    });
});
