import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSharedSearchFixturesApp, SearchFixturesApp } from './search-fixtures-app';

describe('the search view', () => {
    let app: SearchFixturesApp;
    let temp: SearchFixturesApp['temp'];
    let server: SearchFixturesApp['server'];
    let browser: SearchFixturesApp['browser'];

    beforeAll(async () => {
        app = await openSharedSearchFixturesApp();
        ({ temp, server, browser } = app);
    }, 120_000);

    afterAll(() => app?.stop());

    const resultNames = (page: Page) => page.locator('.imageparser-search-results .imageparser-result .imageparser-result-name').allInnerTexts();

    async function openApp(): Promise<Page> {
        const page = await server.openPage(browser);
        await page.locator('.imageparser-welcome').click();
        return page;
    }

    it('searches, filters (built-in and contributed), switches view mode, finds similar and opens a result', async () => {
        const page = await openApp();
        try {
            await page.keyboard.press('Control+k');
            const query = page.locator('.imageparser-search-query');
            await expect.poll(() => query.evaluate(input => input === document.activeElement)).toBe(true);
            await query.fill('배경');
            await query.press('Enter');
            await expect.poll(async () => (await resultNames(page)).sort()).toEqual(['forest.psd', '캐릭터배경 hero.png']);
            expect(await page.locator('.imageparser-search-count').innerText()).toMatch(/^2 results in \d+ ms$/);
            expect(await page.locator('.imageparser-result mark').first().innerText()).toBe('배경');

            await page.locator('.imageparser-search-filter[data-filter="type"] label', { hasText: 'PSD' }).locator('input').check();
            await expect.poll(() => resultNames(page)).toEqual(['forest.psd']);
            await page.locator('.imageparser-search-filter[data-filter="type"] label', { hasText: 'PSD' }).locator('input').uncheck();

            // The filter from the separate sample package, through SearchFilterContribution only.
            await query.fill('yellow');
            await query.press('Enter');
            await expect.poll(async () => (await resultNames(page)).length).toBe(3);
            const orientation = page.locator('.imageparser-search-filter[data-filter="sample.orientation"]');
            expect(await orientation.locator('legend').innerText()).toBe('Orientation');
            await orientation.getByRole('button', { name: 'Portrait' }).click();
            await expect.poll(() => resultNames(page)).toEqual(['portrait yellow.png']);
            await orientation.getByRole('button', { name: 'Portrait' }).click();
            await expect.poll(async () => (await resultNames(page)).length).toBe(3);

            await page.locator('.imageparser-search-modes [data-mode="list"]').click();
            await expect.poll(() => page.locator('.imageparser-search-results-content').getAttribute('class')).toContain('mode-list');
            // The list shows where the file lies below the folder that was added, never the server's path to it.
            expect(await page.locator('.imageparser-result-path').first().innerText()).toMatch(/^art\//);
            expect(await page.locator('.imageparser-result-path').allInnerTexts()).not.toContainEqual(expect.stringContaining(temp.folder));
            await page.locator('.imageparser-search-modes [data-mode="grid"]').click();

            await query.fill('red');
            await query.press('Enter');
            await page.locator('.imageparser-result', { hasText: 'red-1.png' }).click({ button: 'right' });
            await page.locator('.lm-Menu-item', { hasText: 'Find Similar Images' }).click();
            await expect.poll(async () => (await resultNames(page)).slice(0, 2).sort()).toEqual(['red-1-copy.jpg', 'red-2.png']);
            expect(await page.locator('.imageparser-search-references').innerText()).toContain('Similar to one image');
            expect(await page.locator('.imageparser-result-similarity').first().innerText()).toMatch(/^\d+% alike$/);

            // Opening a result opens the viewer (the viewer extension's opener, ahead of the plain preview).
            await page.locator('.imageparser-result', { hasText: 'red-2.png' }).dblclick();
            await expect.poll(() => page.locator('.lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel').allInnerTexts()).toContain('red-2.png');
            await expect.poll(() => page.locator('.imageparser-viewer-stage').getAttribute('data-full')).toBe('loaded');

            // Closing the results editor and searching again brings a new one.
            await page.locator('.lm-TabBar-tab', { hasText: 'Search Results' }).locator('.lm-TabBar-tabCloseIcon').click();
            await expect.poll(() => page.locator('.imageparser-search-results').count()).toBe(0);
            await query.fill('red');
            await query.press('Enter');
            await expect.poll(async () => (await resultNames(page)).length).toBeGreaterThan(1);
        } finally {
            await page.context().close();
        }
    });

    it('runs a whole search from the keyboard alone', async () => {
        const page = await openApp();
        try {
            await page.keyboard.press('Control+k');
            // As a user would: type once the query box has the focus.
            await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('imageparser-search-query'))).toBe(true);
            await page.keyboard.type('path:colours yellow');
            await page.keyboard.press('Enter');
            await expect.poll(async () => (await resultNames(page)).length).toBe(3);
            await page.keyboard.press('ArrowDown');
            await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('imageparser-search-results'))).toBe(true);
            await page.keyboard.press('ArrowRight');
            const focused = await page.locator('.imageparser-result.focused .imageparser-result-name').innerText();
            expect(focused).toBe((await resultNames(page))[1]);
            await page.keyboard.press('Enter');
            await expect.poll(() => page.locator('.lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel').allInnerTexts()).toContain(focused);
            await expect.poll(() => page.locator('.imageparser-viewer-stage').getAttribute('data-full')).toBe('loaded');
        } finally {
            await page.context().close();
        }
    });
});
