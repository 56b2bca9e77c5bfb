import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/temp-folder';
import { AppServer } from './app-server';
import { launchChromium } from './chromium';

/** Files dropped onto the browser app: the page cannot see their paths, so they are uploaded into the archive's inbox and indexed. */
describe('dropping files onto the app', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let archive: string;
    let server: AppServer;
    let browser: Browser;

    beforeAll(async () => {
        temp = makeTempFolder('imageparser-e2e-');
        archive = path.join(temp.folder, 'archive');
        server = await AppServer.start({ IMAGEPARSER_HOME: archive, THEIA_CONFIG_DIR: path.join(temp.folder, 'theia-config') });
        browser = await launchChromium();
    });

    afterAll(async () => {
        await browser?.close();
        await server?.stop();
        temp?.remove();
    });

    it('shows a drop overlay, uploads the images of the drop, indexes them and ignores other files', async () => {
        const png = await sharp({ create: { width: 300, height: 200, channels: 4, background: { r: 200, g: 40, b: 90, alpha: 1 } } }).png().toBuffer();
        const jpeg = await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 20, g: 120, b: 220 } } }).jpeg().toBuffer();
        const page = await server.openPage(browser);
        try {

            const drop = await page.evaluateHandle(([pngBytes, jpegBytes]) => {
                const transfer = new DataTransfer();
                transfer.items.add(new File([new Uint8Array(pngBytes)], '배경 scene.png', { type: 'image/png' }));
                transfer.items.add(new File([new Uint8Array(jpegBytes)], 'photo.JPG', { type: 'image/jpeg' }));
                transfer.items.add(new File(['meeting notes'], 'notes.txt', { type: 'text/plain' }));
                return transfer;
            }, [[...png], [...jpeg]]);
            const mainArea = page.locator('#theia-main-content-panel');
            await mainArea.dispatchEvent('dragenter', { dataTransfer: drop });
            await mainArea.dispatchEvent('dragover', { dataTransfer: drop });
            await expect.poll(() => page.locator('.imageparser-drop-overlay').innerText()).toBe('Drop images or folders to add them to the archive');
            await mainArea.dispatchEvent('drop', { dataTransfer: drop });
            expect(await page.locator('.imageparser-drop-overlay').count()).toBe(0);

            const summary = page.locator('.theia-notification-toasts .theia-notification-list-item', { hasText: 'indexed' });
            await summary.first().waitFor({ timeout: 60_000 });
            const batches = fs.readdirSync(path.join(archive, 'inbox'));
            expect(batches).toHaveLength(1);
            const batch = path.join(archive, 'inbox', batches[0]);
            expect(fs.readdirSync(batch).sort()).toEqual(['photo.JPG', '배경 scene.png']);
            expect(fs.readFileSync(path.join(batch, '배경 scene.png')).equals(png)).toBe(true);
            expect(await summary.allInnerTexts()).toEqual([`Indexed ${batches[0]}: 2 indexed, 0 failed.`]);
            await expect.poll(() => page.locator('.imageparser-archive-status').innerText(), { timeout: 30_000 }).toContain('Assets: 2');
            // Theia's main area would have opened the PNG as a text editor; nothing was opened.
            expect(await page.locator('.theia-editor').count()).toBe(0);
        } finally {
            await page.context().close();
        }
    });

    it('says why a dropped file was refused, indexes the others, and its answers name no path of the server', async () => {
        const png = await sharp({ create: { width: 120, height: 80, channels: 3, background: { r: 90, g: 200, b: 40 } } }).png().toBuffer();
        const page = await server.openPage(browser);
        try {
            const drop = await page.evaluateHandle(pngBytes => {
                const transfer = new DataTransfer();
                transfer.items.add(new File([new Uint8Array(pngBytes)], 'meadow.png', { type: 'image/png' }));
                transfer.items.add(new File(['<html>not an image</html>'], 'fake.png', { type: 'image/png' }));
                return transfer;
            }, [...png]);
            await page.locator('#theia-main-content-panel').dispatchEvent('drop', { dataTransfer: drop });
            const warning = page.locator('.theia-notification-toasts .theia-notification-list-item', { hasText: 'could not be uploaded' });
            await warning.first().waitFor({ timeout: 60_000 });
            expect(await warning.first().innerText()).toContain(
                '1 of 2 dropped files could not be uploaded: fake.png: The content is not a PNG image, as its name says; only PSD, PSB, PNG and JPEG images can be added.');
            const summary = page.locator('.theia-notification-toasts .theia-notification-list-item', { hasText: '1 indexed, 0 failed' });
            await summary.first().waitFor({ timeout: 60_000 });
            // What the page's upload client is answered: the batch and the path inside it, nothing of the server's disk.
            const answer = await page.evaluate(async pngBytes => {
                const response = await fetch('/imageparser/upload/answers?path=sub%2Fmeadow.png', {
                    method: 'POST', body: new Uint8Array(pngBytes), headers: { 'Content-Type': 'application/octet-stream', 'X-ImageParser-Request': '1' }
                });
                return { status: response.status, body: await response.text() };
            }, [...png]);
            expect(answer.status).toBe(201);
            expect(JSON.parse(answer.body)).toEqual({ batch: 'answers', path: 'sub/meadow.png', size: png.length });
            const batches = fs.readdirSync(path.join(archive, 'inbox')).filter(batch => batch !== 'answers' && fs.existsSync(path.join(archive, 'inbox', batch, 'meadow.png')));
            expect(batches).toHaveLength(1);
            expect(fs.readdirSync(path.join(archive, 'inbox', batches[0]))).toEqual(['meadow.png']);
        } finally {
            await page.context().close();
        }
    });

    it('refuses uploads without the connection cookie, and paths that climb out or are not images', async () => {
        const anonymous = await fetch(`${server.url}/imageparser/upload/batch-1?path=a.png`, { method: 'POST', body: 'x' });
        expect(anonymous.status).toBe(403);
        const page = await server.openPage(browser);
        try {
            const statuses = await page.evaluate(async () => {
                const post = async (batch: string, file: string) =>
                    (await fetch(`/imageparser/upload/${encodeURIComponent(batch)}?path=${encodeURIComponent(file)}`, { method: 'POST', body: 'x' })).status;
                return [await post('batch-1', '../escape.png'), await post('batch-1', '/etc/x.png'), await post('batch-1', 'notes.txt'),
                    await post('.hidden', 'a.png'), await post('../up', 'a.png'), await post('batch-1', 'sub/.hidden.png')];
            });
            expect(statuses).toEqual([400, 400, 400, 400, 400, 400]);
            expect(fs.existsSync(path.join(archive, 'escape.png'))).toBe(false);
            expect(fs.existsSync(path.join(archive, 'inbox', 'batch-1'))).toBe(false);
        } finally {
            await page.context().close();
        }
    });
});
