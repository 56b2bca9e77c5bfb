import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { AddressInfo } from 'net';
import sharp from 'sharp';
import { writePsdBuffer } from 'ag-psd';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Container } from '@theia/core/shared/inversify';
import { HttpSafety } from '../../common/http-safety-protocol';
import { UploadRoutes } from '../../common/upload-protocol';
import { ArchiveStore } from '../store/archive-store';
import { createArchiveTestContainer, makeTempFolder } from '../test/archive-test-container';
import { startTestHttpApp, TestHttpApp } from '../test/http-test-app';
import { DefaultUploadInbox, UploadInbox } from '../upload/upload-inbox';
import { UploadEndpoint } from './upload-endpoint';

const MAX_BYTES = 1024 * 1024;

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

function openFileDescriptors(): number {
    return fs.readdirSync('/proc/self/fd').length;
}

async function until(condition: () => boolean, what: string): Promise<void> {
    for (let waited = 0; !condition(); waited += 20) {
        if (waited > 20_000) {
            throw new Error(`Gave up waiting for ${what}`);
        }
        await new Promise(resolve => setTimeout(resolve, 20));
    }
}

interface Answer {
    readonly status: number;
    readonly body: string;
}

/** A POST whose body the test writes by hand; `answer` settles with the response, or with status 0 when the connection broke first. */
function startPost(app: TestHttpApp, url: string, headers: http.OutgoingHttpHeaders): { request: http.ClientRequest; answer: Promise<Answer> } {
    const request = http.request(`${app.base}${url}`, { method: 'POST', headers });
    const answer = new Promise<Answer>(resolve => {
        request.on('response', response => {
            let body = '';
            response.setEncoding('utf8');
            response.on('data', chunk => body += chunk);
            response.on('end', () => resolve({ status: response.statusCode!, body }));
            response.on('error', () => resolve({ status: response.statusCode!, body }));
        });
        request.on('error', () => resolve({ status: 0, body: '' }));
    });
    return { request, answer };
}

describe('UploadEndpoint', () => {
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
        app = await startTestHttpApp(container, [UploadEndpoint], { maxUploadBytes: MAX_BYTES });
        cookie = await app.cookie();
        png = await sharp({ create: { width: 32, height: 32, channels: 3, background: { r: 1, g: 2, b: 3 } } }).png().toBuffer();
    });

    afterEach(async () => {
        await app.close();
        container.get<ArchiveStore>(ArchiveStore).close();
        temp.remove();
    });

    const headers = (extra: Record<string, string> = {}) => ({
        cookie, 'content-type': 'application/octet-stream', ...HttpSafety.requestHeaders(), ...extra
    });

    async function post(batch: string, file: string, body: Uint8Array | string, extra: Record<string, string> = {}): Promise<Answer> {
        const response = await fetch(`${app.base}${UploadRoutes.url(batch, file)}`, {
            method: 'POST', body: typeof body === 'string' ? body : new Uint8Array(body), headers: headers(extra)
        });
        return { status: response.status, body: await response.text() };
    }

    it('stores an image and answers its batch and path, never a path of the server', async () => {
        const answer = await post('batch-1', 'scenes/sky.png', png);
        expect(answer.status).toBe(201);
        expect(JSON.parse(answer.body)).toEqual({ batch: 'batch-1', path: 'scenes/sky.png', size: png.length });
        expect(answer.body).not.toContain(temp.folder);
        expect(fs.readFileSync(path.join(inbox, 'batch-1', 'scenes', 'sky.png')).equals(png)).toBe(true);
        expect(await container.get<UploadInbox>(UploadInbox).batchFolder('batch-1')).toBe(path.join(inbox, 'batch-1'));
    });

    it('removes the temporary file and closes it when the client cancels, the connection drops or the server times out', async () => {
        expect((await post('warm-up', 'a.png', png)).status).toBe(201);
        const before = openFileDescriptors();
        const part = () => filesUnder(inbox).filter(file => file.endsWith('.part'));

        // The connection drops half-way through the body.
        for (let i = 0; i < 3; i++) {
            const { request, answer } = startPost(app, UploadRoutes.url('dropped', `big-${i}.png`), { ...headers(), 'content-length': String(MAX_BYTES) });
            request.write(png.subarray(0, 8));
            request.write(Buffer.alloc(256 * 1024, 7));
            await until(() => part().length === 1, 'the upload to reach the disk');
            request.destroy();
            await answer;
            await until(() => part().length === 0, 'the temporary file to go');
        }

        // The user presses Cancel: the page's fetch is aborted while its body streams.
        const abort = new AbortController();
        let pull = 0;
        const body = new ReadableStream<Uint8Array>({
            pull: async controller => {
                controller.enqueue(pull++ === 0 ? png.subarray(0, 8) : new Uint8Array(64 * 1024));
                await new Promise(resolve => setTimeout(resolve, pull > 3 ? 50 : 0));
            }
        });
        const cancelled = fetch(`${app.base}${UploadRoutes.url('cancelled', 'c.png')}`, {
            method: 'POST', body, headers: headers(), signal: abort.signal, duplex: 'half'
        } as RequestInit).catch(error => error);
        await until(() => part().length === 1, 'the cancelled upload to reach the disk');
        abort.abort();
        expect(await cancelled).toBeInstanceOf(Error);
        await until(() => part().length === 0, 'the temporary file of the cancelled upload to go');

        // The server's request timeout (300 s in the app) ends a stalled upload.
        const impatient = http.createServer({ requestTimeout: 500, connectionsCheckingInterval: 100 }, app.handler);
        await new Promise<void>(resolve => impatient.listen(0, '127.0.0.1', resolve));
        try {
            const stalled = startPost({ ...app, base: `http://127.0.0.1:${(impatient.address() as AddressInfo).port}` },
                UploadRoutes.url('stalled', 's.png'), { ...headers(), 'content-length': String(MAX_BYTES) });
            stalled.request.write(png.subarray(0, 8));
            stalled.request.write(Buffer.alloc(1024));
            expect((await stalled.answer).status).toBe(408);
            stalled.request.destroy();
            await until(() => part().length === 0, 'the temporary file of the stalled upload to go');
        } finally {
            await new Promise(resolve => impatient.close(resolve));
        }

        await until(() => openFileDescriptors() <= before, `open file descriptors back to ${before} (now ${openFileDescriptors()})`);
        expect(filesUnder(inbox)).toEqual(['warm-up/a.png']);
    });

    it('refuses bodies past the size cap, whether declared or streamed, and keeps nothing', async () => {
        const declared = await post('big', 'huge.png', Buffer.concat([png, Buffer.alloc(MAX_BYTES)]));
        expect(declared).toEqual({ status: 413, body: 'The file is larger than the upload limit of 1 MiB.' });

        const streamed = startPost(app, UploadRoutes.url('big', 'streamed.png'), { ...headers(), 'transfer-encoding': 'chunked' });
        streamed.request.write(png);
        streamed.request.end(Buffer.alloc(MAX_BYTES));
        const answer = await streamed.answer;
        // The answer races the rest of the body; when it arrives, it says why.
        expect([0, 413]).toContain(answer.status);
        await until(() => filesUnder(inbox).length === 0, 'the streamed upload to be removed');
        expect(filesUnder(inbox)).toEqual([]);
        const limits = await fetch(`${app.base}${UploadRoutes.LIMITS_URL}`, { headers: { cookie } });
        expect(await limits.json()).toEqual({ maxBytes: MAX_BYTES });
    });

    it('refuses content that is not the image its name says, and bodies that are not raw bytes', async () => {
        const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(200 * 1024, 0x90)]);
        const psd = (version: number) => {
            const bytes = Buffer.from(writePsdBuffer({ width: 4, height: 4, children: [] }));
            bytes.writeUInt16BE(version, 4);
            return bytes;
        };
        const refusals = [
            await post('mixed', 'tool.png', elf),
            await post('mixed', 'page.jpg', Buffer.from('<html><script>alert(1)</script></html>')),
            await post('mixed', 'odd.psd', psd(3)),
            await post('mixed', 'photo.jpeg', png)
        ];
        for (const refusal of refusals) {
            expect(refusal.status).toBe(415);
            expect(refusal.body).toMatch(/^The content is not (a|an) [A-Za-z ]+, as its name says; only PSD, PSB, PNG and JPEG images can be added\.$/);
        }
        expect((await post('mixed', 'empty.png', new Uint8Array(0))).body).toBe('The upload is empty: no bytes were sent.');
        const json = await post('mixed', 'data.png', JSON.stringify({ a: 1 }), { 'content-type': 'application/json' });
        expect(json.status).toBe(415);
        expect(json.body).toMatch(/^Upload the file's raw bytes as application\/octet-stream/);
        expect((await post('mixed', 'form.png', 'a=1', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
        expect((await post('mixed', 'text.png', 'hello', { 'content-type': 'text/plain' })).status).toBe(415);
        expect((await post('mixed', 'zipped.png', png, { 'content-encoding': 'gzip' })).status).toBe(415);

        expect((await post('mixed', 'layers.psd', psd(1))).status).toBe(201);
        expect((await post('mixed', 'large.psb', psd(2))).status).toBe(201);
        expect((await post('mixed', 'image.png', png, { 'content-type': 'image/png' })).status).toBe(201);
        expect(filesUnder(inbox)).toEqual(['mixed/image.png', 'mixed/large.psb', 'mixed/layers.psd']);
    });

    it('never overwrites: a name already taken is refused and the first file stays', async () => {
        expect((await post('same', 'a.png', png)).status).toBe(201);
        const other = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 9, g: 9, b: 9 } } }).png().toBuffer();
        const second = await post('same', 'a.png', other);
        expect(second).toEqual({ status: 409, body: 'A file named a.png is already in this batch; nothing was overwritten.' });
        expect(fs.readFileSync(path.join(inbox, 'same', 'a.png')).equals(png)).toBe(true);
        expect(filesUnder(inbox)).toEqual(['same/a.png']);
    });

    it('answers every name: up to 255 bytes stored, longer ones and paths under a file refused with a reason', async () => {
        const longest = `${'n'.repeat(251)}.png`;
        expect((await post('names', longest, png)).status).toBe(201);
        for (const length of [244, 248, 250]) {
            expect((await post('names', `${'m'.repeat(length - 4)}.png`, png)).status).toBe(201);
        }
        const tooLong = await post('names', `${'x'.repeat(252)}.png`, png);
        expect(tooLong).toEqual({ status: 400, body: 'A file or folder name in the path is longer than file systems allow (255 bytes).' });
        // 90 Korean syllables are 270 bytes of UTF-8.
        expect((await post('names', `${'가'.repeat(90)}.png`, png)).status).toBe(400);
        const deep = await post('names', `${Array.from({ length: 5 }, () => 'd'.repeat(250)).join('/')}/i.png`, png);
        expect(deep).toEqual({ status: 400, body: 'The file path is longer than 1024 characters.' });

        expect((await post('names', 'a.png', png)).status).toBe(201);
        const under = await post('names', 'a.png/b.png', png);
        expect(under).toEqual({ status: 409, body: 'A file named a.png is in the way of the folder of the same name; nothing was stored.' });
        expect((await post('names', 'line\nbreak.png', png)).status).toBe(400);
        expect(filesUnder(inbox).filter(file => file.endsWith('.part'))).toEqual([]);
    });

    it('never writes through links: a linked inbox, batch or file name is refused and nothing lands outside', async () => {
        const outside = path.join(temp.folder, 'outside');
        fs.mkdirSync(outside);
        expect((await post('real', 'first.png', png)).status).toBe(201);
        fs.symlinkSync(outside, path.join(inbox, 'linked'));
        const linkedBatch = await post('linked', 'x.png', png);
        expect(linkedBatch).toEqual({ status: 403, body: 'The folder linked is a link; uploads never follow links, so nothing was stored.' });
        fs.symlinkSync(path.join(outside, 'target.png'), path.join(inbox, 'real', 'second.png'));
        expect((await post('real', 'second.png', png)).status).toBe(409);
        fs.mkdirSync(path.join(outside, 'sub'));
        fs.symlinkSync(path.join(outside, 'sub'), path.join(inbox, 'real', 'sub'));
        expect((await post('real', 'sub/third.png', png)).status).toBe(403);

        await expect(container.get<UploadInbox>(UploadInbox).batchFolder('linked')).rejects.toThrow('No files were uploaded into this batch.');
        fs.renameSync(inbox, path.join(temp.folder, 'old-inbox'));
        fs.symlinkSync(outside, inbox);
        const linkedInbox = await post('fresh', 'y.png', png);
        expect(linkedInbox).toEqual({ status: 403, body: 'The folder inbox is a link; uploads never follow links, so nothing was stored.' });
        expect(filesUnder(outside)).toEqual([]);
    });
});
