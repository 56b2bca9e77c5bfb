import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAppPage, runCommand, saveScreenshot } from './app-page';
import { openSharedSearchFixturesApp, SearchFixturesApp } from './search-fixtures-app';

describe('the viewer\'s zoom and Esc', () => {
    let app: SearchFixturesApp;

    beforeAll(async () => {
        app = await openSharedSearchFixturesApp();
    }, 120_000);

    afterAll(() => app?.stop());

    /** Opens the one result of `query` in the viewer, once its full image is there. */
    async function openInViewer(query: string, name: string): Promise<Page> {
        const page = await openAppPage(app.browser, app.server.url);
        // The welcome page shares the main area on a first start; closed, the viewer has the room to show a small image smaller than its stage.
        await page.locator('#theia-main-content-panel .lm-TabBar-tab', { hasText: 'Welcome to ImageParser' }).locator('.lm-TabBar-tabCloseIcon').click();
        await runCommand(page, 'Focus Image Search');
        const box = page.locator('.imageparser-search-query');
        await box.fill(query);
        await box.press('Enter');
        await page.locator('.imageparser-result', { hasText: name }).dblclick();
        await expect.poll(() => page.locator('.imageparser-viewer-stage').getAttribute('data-full'), { timeout: 30_000 }).toBe('loaded');
        return page;
    }

    /** The settled zoom in % of the image's pixels, from the stage's recorded view and its width. */
    async function settledPercent(page: Page, imageWidth: number): Promise<number> {
        const stage = page.locator('.imageparser-viewer-stage');
        const [zoom] = (await stage.getAttribute('data-view'))!.split(',').map(Number);
        return Math.round(zoom * (await stage.boundingBox())!.width / imageWidth * 100);
    }

    const label = (page: Page) => page.locator('.imageparser-viewer-zoom').innerText();

    it('opens a small image at 100 %, not enlarged, and labels every zoom with the zoom it is at', async () => {
        const page = await openInViewer('square', 'square yellow.png');
        try {
            const width = 300;
            expect((await page.locator('.imageparser-viewer-stage').boundingBox())!.width).toBeGreaterThan(width * 1.5);
            await expect.poll(() => label(page)).toBe('100%');
            expect(await settledPercent(page, width)).toBe(100);

            await page.locator('.imageparser-viewer-stage').click();
            await page.keyboard.press('+');
            await expect.poll(() => label(page)).toBe('150%');
            await expect.poll(() => settledPercent(page, width)).toBe(150);
            await page.keyboard.press('-');
            await page.keyboard.press('-');
            await expect.poll(() => label(page)).toBe('67%');
            await expect.poll(() => settledPercent(page, width)).toBe(67);
            await page.locator('[data-tool="zoom-in"]').click();
            await expect.poll(() => label(page)).toBe('100%');

            // Fit: the whole image, never past 100 %; Shift+F asks for enlarging.
            await page.keyboard.press('+');
            await expect.poll(() => label(page)).toBe('150%');
            await page.keyboard.press('f');
            await expect.poll(() => label(page)).toBe('100%');
            await expect.poll(() => settledPercent(page, width)).toBe(100);
            await page.keyboard.press('Shift+F');
            await expect.poll(async () => Number((await label(page)).replace('%', ''))).toBeGreaterThan(150);
            const enlarged = Number((await label(page)).replace('%', ''));
            await expect.poll(() => settledPercent(page, width)).toBe(enlarged);
            await saveScreenshot(page, 'viewer-fit-enlarged');
            await page.locator('.imageparser-viewer-fit').click();
            await expect.poll(() => label(page)).toBe('100%');
            await saveScreenshot(page, 'viewer-small-image');
        } finally {
            await page.context().close();
        }
    });

    it('leaves the maximized editor area on Esc, then closes the viewer and gives the results the focus', async () => {
        const page = await openInViewer('path:scenes forest', 'forest.psd');
        try {
            const tab = page.locator('#theia-main-content-panel .lm-TabBar-tab', { hasText: 'forest.psd' });
            await tab.click({ button: 'right' });
            await page.locator('.lm-Menu-item', { hasText: 'Toggle Maximized' }).click();
            await expect.poll(() => page.locator('.theia-maximized').count()).toBe(1);
            await page.locator('.imageparser-viewer-stage').click();
            await page.keyboard.press('Escape');
            await expect.poll(() => page.locator('.theia-maximized').count()).toBe(0);
            expect(await tab.count()).toBe(1);

            await page.locator('.imageparser-viewer-stage').click();
            await page.keyboard.press('Escape');
            await expect.poll(() => tab.count()).toBe(0);
            await expect.poll(() => page.evaluate(() => !!document.activeElement?.closest('.imageparser-search-results'))).toBe(true);
        } finally {
            await page.context().close();
        }
    });
});
