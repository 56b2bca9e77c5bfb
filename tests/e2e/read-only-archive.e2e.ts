import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/temp-folder';
import { makeReadOnly } from '../store/read-only-folder';
import { startInKorean } from './app-page';
import { AppServer } from './app-server';
import { launchChromium } from './chromium';

const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'extensions/archive-core/lib/node/cli/imageparser.js');

/** The browser app over an archive on a read-only folder: it opens for browsing and says, in the user's language, that it is read-only. */
describe('the browser app with a read-only archive', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let archive: string;
    let server: AppServer;
    let browser: Browser;
    let undo: (() => void) | undefined;

    beforeAll(async () => {
        temp = makeTempFolder('imageparser-e2e-');
        archive = path.join(temp.folder, 'archive');
        const art = path.join(temp.folder, 'art');
        fs.mkdirSync(art);
        await sharp({ create: { width: 80, height: 60, channels: 3, background: { r: 240, g: 200, b: 20 } } }).png().toFile(path.join(art, 'sunflower.png'));
        const indexed = spawn(process.execPath, [cli, 'index', art, '--archive', archive], { stdio: 'ignore' });
        expect(await new Promise(resolve => indexed.once('exit', resolve))).toBe(0);
        undo = makeReadOnly(archive);
        server = await AppServer.start({ IMAGEPARSER_HOME: archive, THEIA_CONFIG_DIR: path.join(temp.folder, 'theia-config') });
        browser = await launchChromium();
    });

    afterAll(async () => {
        await browser?.close();
        await server?.stop();
        undo?.();
        temp?.remove();
    });

    it('shows the archive and says it is read-only in the status bar and on the welcome page; an upload is refused without naming a folder', async () => {
        const page = await server.openPage(browser);
        try {
            expect(await page.locator('.imageparser-welcome-table tr[data-field="assets"] td').innerText()).toBe('1');
            expect(await page.locator('.imageparser-welcome-table tr[data-field="access"] td').innerText()).toBe('Read-only');
            expect(await page.locator('.imageparser-welcome-read-only').innerText()).toBe(
                'The archive is read-only: you can search and view it, but files, tags, ratings and comments cannot be added or changed.');
            await expect.poll(() => page.locator('.imageparser-archive-status').innerText()).toMatch(/Assets: 1\s+Read-only/);
            const thumbnail = await page.evaluate(async () => (await fetch('/imageparser/media/thumbnail/1')).status);
            expect(thumbnail).toBe(200);
            const upload = await page.evaluate(async () => {
                const response = await fetch('/imageparser/upload/batch-1?path=new.png', {
                    method: 'POST', body: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
                    headers: { 'Content-Type': 'application/octet-stream', 'X-ImageParser-Request': '1' }
                });
                return { status: response.status, text: await response.text() };
            });
            expect(upload).toEqual({ status: 409, text: 'The archive is read-only: files cannot be added to it.' });
        } finally {
            await page.context().close();
        }
    });

    it('says it in Korean to a Korean user', async () => {
        const context = await browser.newContext();
        try {
            await startInKorean(context);
            const page = await context.newPage();
            await page.goto(server.url);
            await page.locator('.imageparser-welcome-read-only').waitFor({ timeout: 90_000 });
            expect(await page.locator('.imageparser-welcome-read-only').innerText()).toContain('아카이브가 읽기 전용입니다');
            expect(await page.locator('.imageparser-welcome-table tr[data-field="access"] td').innerText()).toBe('읽기 전용');
            await expect.poll(() => page.locator('.imageparser-archive-status').innerText()).toContain('읽기 전용');
        } finally {
            await context.close();
        }
    });
});
