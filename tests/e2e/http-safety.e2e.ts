import { spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { AddressInfo } from 'net';
import sharp from 'sharp';
import WebSocket from '@theia/core/shared/ws';
import { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/temp-folder';
import { AppServer } from './app-server';
import { launchChromium } from './chromium';

const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'extensions/archive-core/lib/node/cli/imageparser.js');
const REFUSED_HOST = 'This ImageParser backend does not answer to this host name.';

/** A raw HTTP GET with the given headers (fetch may not set Host). */
function get(url: string, headers: http.OutgoingHttpHeaders): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
    return new Promise((resolve, reject) => {
        const request = http.get(url, { headers, setHost: !('host' in headers) }, response => {
            let body = '';
            response.setEncoding('utf8');
            response.on('data', chunk => body += chunk);
            response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body }));
        });
        request.on('error', reject);
    });
}

/** Whether a websocket upgrade to the backend's socket.io endpoint with these headers is accepted (101) or refused (the HTTP status). */
function upgrade(base: string, headers: Record<string, string>): Promise<number> {
    return new Promise(resolve => {
        const socket = new WebSocket(`${base.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, { headers });
        socket.on('open', () => {
            socket.close();
            resolve(101);
        });
        socket.on('unexpected-response', (_request, response) => {
            resolve(response.statusCode ?? 0);
            socket.terminate();
        });
        socket.on('error', () => resolve(0));
    });
}

/**
 * The built app against the doors issue 10 found open: a page under another
 * host name that resolves to this machine (DNS rebinding), and a page on
 * another port of this machine (cross-port request forgery), both in a real
 * browser, plus a websocket with a foreign Host.
 */
describe('the browser app against other pages on this machine', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let archive: string;
    let server: AppServer;
    let browser: Browser;
    let port: number;
    let evil: http.Server;
    let evilUrl: string;

    beforeAll(async () => {
        temp = makeTempFolder('imageparser-e2e-');
        archive = path.join(temp.folder, 'archive');
        const art = path.join(temp.folder, 'art');
        fs.mkdirSync(art);
        await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 200, g: 30, b: 30 } } }).png().toFile(path.join(art, 'red.png'));
        const indexed = spawn(process.execPath, [cli, 'index', art, '--archive', archive], { stdio: 'ignore' });
        expect(await new Promise(resolve => indexed.once('exit', resolve))).toBe(0);
        server = await AppServer.start({ IMAGEPARSER_HOME: archive, THEIA_CONFIG_DIR: path.join(temp.folder, 'theia-config') });
        port = Number(new URL(server.url).port);
        browser = await launchChromium([`--host-resolver-rules=MAP rebind.test 127.0.0.1`]);
        const png = fs.readFileSync(path.join(art, 'red.png')).toString('base64');
        // The other page: it tries to add a file to the archive and to tell which asset ids exist.
        evil = http.createServer((_request, response) => response.setHeader('content-type', 'text/html').end(`<html><body><script>
            const app = 'http://127.0.0.1:${port}';
            const bytes = Uint8Array.from(atob('${png}'), c => c.charCodeAt(0));
            const probe = id => new Promise(resolve => {
                const image = new Image();
                image.onload = () => resolve('loaded');
                image.onerror = () => resolve('error');
                image.src = app + '/imageparser/media/thumbnail/' + id;
            });
            window.attack = (async () => {
                await fetch(app + '/imageparser/upload/forged?path=x.png', { method: 'POST', mode: 'no-cors', credentials: 'include', body: new Blob([bytes]) })
                    .catch(() => undefined);
                await fetch(app + '/imageparser/upload/forged-form?path=y.png', { method: 'POST', mode: 'no-cors', credentials: 'include',
                    headers: { 'content-type': 'text/plain' }, body: new Blob([bytes]) }).catch(() => undefined);
                return { existing: await probe(1), missing: await probe(99999) };
            })();
        </script></body></html>`));
        await new Promise<void>(resolve => evil.listen(0, '127.0.0.1', resolve));
        evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}/`;
    });

    afterAll(async () => {
        await new Promise(resolve => evil?.close(resolve));
        await browser?.close();
        await server?.stop();
        temp?.remove();
    });

    it('refuses a foreign Host on its pages, Theia\'s files and its own routes, without handing out the cookie', async () => {
        for (const url of ['/', '/bundle.js', '/imageparser/media/thumbnail/1', '/imageparser/upload/limits']) {
            const refused = await get(`${server.url}${url}`, { host: `rebind.test:${port}` });
            expect(refused.status).toBe(403);
            expect(refused.body).toContain(REFUSED_HOST);
            expect(refused.headers['set-cookie']).toBeUndefined();
        }
        const page = await get(`${server.url}/`, { host: `localhost:${port}` });
        expect(page.status).toBe(200);
        expect(page.headers['set-cookie']?.[0]).toMatch(/^theia-connection-token=/);
        expect(page.headers['cross-origin-resource-policy']).toBe('same-origin');
    });

    it('refuses a websocket upgrade with a foreign Host even with a valid cookie', async () => {
        const cookie = (await get(`${server.url}/`, {})).headers['set-cookie']![0].split(';')[0];
        expect(await upgrade(server.url, { cookie, host: `rebind.test:${port}` })).not.toBe(101);
        expect(await upgrade(server.url, { cookie, host: `127.0.0.1:${port}` })).toBe(101);
    });

    it('shows a page under a rebound host name nothing but the refusal', async () => {
        const context = await browser.newContext();
        try {
            const page = await context.newPage();
            const response = await page.goto(`http://rebind.test:${port}/`);
            expect(response?.status()).toBe(403);
            expect(await page.locator('body').innerText()).toContain(REFUSED_HOST);
            const thumbnail = await page.evaluate(async () => (await fetch('/imageparser/media/thumbnail/1')).status);
            expect(thumbnail).toBe(403);
            expect((await context.cookies()).filter(cookie => cookie.name === 'theia-connection-token')).toEqual([]);
        } finally {
            await context.close();
        }
    });

    it('keeps a page on another port from adding files or probing asset ids, though the browser sends it the cookie', async () => {
        const context = await browser.newContext();
        try {
            const page = await context.newPage();
            // The user has the app open in this browser: the connection cookie is set (and sent to other ports: same site).
            await page.goto(server.url);
            await page.locator('.imageparser-welcome-table').waitFor({ timeout: 90_000 });
            expect(await page.evaluate(async () => (await fetch('/imageparser/media/thumbnail/1')).status)).toBe(200);
            await page.goto(evilUrl);
            const outcome = await page.evaluate(() => (window as unknown as { attack: Promise<unknown> }).attack);
            expect(outcome).toEqual({ existing: 'error', missing: 'error' });
            expect(fs.existsSync(path.join(archive, 'inbox'))).toBe(false);
        } finally {
            await context.close();
        }
    });
});
