import * as path from 'path';
import { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/temp-folder';
import { writeNoisePngs } from '../ingest/generated-images';
import { AppServer } from './app-server';
import { runCommand } from './app-page';
import { launchChromium } from './chromium';

const IMAGES = 240;

/** Adds a folder through *Add Folder to Archive…* and its folder dialog, as a user does. */
async function addFolder(page: Page, folder: string): Promise<void> {
    await runCommand(page, 'ImageParser: Add Folder to Archive');
    await page.locator('.dialogOverlay .theia-LocationInputToggle').click({ timeout: 30_000 });
    const location = page.locator('.dialogOverlay .theia-LocationTextInput');
    await location.fill(folder);
    await location.press('Enter');
    await expect.poll(() => page.locator('.dialogOverlay .theia-LocationList, .dialogOverlay .theia-LocationTextInput').first().inputValue())
        .toContain(path.basename(folder));
    await page.locator('.dialogOverlay .dialogControl .theia-button.main').click();
}

/**
 * The backend stops while a page is open (here killed in the middle of
 * indexing a folder) and starts again on the same port. The new backend has a
 * new connection cookie; the page must find it, connect again and show the
 * archive as it is now, not stay "Offline" with the progress of a run that
 * was finished meanwhile.
 */
describe('a page left open while the backend restarts', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let images: string;
    let server: AppServer;
    let browser: Browser;

    beforeAll(async () => {
        temp = makeTempFolder('imageparser-e2e-');
        images = path.join(temp.folder, 'restart-art');
        await writeNoisePngs(images, IMAGES, 320, 7, 'frame');
        server = await AppServer.start({ IMAGEPARSER_HOME: path.join(temp.folder, 'archive'), THEIA_CONFIG_DIR: path.join(temp.folder, 'theia-config') });
        browser = await launchChromium();
    }, 120_000);

    afterAll(async () => {
        await browser?.close();
        await server?.stop();
        temp?.remove();
    });

    it('connects again once the backend is back, and keeps no stale indexing progress', async () => {
        const page = await server.openPage(browser);
        try {
            const refusedHandshakes: string[] = [];
            page.on('response', response => {
                if (response.url().includes('/socket.io/') && response.status() === 403) {
                    refusedHandshakes.push(response.url());
                }
            });
            await addFolder(page, images);
            const progress = page.locator('.theia-notification-toasts .theia-notification-list-item', {
                has: page.locator('.theia-notification-item-progress'), hasText: 'Indexing'
            });
            await progress.filter({ hasText: `of ${IMAGES}` }).first().waitFor({ timeout: 60_000 });

            server = await server.restart('SIGKILL');
            const restarted = Date.now();

            const offline = () => page.evaluate(() => document.body.classList.contains('theia-mod-offline')).catch(() => true);
            const statusBar = async () => await offline() ? 'Offline' : page.locator('.imageparser-archive-status').innerText().catch(() => '');
            await expect.poll(statusBar, { timeout: 90_000, interval: 500 }).toContain(`Assets: ${IMAGES}`);
            console.log(`page online again ${((Date.now() - restarted) / 1000).toFixed(1)} s after the restart; refused handshakes meanwhile: ${refusedHandshakes.length}`);
            // The run the backend resumed is done: no progress notification, from before the restart or after, stays.
            await expect.poll(() => progress.count().catch(() => -1), { timeout: 60_000 }).toBe(0);
            expect(await offline()).toBe(false);
        } finally {
            await page.context().close();
        }
    });
});
