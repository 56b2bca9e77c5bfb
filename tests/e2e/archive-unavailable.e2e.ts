import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/temp-folder';
import { startInKorean } from './app-page';
import { AppServer } from './app-server';
import { launchChromium } from './chromium';

describe('the browser app with an unusable archive file', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let archiveFile: string;
    let server: AppServer;
    let browser: Browser;
    const notes = 'Moodboard notes, saved under the wrong name.\n'.repeat(100);

    beforeAll(async () => {
        temp = makeTempFolder('imageparser-e2e-');
        const archiveFolder = path.join(temp.folder, 'archive');
        fs.mkdirSync(archiveFolder);
        archiveFile = path.join(archiveFolder, 'archive.sqlite');
        fs.writeFileSync(archiveFile, notes);
        server = await AppServer.start({ IMAGEPARSER_HOME: archiveFolder, THEIA_CONFIG_DIR: path.join(temp.folder, 'theia-config') });
        browser = await launchChromium();
    });

    afterAll(async () => {
        await browser?.close();
        await server?.stop();
        temp?.remove();
    });

    it('explains the problem in Korean to a Korean user', async () => {
        const context = await browser.newContext();
        try {
            await startInKorean(context);
            const page = await context.newPage();
            await page.goto(server.url);
            const error = page.locator('.imageparser-welcome-error');
            await error.waitFor({ timeout: 90_000 });
            expect(await error.innerText()).toContain(`${archiveFile}은(는) SQLite 데이터베이스가 아닙니다`);
            await expect.poll(() => page.locator('.imageparser-archive-status').innerText()).toContain('아카이브를 사용할 수 없음');
        } finally {
            await context.close();
        }
    });

    it('says why in the welcome view and the status bar, keeps the file as it was, and recovers on Refresh once it is moved away', async () => {
        const before = crypto.createHash('sha256').update(fs.readFileSync(archiveFile)).digest('hex');
        const context = await browser.newContext();
        try {
            const page = await context.newPage();
            await page.goto(server.url);
            const error = page.locator('.imageparser-welcome-error');
            await error.waitFor({ timeout: 90_000 });
            expect(await error.innerText()).toContain(`${archiveFile} is not an SQLite database. ImageParser left it untouched`);
            await expect.poll(() => page.locator('.imageparser-archive-status').innerText()).toContain('Archive unavailable');
            expect(crypto.createHash('sha256').update(fs.readFileSync(archiveFile)).digest('hex')).toBe(before);

            fs.renameSync(archiveFile, `${archiveFile}.notes.txt`);
            await page.locator('.imageparser-welcome-actions .theia-button.secondary').click();
            await page.locator('.imageparser-welcome-table tr[data-field="assets"] td').waitFor({ timeout: 30_000 });
            expect(await page.locator('.imageparser-welcome-table tr[data-field="assets"] td').innerText()).toBe('0');
            await expect.poll(() => page.locator('.imageparser-archive-status').innerText()).toContain('Assets: 0');
            expect(fs.readFileSync(`${archiveFile}.notes.txt`, 'utf8')).toBe(notes);
        } finally {
            await context.close();
        }
    });
});
