import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/temp-folder';
import { AppServer } from './app-server';
import { launchChromium } from './chromium';

describe('adding a folder from the app', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let images: string;
    let server: AppServer;
    let browser: Browser;

    beforeAll(async () => {
        temp = makeTempFolder('imageparser-e2e-');
        images = path.join(temp.folder, '캐릭터 art');
        fs.mkdirSync(path.join(images, 'sketches'), { recursive: true });
        for (let i = 0; i < 6; i++) {
            await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 40 * i, g: 100, b: 200 - 30 * i } } })
                .jpeg().toFile(path.join(images, i % 2 ? 'sketches' : '.', `pose-${i}.jpg`));
        }
        fs.writeFileSync(path.join(images, 'broken.psd'), 'not a photoshop document');
        server = await AppServer.start({ IMAGEPARSER_HOME: path.join(temp.folder, 'archive'), THEIA_CONFIG_DIR: path.join(temp.folder, 'theia-config') });
        browser = await launchChromium();
    });

    afterAll(async () => {
        await browser?.close();
        await server?.stop();
        temp?.remove();
    });

    it('indexes the chosen folder with progress, reports the result and updates the asset count', async () => {
        const page = await server.openPage(browser);
        try {
            // The command palette entry, as a keyboard user would reach it.
            await page.locator('.imageparser-welcome').click();
            await page.keyboard.press('F1');
            await page.keyboard.type('ImageParser: Add Folder to Archive');
            await page.keyboard.press('Enter');
            await page.locator('.dialogOverlay .theia-LocationInputToggle').click({ timeout: 30_000 });
            const location = page.locator('.dialogOverlay .theia-LocationTextInput');
            await location.fill(images);
            await location.press('Enter');
            await expect.poll(() => page.locator('.dialogOverlay .theia-LocationList, .dialogOverlay .theia-LocationTextInput').first().inputValue()).toContain('art');
            await page.locator('.dialogOverlay .dialogControl .theia-button.main').click();

            const summary = page.locator('.theia-notification-toasts .theia-notification-list-item', { hasText: 'indexed' });
            await summary.first().waitFor({ timeout: 60_000 });
            expect(await summary.locator('.theia-notification-message').allInnerTexts()).toEqual([`Indexed ${path.basename(images)}: 6 indexed, 1 failed.`]);
            expect(await summary.locator('.theia-notification-buttons button').allInnerTexts()).toEqual(['Show Failures']);
            await expect.poll(() => page.locator('.imageparser-archive-status').innerText(), { timeout: 30_000 }).toContain('Assets: 6');
        } finally {
            await page.context().close();
        }
    });
});
