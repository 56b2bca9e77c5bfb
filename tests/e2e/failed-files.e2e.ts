import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/temp-folder';
import { AppServer } from './app-server';
import { openAppPage, runCommand, saveScreenshot } from './app-page';
import { launchChromium } from './chromium';

/** The broken files of the folder, by path below it, with the reason the list must give. */
const BROKEN: Record<string, RegExp> = {
    'notes.psd': /Not an image ImageParser can read/,
    'empty.png': /Empty file/,
    'sketches/cut.jpg': /Incomplete file|Damaged file/,
    'sketches/cut.png': /Incomplete file|Damaged file/
};

describe('files that fail to index', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let art: string;
    let server: AppServer;
    let browser: Browser;
    let goodJpeg: Buffer;

    beforeAll(async () => {
        temp = makeTempFolder('imageparser-e2e-');
        art = path.join(temp.folder, '캐릭터 art');
        fs.mkdirSync(path.join(art, 'sketches'), { recursive: true });
        goodJpeg = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#2266aa' } }).jpeg().toBuffer();
        for (let i = 0; i < 3; i++) {
            await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 60 * i, g: 120, b: 200 - 40 * i } } })
                .png().toFile(path.join(art, `pose-${i}.png`));
        }
        const png = fs.readFileSync(path.join(art, 'pose-0.png'));
        fs.writeFileSync(path.join(art, 'notes.psd'), 'Meeting notes, not a Photoshop document.\n'.repeat(40));
        fs.writeFileSync(path.join(art, 'empty.png'), Buffer.alloc(0));
        fs.writeFileSync(path.join(art, 'sketches', 'cut.jpg'), Buffer.concat([goodJpeg.subarray(0, goodJpeg.length >> 1), Buffer.alloc(goodJpeg.length - (goodJpeg.length >> 1))]));
        fs.writeFileSync(path.join(art, 'sketches', 'cut.png'), png.subarray(0, png.length >> 1));
        server = await AppServer.start({ IMAGEPARSER_HOME: path.join(temp.folder, 'archive'), THEIA_CONFIG_DIR: path.join(temp.folder, 'theia-config') });
        browser = await launchChromium();
    }, 120_000);

    afterAll(async () => {
        await browser?.close();
        await server?.stop();
        temp?.remove();
    });

    async function addFolder(page: Page): Promise<void> {
        await runCommand(page, 'Add Folder to Archive');
        await page.locator('.dialogOverlay .theia-LocationInputToggle').click({ timeout: 30_000 });
        const location = page.locator('.dialogOverlay .theia-LocationTextInput');
        await location.fill(art);
        await location.press('Enter');
        await expect.poll(() => page.locator('.dialogOverlay .theia-LocationList, .dialogOverlay .theia-LocationTextInput').first().inputValue()).toContain('art');
        await page.locator('.dialogOverlay .dialogControl .theia-button.main').click();
    }

    const notification = (page: Page, text: string) => page.locator('.theia-notification-toasts .theia-notification-list-item', { hasText: text });
    const problemRow = (page: Page, name: string) => page.locator('.imageparser-problem', { has: page.locator('.imageparser-problem-name', { hasText: new RegExp(`^${name}$`) }) });

    it('lists every failed file with its reason two clicks after indexing, and tells what still fails when the folder is added again', async () => {
        const page = await openAppPage(browser, server.url);
        try {
            await addFolder(page);
            const done = notification(page, `Indexed ${path.basename(art)}`);
            await done.waitFor({ timeout: 60_000 });
            expect(await done.locator('.theia-notification-message').innerText()).toBe(`Indexed ${path.basename(art)}: 3 indexed, 4 failed.`);

            // Click 1: the notification's link.
            await done.locator('.theia-notification-buttons button', { hasText: 'Show Failures' }).click();
            const list = page.locator('.imageparser-search-results .imageparser-problems');
            await list.waitFor({ timeout: 30_000 });
            expect(await list.locator('.imageparser-problems-title').innerText()).toBe('4 files could not be indexed');
            expect(await list.locator('.imageparser-problems-folder-name').innerText()).toBe(path.basename(art));
            expect(await page.locator('.imageparser-search-filter[data-filter="state"] select').inputValue()).toBe('error');

            // Click 2: a failure's row opens its details; its reason shows in the row itself.
            for (const [relative, reason] of Object.entries(BROKEN)) {
                const row = problemRow(page, path.basename(relative));
                expect(await row.locator('.imageparser-problem-reason').innerText(), relative).toMatch(reason);
                if (relative.includes('/')) {
                    expect(await row.locator('.imageparser-problem-subfolder').innerText()).toBe(path.dirname(relative));
                }
                await row.locator('.imageparser-problem-row').click();
                const details = row.locator('.imageparser-problem-details');
                await details.waitFor();
                expect((await details.locator('.imageparser-problem-message').innerText()).length, relative).toBeGreaterThan(15);
                expect(await details.innerText()).toContain(`${path.basename(art)}/${relative}`);
                expect(await details.innerText()).not.toContain(temp.folder);
            }
            await problemRow(page, 'notes.psd').locator('.imageparser-problem-row').click();
            await saveScreenshot(page, 'failures-list');

            // The side bar counts them too, and adding the folder again says what still fails.
            expect(await page.locator('.imageparser-search-problems-failed').innerText()).toBe('4 files failed to index');
            await addFolder(page);
            const again = notification(page, 'still fail');
            await again.waitFor({ timeout: 60_000 });
            expect(await again.locator('.theia-notification-message').innerText())
                .toBe(`Indexed ${path.basename(art)}: 0 indexed, 0 failed. 4 files that failed before still fail.`);
            expect(await again.locator('.theia-notification-buttons button').allInnerTexts()).toEqual(['Show Failures']);

            // The command-line tool says the same about the folder, with each reason.
            const cli = spawnSync(process.execPath, [path.resolve(__dirname, '../../extensions/archive-core/lib/node/cli/imageparser.js'), 'index', art,
                '--archive', path.join(temp.folder, 'archive')], { encoding: 'utf8' });
            expect(cli.stdout).toContain('0 indexed, 0 failed\n4 files that failed before still fail\n');
            expect(cli.stdout).toContain('  sketches/cut.png: ');
            expect(cli.stdout).toContain('  notes.psd: unsupported-format: ');
        } finally {
            await page.context().close();
        }
    });

    it('retries failed files from the command palette, with progress, and lists only what fails again', async () => {
        // The cut JPEG gets its real bytes back, same size and time: only a retry reads it again.
        const cut = path.join(art, 'sketches', 'cut.jpg');
        const { atime, mtime } = fs.statSync(cut);
        fs.writeFileSync(cut, goodJpeg);
        fs.utimesSync(cut, atime, mtime);

        const page = await openAppPage(browser, server.url);
        try {
            await runCommand(page, 'ImageParser: Retry Failed Files');
            const done = notification(page, `Indexed ${path.basename(art)}: 1 indexed, 3 failed.`);
            await done.waitFor({ timeout: 60_000 });
            await done.locator('.theia-notification-buttons button', { hasText: 'Show Failures' }).click();
            const title = page.locator('.imageparser-search-results .imageparser-problems-title');
            await expect.poll(() => title.innerText(), { timeout: 30_000 }).toBe('3 files could not be indexed');
            expect(await page.locator('.imageparser-problem-name').allInnerTexts()).not.toContain('cut.jpg');
            await expect.poll(() => page.locator('.imageparser-archive-status').innerText()).toContain('Assets: 4');
        } finally {
            await page.context().close();
        }
    });

    it('lists them in Korean for a Korean user, reached from the side bar', async () => {
        const page = await openAppPage(browser, server.url, { korean: true });
        try {
            await runCommand(page, 'Focus Image Search');
            const failed = page.locator('.imageparser-search-problems-failed');
            await expect.poll(() => failed.innerText(), { timeout: 30_000 }).toBe('색인 실패 파일 3개');
            await failed.click();
            const list = page.locator('.imageparser-search-results .imageparser-problems');
            await list.waitFor({ timeout: 30_000 });
            expect(await list.locator('.imageparser-problems-title').innerText()).toBe('색인하지 못한 파일 3개');
            const notes = problemRow(page, 'notes.psd');
            expect(await notes.locator('.imageparser-problem-reason').innerText()).toBe('ImageParser가 읽을 수 없는 형식');
            await notes.locator('.imageparser-problem-row').click();
            expect(await notes.locator('.imageparser-problem-details').innerText()).toContain('경로');
            await saveScreenshot(page, 'failures-list-ko');
        } finally {
            await page.context().close();
        }
    });
});
