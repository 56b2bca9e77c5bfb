import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { AddressInfo } from 'net';
import sharp from 'sharp';
import { writePsdBuffer } from 'ag-psd';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UploadRoutes } from '../../common/upload-protocol';
import { TestHttpApp } from '../test/http-test-app';
import { filesUnder, startUploadTestApp, UploadAnswer, UploadTestApp } from '../test/upload-test-app';
import { UploadInbox } from '../upload/upload-inbox';

const MAX_BYTES = 1024 * 1024;

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

/** A POST whose body the test writes by hand; `answer` settles with the response, or with status 0 when the connection broke first. */
function startPost(app: TestHttpApp, url: string, headers: http.OutgoingHttpHeaders): { request: http.ClientRequest; answer: Promise<UploadAnswer> } {
    const request = http.request(`${app.base}${url}`, { method: 'POST', headers });
    const answer = new Promise<UploadAnswer>(resolve => {
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
    let upload: UploadTestApp;

    beforeEach(async () => {
        upload = await startUploadTestApp(MAX_BYTES);
    });

    afterEach(() => upload.close());

    const post = (batch: string, file: string, body: Uint8Array | string, headers?: Record<string, string>) =>
        upload.send(UploadRoutes.url(batch, file), { body, headers });

    it('stores an image and answers its batch and path, never a path of the server', async () => {
        const answer = await post('batch-1', 'scenes/sky.png', upload.png);
        expect(answer.status).toBe(201);
        expect(JSON.parse(answer.body)).toEqual({ batch: 'batch-1', path: 'scenes/sky.png', size: upload.png.length });
        expect(answer.body).not.toContain(upload.temp.folder);
        expect(fs.readFileSync(path.join(upload.inbox, 'batch-1', 'scenes', 'sky.png')).equals(upload.png)).toBe(true);
        expect(await upload.container.get<UploadInbox>(UploadInbox).batchFolder('batch-1')).toBe(path.join(upload.inbox, 'batch-1'));
    });

    it('removes the temporary file and closes it when the client cancels, the connection drops or the server times out', async () => {
        expect((await post('warm-up', 'a.png', upload.png)).status).toBe(201);
        const before = openFileDescriptors();
        const part = () => filesUnder(upload.inbox).filter(file => file.endsWith('.part'));

        // The connection drops half-way through the body.
        for (let i = 0; i < 3; i++) {
            const { request, answer } = startPost(upload.app, UploadRoutes.url('dropped', `big-${i}.png`), { ...upload.headers(), 'content-length': String(MAX_BYTES) });
            request.write(upload.png.subarray(0, 8));
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
                controller.enqueue(pull++ === 0 ? upload.png.subarray(0, 8) : new Uint8Array(64 * 1024));
                await new Promise(resolve => setTimeout(resolve, pull > 3 ? 50 : 0));
            }
        });
        const cancelled = fetch(`${upload.app.base}${UploadRoutes.url('cancelled', 'c.png')}`, {
            method: 'POST', body, headers: upload.headers(), signal: abort.signal, duplex: 'half'
        } as RequestInit).catch(error => error);
        await until(() => part().length === 1, 'the cancelled upload to reach the disk');
        abort.abort();
        expect(await cancelled).toBeInstanceOf(Error);
        await until(() => part().length === 0, 'the temporary file of the cancelled upload to go');

        // The server's request timeout (300 s in the app) ends a stalled upload.
        const impatient = http.createServer({ requestTimeout: 500, connectionsCheckingInterval: 100 }, upload.app.handler);
        await new Promise<void>(resolve => impatient.listen(0, '127.0.0.1', resolve));
        try {
            const stalled = startPost({ ...upload.app, base: `http://127.0.0.1:${(impatient.address() as AddressInfo).port}` },
                UploadRoutes.url('stalled', 's.png'), { ...upload.headers(), 'content-length': String(MAX_BYTES) });
            stalled.request.write(upload.png.subarray(0, 8));
            stalled.request.write(Buffer.alloc(1024));
            expect((await stalled.answer).status).toBe(408);
            stalled.request.destroy();
            await until(() => part().length === 0, 'the temporary file of the stalled upload to go');
        } finally {
            await new Promise(resolve => impatient.close(resolve));
        }

        await until(() => openFileDescriptors() <= before, `open file descriptors back to ${before} (now ${openFileDescriptors()})`);
        expect(filesUnder(upload.inbox)).toEqual(['warm-up/a.png']);
    });

    it('refuses bodies past the size cap, whether declared or streamed, and keeps nothing', async () => {
        const declared = await post('big', 'huge.png', Buffer.concat([upload.png, Buffer.alloc(MAX_BYTES)]));
        expect(declared).toEqual({ status: 413, body: 'The file is larger than the upload limit of 1 MiB.' });

        const streamed = startPost(upload.app, UploadRoutes.url('big', 'streamed.png'), { ...upload.headers(), 'transfer-encoding': 'chunked' });
        streamed.request.write(upload.png);
        streamed.request.end(Buffer.alloc(MAX_BYTES));
        const answer = await streamed.answer;
        // The answer races the rest of the body; when it arrives, it says why.
        expect([0, 413]).toContain(answer.status);
        await until(() => filesUnder(upload.inbox).length === 0, 'the streamed upload to be removed');
        expect(filesUnder(upload.inbox)).toEqual([]);
        const limits = await fetch(`${upload.app.base}${UploadRoutes.LIMITS_URL}`, { headers: { cookie: upload.cookie } });
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
            await post('mixed', 'photo.jpeg', upload.png)
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
        expect((await post('mixed', 'zipped.png', upload.png, { 'content-encoding': 'gzip' })).status).toBe(415);

        expect((await post('mixed', 'layers.psd', psd(1))).status).toBe(201);
        expect((await post('mixed', 'large.psb', psd(2))).status).toBe(201);
        expect((await post('mixed', 'image.png', upload.png, { 'content-type': 'image/png' })).status).toBe(201);
        expect(filesUnder(upload.inbox)).toEqual(['mixed/image.png', 'mixed/large.psb', 'mixed/layers.psd']);
    });

    it('never overwrites: a name already taken is refused and the first file stays', async () => {
        expect((await post('same', 'a.png', upload.png)).status).toBe(201);
        const other = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 9, g: 9, b: 9 } } }).png().toBuffer();
        const second = await post('same', 'a.png', other);
        expect(second).toEqual({ status: 409, body: 'A file named a.png is already in this batch; nothing was overwritten.' });
        expect(fs.readFileSync(path.join(upload.inbox, 'same', 'a.png')).equals(upload.png)).toBe(true);
        expect(filesUnder(upload.inbox)).toEqual(['same/a.png']);
    });

    it('answers every name: up to 255 bytes stored, longer ones and paths under a file refused with a reason', async () => {
        const longest = `${'n'.repeat(251)}.png`;
        expect((await post('names', longest, upload.png)).status).toBe(201);
        for (const length of [244, 248, 250]) {
            expect((await post('names', `${'m'.repeat(length - 4)}.png`, upload.png)).status).toBe(201);
        }
        const tooLong = await post('names', `${'x'.repeat(252)}.png`, upload.png);
        expect(tooLong).toEqual({ status: 400, body: 'A file or folder name in the path is longer than file systems allow (255 bytes).' });
        // 90 Korean syllables are 270 bytes of UTF-8.
        expect((await post('names', `${'가'.repeat(90)}.png`, upload.png)).status).toBe(400);
        const deep = await post('names', `${Array.from({ length: 5 }, () => 'd'.repeat(250)).join('/')}/i.png`, upload.png);
        expect(deep).toEqual({ status: 400, body: 'The file path is longer than 1024 characters.' });

        expect((await post('names', 'a.png', upload.png)).status).toBe(201);
        const under = await post('names', 'a.png/b.png', upload.png);
        expect(under).toEqual({ status: 409, body: 'A file named a.png is in the way of the folder of the same name; nothing was stored.' });
        expect((await post('names', 'line\nbreak.png', upload.png)).status).toBe(400);
        expect(filesUnder(upload.inbox).filter(file => file.endsWith('.part'))).toEqual([]);
    });

    it('never writes through links: a linked inbox, batch or file name is refused and nothing lands outside', async () => {
        const outside = path.join(upload.temp.folder, 'outside');
        fs.mkdirSync(outside);
        expect((await post('real', 'first.png', upload.png)).status).toBe(201);
        fs.symlinkSync(outside, path.join(upload.inbox, 'linked'));
        const linkedBatch = await post('linked', 'x.png', upload.png);
        expect(linkedBatch).toEqual({ status: 403, body: 'The folder linked is a link; uploads never follow links, so nothing was stored.' });
        fs.symlinkSync(path.join(outside, 'target.png'), path.join(upload.inbox, 'real', 'second.png'));
        expect((await post('real', 'second.png', upload.png)).status).toBe(409);
        fs.mkdirSync(path.join(outside, 'sub'));
        fs.symlinkSync(path.join(outside, 'sub'), path.join(upload.inbox, 'real', 'sub'));
        expect((await post('real', 'sub/third.png', upload.png)).status).toBe(403);

        await expect(upload.container.get<UploadInbox>(UploadInbox).batchFolder('linked')).rejects.toThrow('No files were uploaded into this batch.');
        fs.renameSync(upload.inbox, path.join(upload.temp.folder, 'old-inbox'));
        fs.symlinkSync(outside, upload.inbox);
        const linkedInbox = await post('fresh', 'y.png', upload.png);
        expect(linkedInbox).toEqual({ status: 403, body: 'The folder inbox is a link; uploads never follow links, so nothing was stored.' });
        expect(filesUnder(outside)).toEqual([]);
    });
});
