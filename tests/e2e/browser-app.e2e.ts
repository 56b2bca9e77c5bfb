import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveDatabase } from '../../extensions/archive-core/src/node/store/database';
import { MediaStore } from '../../extensions/archive-core/src/node/store/media-store';
import { ArchiveLocation } from '../../extensions/archive-core/src/node/store/archive-location';
import { ARCHIVE_MIGRATIONS } from '../../extensions/archive-core/src/node/store/migrations';
import { MediaRoutes } from '../../extensions/archive-core/src/common/media-protocol';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/temp-folder';
import { AppServer } from './app-server';
import { launchChromium } from './chromium';

describe('the browser app', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let archiveFolder: string;
    let thumbnail: Buffer;
    let assetId: number;
    let sqliteVersion: string;
    let server: AppServer;
    let browser: Browser;

    beforeAll(async () => {
        temp = makeTempFolder('imageparser-e2e-');
        archiveFolder = path.join(temp.folder, '아카이브 archive');
        // An archive with one asset and a real generated thumbnail, written before the app starts.
        const location: ArchiveLocation = { folder: archiveFolder, source: 'environment' };
        const database = ArchiveDatabase.open(ArchiveLocation.databaseFile(location));
        thumbnail = await sharp({ create: { width: 96, height: 64, channels: 3, background: { r: 20, g: 120, b: 220 } } }).webp().toBuffer();
        const thumbnailHash = new MediaStore(ArchiveLocation.mediaFolder(location)).put(thumbnail);
        assetId = database.write(db => Number(db.prepare(`INSERT INTO assets (content_hash, kind, width, height, thumbnail_hash, thumbnail_mime, registered_at)
            VALUES (?, 'png', 960, 640, ?, 'image/webp', ?)`).run('d'.repeat(64), thumbnailHash, new Date().toISOString()).lastInsertRowid));
        sqliteVersion = database.sqliteVersion();
        database.close();

        server = await AppServer.start({ IMAGEPARSER_HOME: archiveFolder, THEIA_CONFIG_DIR: path.join(temp.folder, 'theia-config') });
        browser = await launchChromium();
    });

    afterAll(async () => {
        await browser?.close();
        await server?.stop();
        temp?.remove();
    });

    async function openApp(context: BrowserContext): Promise<Page> {
        const page = await context.newPage();
        await page.goto(server.url);
        await page.locator('.imageparser-welcome-table').waitFor({ timeout: 90_000 });
        return page;
    }

    function field(page: Page, name: string) {
        return page.locator(`.imageparser-welcome-table tr[data-field="${name}"] td`);
    }

    it('opens the welcome view on first start and shows the backend\'s archive status there and in the status bar', async () => {
        const context = await browser.newContext();
        try {
            const page = await openApp(context);
            await expect.poll(() => field(page, 'location').innerText()).toBe(archiveFolder);
            expect(await field(page, 'assets').innerText()).toBe('1');
            expect(await field(page, 'schema').innerText()).toBe(String(ARCHIVE_MIGRATIONS.length));
            expect(await field(page, 'sqlite').innerText()).toBe(sqliteVersion);
            expect(await field(page, 'sqlite-vec').innerText()).toBe('v0.1.9');
            expect(await page.locator('.lm-TabBar-tab', { hasText: 'Welcome to ImageParser' }).count()).toBe(1);
            await expect.poll(() => page.locator('.imageparser-archive-status').innerText()).toContain('Assets: 1');

            // Only the first start opens it: closed once, it stays closed after a reload.
            await page.locator('.lm-TabBar-tab', { hasText: 'Welcome to ImageParser' }).locator('.lm-TabBar-tabCloseIcon').click();
            await expect.poll(() => page.locator('.imageparser-welcome').count()).toBe(0);
            await page.reload();
            await page.locator('.imageparser-archive-status').waitFor({ timeout: 90_000 });
            await expect.poll(() => page.locator('.imageparser-archive-status').innerText()).toContain('Assets: 1');
            expect(await page.locator('.imageparser-welcome').count()).toBe(0);
            // The status bar item brings it back.
            await page.locator('.imageparser-archive-status').click();
            await page.locator('.imageparser-welcome-table').waitFor({ timeout: 30_000 });
        } finally {
            await context.close();
        }
    });

    it('serves the thumbnail by asset id to the app\'s page and refuses requests without its connection', async () => {
        const url = `${server.url}${MediaRoutes.url('thumbnail', assetId)}`;
        expect((await fetch(url)).status).toBe(403);

        const context = await browser.newContext();
        try {
            const page = await openApp(context);
            const response = await context.request.get(url);
            expect(response.status()).toBe(200);
            expect(response.headers()['content-type']).toBe('image/webp');
            expect(Buffer.from(await response.body()).equals(thumbnail)).toBe(true);
            // The page itself can show it in an <img>, as the result grid will.
            const size = await page.evaluate(async src => {
                const image = new Image();
                image.src = src;
                await image.decode();
                return [image.naturalWidth, image.naturalHeight];
            }, MediaRoutes.url('thumbnail', assetId));
            expect(size).toEqual([96, 64]);
        } finally {
            await context.close();
        }
    });

    it('shows Korean strings once Korean is chosen as the display language', async () => {
        const context = await browser.newContext();
        try {
            const page = await openApp(context);
            // Choose the language the way a user does: the command palette's "Configure Display Language".
            await page.locator('.imageparser-welcome').click();
            await page.keyboard.press('F1');
            await page.keyboard.type('Configure Display Language');
            await page.keyboard.press('Enter');
            const korean = page.locator('.monaco-list-row', { hasText: '한국어' });
            await korean.waitFor({ timeout: 30_000 });
            await korean.click();
            // Theia asks before it reloads the window in the new language.
            const restart = page.locator('.dialogBlock .theia-button.main');
            await restart.waitFor({ timeout: 30_000 });
            await Promise.all([page.waitForEvent('load', { timeout: 60_000 }), restart.click()]);
            await page.locator('.imageparser-welcome-table').waitFor({ timeout: 90_000 });
            await expect.poll(() => page.locator('.lm-TabBar-tab', { hasText: 'ImageParser 시작하기' }).count(), { timeout: 30_000 }).toBe(1);
            expect(await page.locator('.imageparser-welcome-table tr[data-field="location"] th').innerText()).toBe('위치');
            await expect.poll(() => page.locator('.imageparser-archive-status').innerText()).toContain('에셋: 1');
            expect(await page.evaluate(() => window.localStorage.getItem('localeId'))).toBe('ko');
        } finally {
            await context.close();
        }
    });

    it('keeps the archive in the archive folder, and logs no archive error', () => {
        expect(fs.existsSync(path.join(archiveFolder, 'archive.sqlite'))).toBe(true);
        expect(server.log).toContain(`Archive open at ${archiveFolder} (environment)`);
        expect(server.log).not.toMatch(/archive-core:\S+ ERROR/);
    });
});
