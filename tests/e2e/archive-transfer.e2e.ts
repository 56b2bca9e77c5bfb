import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import BetterSqlite3 = require('better-sqlite3');
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/temp-folder';
import { openAppPage, runCommand, saveScreenshot, searchFromWelcome } from './app-page';
import { AppServer } from './app-server';
import { launchChromium } from './chromium';

const CLI = path.resolve(__dirname, '../../extensions/archive-core/lib/node/cli/imageparser.js');
const IMAGES = 6;

/**
 * Archive export and import between two app instances, as a user does it:
 * "Export Archive…" in the first (its dialog and options), "Import
 * Archive…" in the second (the file chosen in the open dialog, what the file
 * holds shown first, the exported folder mapped to where a copy of the
 * images lies), the report, and the images there; a tampered file refused
 * with its reason. In English and in Korean.
 */
describe('exporting an archive from one app and importing it into another', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let art: string;
    let copy: string;
    let exports: string;
    let appA: AppServer;
    let appB: AppServer;
    let browser: Browser;

    beforeAll(async () => {
        temp = makeTempFolder('imageparser-transfer-e2e-');
        art = path.join(temp.folder, '작업', '캐릭터 art');
        copy = path.join(temp.folder, '다른 컴퓨터', 'art');
        exports = path.join(temp.folder, '내보내기');
        fs.mkdirSync(art, { recursive: true });
        fs.mkdirSync(exports);
        for (let i = 0; i < IMAGES; i++) {
            await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 40 * i, g: 200 - 30 * i, b: 90 } } })
                .jpeg().toFile(path.join(art, `포즈 ${i}.jpg`));
        }
        fs.cpSync(art, copy, { recursive: true });
        const archiveA = path.join(temp.folder, 'archive-a');
        const indexed = spawnSync(process.execPath, [CLI, 'index', art, '--archive', archiveA, '--threads', '2'], { encoding: 'utf8' });
        expect(indexed.status, indexed.stderr).toBe(0);
        [appA, appB] = await Promise.all([
            AppServer.start({ IMAGEPARSER_HOME: archiveA, THEIA_CONFIG_DIR: path.join(temp.folder, 'config-a') }),
            AppServer.start({ IMAGEPARSER_HOME: path.join(temp.folder, 'archive-b'), THEIA_CONFIG_DIR: path.join(temp.folder, 'config-b') })
        ]);
        browser = await launchChromium();
    }, 180_000);

    afterAll(async () => {
        await browser?.close();
        await Promise.all([appA?.stop(), appB?.stop()]);
        temp?.remove();
    });

    const notification = (page: Page, text: string | RegExp) =>
        page.locator('.theia-notification-toasts .theia-notification-list-item .theia-notification-message', { hasText: text });

    async function exportFrom(page: Page, command: string, file: string, options: { paths: boolean; media: boolean }, screenshot: string): Promise<void> {
        await runCommand(page, command);
        const dialog = page.locator('.imageparser-export-dialog');
        await dialog.waitFor();
        await dialog.locator('[data-role="file"]').fill(file);
        await dialog.locator('[data-role="include-media"]').setChecked(options.media);
        await dialog.locator('[data-role="include-paths"]').setChecked(options.paths);
        await saveScreenshot(page, screenshot);
        await dialog.locator('.dialogControl .theia-button.main').click();
    }

    /** Chooses `file` in Theia's open dialog: its folder typed in the location field, the file clicked in the tree. */
    async function chooseFile(page: Page, file: string): Promise<void> {
        await page.locator('.dialogOverlay .theia-LocationInputToggle').click({ timeout: 30_000 });
        const location = page.locator('.dialogOverlay .theia-LocationTextInput');
        await location.fill(path.dirname(file));
        await location.press('Enter');
        await page.locator('.dialogOverlay .theia-TreeNode', { hasText: path.basename(file) }).first().click({ timeout: 30_000 });
        await page.locator('.dialogOverlay .dialogControl .theia-button.main').click();
    }

    /** The folder Theia's open or save dialog shows (its location list's value, a file URI). */
    async function dialogFolder(page: Page): Promise<string> {
        const list = page.locator('.dialogOverlay .theia-LocationList');
        await list.waitFor({ timeout: 30_000 });
        await expect.poll(() => list.inputValue(), { timeout: 10_000 }).not.toBe('');
        return decodeURIComponent(new URL(await list.inputValue()).pathname);
    }

    async function importInto(page: Page, command: string, file: string): Promise<void> {
        await runCommand(page, command);
        await chooseFile(page, file);
    }

    /** A copy of `file` whose manifest claims a format version from the future. */
    function fromTheFuture(file: string, copyName: string): string {
        const target = path.join(exports, copyName);
        fs.copyFileSync(file, target);
        const db = new BetterSqlite3(target);
        try {
            db.prepare("UPDATE export_manifest SET value = '99' WHERE key = 'formatVersion'").run();
        } finally {
            db.close();
        }
        return target;
    }

    it('in English: exports with the dialog, imports with the folder mapped, shows the images; refuses a newer file with its reason', async () => {
        const file = path.join(exports, 'archive-en.imageparser-export');
        const pageA = await openAppPage(browser, appA.url);
        const pageB = await openAppPage(browser, appB.url);
        try {
            await exportFrom(pageA, 'ImageParser: Export Archive…', file, { paths: true, media: true }, 'archive-transfer-export-dialog-en');
            await notification(pageA, 'Exported to').first().waitFor({ timeout: 60_000 });
            expect(await notification(pageA, 'Exported to').first().innerText()).toMatch(new RegExp(`^Exported to .*archive-en\\.imageparser-export: images ${IMAGES}, thumbnails and previews \\d+`));
            await saveScreenshot(pageA, 'archive-transfer-exported-en');
            expect(fs.readdirSync(exports)).toEqual(['archive-en.imageparser-export']);

            // Every export command says it writes an archive, and the dialog offers every part: here one of the archive's folders.
            await runCommand(pageA, 'ImageParser: Export Folder as Archive…');
            const folderDialog = pageA.locator('.imageparser-export-dialog');
            await folderDialog.waitFor();
            expect(await folderDialog.locator('[data-part="folder"]').isChecked()).toBe(true);
            expect(await folderDialog.locator('[data-part="archive"]').isEnabled()).toBe(true);
            expect(await folderDialog.locator('[data-role="folder"]').inputValue()).toBe(art);
            expect(await folderDialog.locator('[data-role="folder"] option').allInnerTexts()).toEqual([`${art} (${IMAGES} images)`]);
            expect(await folderDialog.locator('[data-role="file"]').inputValue()).toMatch(/imageparser-캐릭터 art-\d{4}-\d\d-\d\d\.imageparser-export$/);
            const folderFile = path.join(exports, 'folder-en.imageparser-export');
            await folderDialog.locator('[data-role="file"]').fill(folderFile);
            await saveScreenshot(pageA, 'archive-transfer-export-folder-en');
            await folderDialog.locator('.dialogControl .theia-button.main').click();
            await notification(pageA, /^Exported to .*folder-en/).first().waitFor({ timeout: 60_000 });
            expect(await notification(pageA, /^Exported to .*folder-en/).first().innerText()).toContain(`: images ${IMAGES}, thumbnails and previews`);
            fs.rmSync(folderFile);
            const palette = pageA.locator('.quick-input-widget input');
            await pageA.keyboard.press('F1');
            await palette.fill('>ImageParser: Export');
            await pageA.locator('.quick-input-list .monaco-list-row').first().waitFor();
            const exportCommands = (await pageA.locator('.quick-input-list .monaco-list-row .label-name').allInnerTexts())
                .map(label => label.replace(/\s+/g, ' ').trim()).filter(label => !/JSON/.test(label));
            expect(exportCommands).toEqual(expect.arrayContaining(['ImageParser: Export Archive…', 'ImageParser: Export Current Results as Archive…',
                'ImageParser: Export Collection as Archive…', 'ImageParser: Export Folder as Archive…']));
            expect(exportCommands.filter(label => !label.includes('Archive'))).toEqual([]);
            await palette.press('Escape');

            await importInto(pageB, 'ImageParser: Import Archive…', file);
            const dialog = pageB.locator('.imageparser-import-dialog');
            await dialog.waitFor({ timeout: 60_000 });
            expect(await dialog.locator('[data-role="inspection"]').innerText()).toContain(`${IMAGES} images`);
            const root = dialog.locator('.imageparser-transfer-root');
            expect(await root.getAttribute('data-root')).toBe(art);
            expect(await root.innerText()).toContain(`(${IMAGES} images)`);
            await root.locator('[data-role="root-target"]').fill(copy);
            await saveScreenshot(pageB, 'archive-transfer-import-dialog-en');
            await dialog.locator('.dialogControl .theia-button.main').click();

            const report = pageB.locator('.imageparser-import-report');
            await report.waitFor({ timeout: 60_000 });
            expect(await report.locator('[data-role="headline"]').innerText()).toBe('Imported:');
            expect(await report.locator('[data-count="assets-added"]').innerText()).toBe(`New images\t${IMAGES}`);
            await saveScreenshot(pageB, 'archive-transfer-report-en');
            await report.locator('.dialogControl .theia-button.main').click();

            await expect.poll(() => pageB.locator('.imageparser-archive-status').innerText(), { timeout: 30_000 }).toContain(`Assets: ${IMAGES}`);
            await searchFromWelcome(pageB, '포즈');
            await expect.poll(() => pageB.locator('.imageparser-search-results .imageparser-result').count(), { timeout: 30_000 }).toBe(IMAGES);
            // The thumbnails came with the file: every tile shows its image.
            await expect.poll(() => pageB.locator('.imageparser-search-results .imageparser-result img').evaluateAll(images =>
                images.filter(image => (image as HTMLImageElement).complete && (image as HTMLImageElement).naturalWidth > 0).length), { timeout: 30_000 }).toBe(IMAGES);
            await saveScreenshot(pageB, 'archive-transfer-imported-en');

            // With a result selected, the JSON dialogs still start in the home folder (not at the top of the disk).
            await pageB.locator('.imageparser-search-results .imageparser-result').first().click();
            await runCommand(pageB, 'ImageParser: Import Collections from JSON…');
            expect(await dialogFolder(pageB)).toBe(os.homedir());
            await pageB.keyboard.press('Escape');
            await pageB.locator('.dialogOverlay').waitFor({ state: 'detached' });

            const newer = fromTheFuture(file, 'from-the-future.imageparser-export');
            // The open dialog starts in the folder of the last export file chosen.
            await runCommand(pageB, 'ImageParser: Import Archive…');
            expect(await dialogFolder(pageB)).toBe(exports);
            await chooseFile(pageB, newer);
            const refused = notification(pageB, 'Cannot import');
            await refused.first().waitFor({ timeout: 30_000 });
            expect(await refused.first().innerText()).toContain(`Cannot import: ${newer} was written by a newer version of ImageParser. Update ImageParser to import it. Details: `);
            expect((await refused.first().innerText()).trim()).toMatch(/\. Nothing was imported\.$/);
            await saveScreenshot(pageB, 'archive-transfer-refused-en');
        } finally {
            await pageA.context().close();
            await pageB.context().close();
        }
    }, 240_000);

    it('in Korean: exports without paths, the import shows what the file holds and what is already there; refuses a file that is no export', async () => {
        const file = path.join(exports, '아카이브-ko.imageparser-export');
        const pageA = await openAppPage(browser, appA.url, { korean: true });
        const pageB = await openAppPage(browser, appB.url, { korean: true });
        try {
            await exportFrom(pageA, '아카이브 내보내기', file, { paths: false, media: false }, 'archive-transfer-export-dialog-ko');
            await notification(pageA, '내보냈습니다').first().waitFor({ timeout: 60_000 });
            // What was left out is said as such, not counted as 0.
            expect(await notification(pageA, '내보냈습니다').first().innerText()).toContain(`이미지 ${IMAGES}, 썸네일과 미리 보기 제외`);
            expect(await notification(pageA, '내보냈습니다').first().innerText()).toContain('원래 경로 제외');
            expect(fs.readFileSync(file).includes(Buffer.from(art))).toBe(false);

            await importInto(pageB, '아카이브 가져오기', file);
            const dialog = pageB.locator('.imageparser-import-dialog');
            await dialog.waitFor({ timeout: 60_000 });
            expect(await dialog.locator('[data-role="inspection"]').innerText()).toContain(`이미지 ${IMAGES}개`);
            expect(await dialog.locator('[data-role="place-under"]').count()).toBe(1);
            await dialog.locator('[data-role="dry-run"]').check();
            await saveScreenshot(pageB, 'archive-transfer-import-dialog-ko');
            await dialog.locator('.dialogControl .theia-button.main').click();
            const report = pageB.locator('.imageparser-import-report');
            await report.waitFor({ timeout: 60_000 });
            expect(await report.locator('.dialogTitle').innerText()).toContain('가져오기 확인');
            await saveScreenshot(pageB, 'archive-transfer-report-ko');
            await report.locator('.dialogControl .theia-button.main').click();

            const notAnExport = path.join(exports, '가짜.imageparser-export');
            fs.writeFileSync(notAnExport, 'this is not a database');
            await importInto(pageB, '아카이브 가져오기', notAnExport);
            const refused = notification(pageB, '가져올 수 없습니다');
            await refused.first().waitFor({ timeout: 30_000 });
            expect(await refused.first().innerText()).toContain(`${notAnExport} 파일은 ImageParser 아카이브 내보내기 파일이 아닙니다.`);
            expect((await refused.first().innerText()).trim()).toMatch(/아무것도 가져오지 않았습니다\.$/);
            await saveScreenshot(pageB, 'archive-transfer-refused-ko');
        } finally {
            await pageA.context().close();
            await pageB.context().close();
        }
    }, 240_000);
});
