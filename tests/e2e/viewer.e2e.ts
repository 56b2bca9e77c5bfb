import * as path from 'path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchFromWelcome, selectResults } from './app-page';
import { SearchFixturesApp, startSearchFixturesApp } from './search-fixtures-app';

/** A checksum of what the viewer's canvas shows now. */
function canvasChecksum(page: Page): Promise<number> {
    return page.locator('.imageparser-viewer-stage canvas').first().evaluate(element => {
        const canvas = element as HTMLCanvasElement;
        const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let sum = 0;
        for (let i = 0; i < data.length; i += 4) {
            sum = (sum + data[i] * 3 + data[i + 1] * 5 + data[i + 2] * 7 + data[i + 3]) % 2_147_483_647;
        }
        return sum;
    });
}

/**
 * The canvas's checksum once the viewer has drawn what it shows: equal over
 * two pairs of animation frames (OpenSeadragon draws an added image on the
 * frames after it arrives); undefined while it still changes.
 */
async function settledChecksum(page: Page): Promise<number | undefined> {
    const frames = () => page.evaluate(() => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await frames();
    const first = await canvasChecksum(page);
    await frames();
    return first === await canvasChecksum(page) ? first : undefined;
}

/** Screenshots for a person to look at, when IMAGEPARSER_E2E_SCREENSHOTS names a folder. */
async function snapshot(page: Page, name: string): Promise<void> {
    if (process.env.IMAGEPARSER_E2E_SCREENSHOTS) {
        await page.screenshot({ path: path.join(process.env.IMAGEPARSER_E2E_SCREENSHOTS, `${name}.png`) });
    }
}

const view = async (page: Page) => (await page.locator('.imageparser-viewer-stage').getAttribute('data-view'))?.split(',').map(Number) ?? [];

describe('the viewer', () => {
    let app: SearchFixturesApp;
    let server: SearchFixturesApp['server'];
    let browser: SearchFixturesApp['browser'];

    beforeAll(async () => {
        app = await startSearchFixturesApp();
        ({ server, browser } = app);
    }, 120_000);

    afterAll(() => app?.stop());

    it('opens a result, steps, zooms and pans, toggles a PSD layer, tags, rates, comments with history, undoes, and finds the asset by its new tag', async () => {
        const page = await server.openPage(browser);
        try {
            const query = await searchFromWelcome(page, 'path:scenes');
            const names = () => page.locator('.imageparser-search-results .imageparser-result .imageparser-result-name').allInnerTexts();
            await expect.poll(async () => (await names()).sort()).toEqual(['city.psd', 'forest.psd']);
            const [first, second] = await names();

            // Open the first result: the preview at once, then the full-resolution pyramid.
            await page.locator('.imageparser-result', { hasText: first }).dblclick();
            const stage = page.locator('.imageparser-viewer-stage');
            const currentTab = () => page.locator('.lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel').allInnerTexts();
            await expect.poll(currentTab).toContain(first);
            await expect.poll(() => stage.getAttribute('data-full')).toBe('loaded');
            expect(await page.locator('.imageparser-viewer-position').innerText()).toBe('1 of 2');

            // Arrow to the next result.
            await stage.click();
            await page.keyboard.press('ArrowRight');
            await expect.poll(currentTab).toContain(second);
            expect(await page.locator('.imageparser-viewer-position').innerText()).toBe('2 of 2');
            await page.keyboard.press('ArrowLeft');
            await expect.poll(currentTab).toContain(first);

            // Zoom with the key and the button, then pan by dragging.
            await expect.poll(async () => (await view(page)).length).toBe(3);
            const [fitZoom] = await view(page);
            await page.keyboard.press('+');
            await expect.poll(async () => (await view(page))[0]).toBeGreaterThan(fitZoom * 1.2);
            await page.locator('[data-tool="zoom-in"]').click();
            await expect.poll(async () => (await view(page))[0]).toBeGreaterThan(fitZoom * 1.9);
            const [, x, y] = await view(page);
            const box = (await stage.boundingBox())!;
            await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
            await page.mouse.down();
            await page.mouse.move(box.x + box.width / 2 - 120, box.y + box.height / 2 - 60, { steps: 8 });
            await page.mouse.up();
            await expect.poll(async () => (await view(page))[1]).toBeGreaterThan(x + 0.01);
            expect((await view(page))[2]).toBeGreaterThan(y);
            await page.getByRole('button', { name: 'Fit (F)' }).click();
            await expect.poll(async () => Math.abs((await view(page))[0] - fitZoom)).toBeLessThan(fitZoom * 0.05);

            // Go to forest.psd, hide a layer in the layer explorer: the rendered pixels change.
            if (first !== 'forest.psd') {
                await stage.click();
                await page.keyboard.press('ArrowRight');
                await expect.poll(currentTab).toContain('forest.psd');
            }
            await page.locator('.imageparser-viewer-tab[data-panel="layers"]').click();
            const layers = page.locator('.imageparser-viewer-layer .imageparser-viewer-layer-name');
            await expect.poll(() => layers.allInnerTexts()).toEqual(['Title', 'Characters', 'hero sketch', 'Sky gradient', '배경']);
            expect(await page.locator('.imageparser-viewer-layer-content').innerText()).toBe('“고양이 모험 Adventure”');
            await expect.poll(() => stage.getAttribute('data-full')).toBe('loaded');
            // Two layer renders compared (the fixture's stored composite is the background colour alone, so compare renders with renders).
            await page.locator('.imageparser-viewer-layer', { hasText: 'hero sketch' }).getByRole('button', { name: 'Hide hero sketch' }).click();
            await expect.poll(() => stage.getAttribute('data-layers')).toMatch(/\/render\?hidden=2$/);
            let before: number | undefined;
            await expect.poll(async () => before = await settledChecksum(page)).toBeDefined();
            await page.locator('.imageparser-viewer-layer', { hasText: 'Sky gradient' }).getByRole('button', { name: 'Hide Sky gradient' }).click();
            await expect.poll(() => stage.getAttribute('data-layers')).toMatch(/\/render\?hidden=2%2C3$/);
            await expect.poll(() => canvasChecksum(page)).not.toBe(before);
            expect(await page.locator('.imageparser-viewer-layer.hidden .imageparser-viewer-layer-name').allInnerTexts()).toEqual(['hero sketch', 'Sky gradient']);
            await snapshot(page, 'viewer-layer-hidden');
            // Showing the sky again brings back the first render's pixels exactly.
            await page.locator('.imageparser-viewer-layer', { hasText: 'Sky gradient' }).getByRole('button', { name: 'Show Sky gradient' }).click();
            await expect.poll(() => stage.getAttribute('data-layers')).toMatch(/\/render\?hidden=2$/);
            await expect.poll(() => canvasChecksum(page)).toBe(before);
            await page.getByRole('button', { name: 'Show as saved' }).click();
            await expect.poll(() => stage.getAttribute('data-layers')).toBe('none');

            // The metadata panel: type, dimensions, colour, layers, every path.
            await page.locator('.imageparser-viewer-tab[data-panel="info"]').click();
            const metadata = page.locator('.imageparser-viewer-metadata');
            expect(await metadata.locator('tr', { hasText: 'Dimensions' }).locator('td').innerText()).toBe('400 x 300');
            expect(await metadata.locator('tr', { hasText: 'Type' }).locator('td').innerText()).toBe('PSD');
            expect(await metadata.locator('tr', { hasText: 'Layers' }).locator('td').innerText()).toBe('5');
            expect(await metadata.locator('tr', { hasText: 'Bit depth' }).locator('td').innerText()).toBe('8-bit');
            expect(await metadata.locator('.imageparser-viewer-section-label').innerText()).toBe('Files (1)');
            expect(await metadata.locator('.imageparser-viewer-path').innerText()).toBe('art/scenes/forest.psd');
            // The app listens on 127.0.0.1 only: Copy path asks the backend for the file's real path, once, and copies it.
            await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
            await page.locator('.imageparser-viewer-tool[data-tool="copy-path"]').click();
            await expect.poll(() => page.locator('.imageparser-viewer-status').innerText()).toBe('Path copied.');
            expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(path.join(app.temp.folder, 'art', 'scenes', 'forest.psd'));

            // Tag, rate, comment, edit the comment, see its history.
            await page.locator('.imageparser-viewer-tab[data-panel="annotations"]').click();
            const tagInput = page.locator('.imageparser-viewer-tag-input');
            await tagInput.fill('숲-mascot');
            await tagInput.press('Enter');
            await expect.poll(() => page.locator('.imageparser-viewer-tag').allInnerTexts()).toEqual(['숲-mascot']);
            // The results behind the viewer ran their query again: their tag cloud has the new tag, and the viewer kept its place.
            await expect.poll(() => page.locator('.imageparser-tag-cloud .imageparser-tag').allTextContents()).toContain('숲-mascot 1');
            expect(await page.locator('.imageparser-viewer-position').innerText()).toMatch(/^[12] of 2$/);
            await stage.click();
            await page.keyboard.press('4');
            await expect.poll(() => page.locator('.imageparser-viewer-rating-value').innerText()).toBe('4/5');
            await page.locator('.imageparser-viewer-comment-draft').fill('하늘 색이 너무 밝아요');
            await page.getByRole('button', { name: 'Comment', exact: true }).click();
            const comment = page.locator('.imageparser-viewer-comment').first();
            await expect.poll(() => comment.locator('.imageparser-viewer-comment-body').innerText()).toBe('하늘 색이 너무 밝아요');
            await comment.getByRole('button', { name: 'Edit' }).click();
            await comment.locator('textarea').fill('Sky fixed: darker now');
            await comment.getByRole('button', { name: 'Save' }).click();
            await expect.poll(() => comment.locator('.imageparser-viewer-comment-body').first().innerText()).toBe('Sky fixed: darker now');
            await comment.getByRole('button', { name: 'edited: 1 earlier version' }).click();
            await expect.poll(() => comment.locator('.imageparser-viewer-comment-history li .imageparser-viewer-comment-body').allInnerTexts())
                .toEqual(['하늘 색이 너무 밝아요', 'Sky fixed: darker now']);

            await snapshot(page, 'viewer-comments');
            // Ctrl+Z takes back the last tag or rating change: the rating.
            await stage.click();
            await page.keyboard.press('Control+z');
            await expect.poll(() => page.locator('.imageparser-viewer-rating-value').innerText()).toBe('Not rated');
            expect(await page.locator('.imageparser-viewer-tag').allInnerTexts()).toEqual(['숲-mascot']);

            // Search finds the asset by its new tag and by the comment's current text at once.
            await page.keyboard.press('Control+k');
            await query.fill('tag:숲-mascot');
            await query.press('Enter');
            await expect.poll(() => names()).toEqual(['forest.psd']);
            await query.fill('darker');
            await query.press('Enter');
            await expect.poll(() => names()).toEqual(['forest.psd']);

            // A reloaded window shows the same asset in the viewer again.
            await page.reload();
            await expect.poll(() => page.locator('.lm-TabBar-tab .lm-TabBar-tabLabel').allInnerTexts(), { timeout: 60_000 }).toContain('forest.psd');
            await page.locator('.lm-TabBar-tab', { hasText: 'forest.psd' }).click();
            await expect.poll(() => page.locator('.imageparser-viewer-stage').getAttribute('data-full'), { timeout: 30_000 }).toBe('loaded');
            expect(await page.locator('.imageparser-viewer-tag').allInnerTexts()).toEqual(['숲-mascot']);
        } finally {
            await page.context().close();
        }
    });

    it('compares selected results with zoom kept in step, and tags a multi-selection in one edit', async () => {
        const page = await server.openPage(browser);
        try {
            const query = await searchFromWelcome(page, 'path:colours');
            const names = () => page.locator('.imageparser-search-results .imageparser-result .imageparser-result-name').allInnerTexts();
            await expect.poll(async () => (await names()).length).toBeGreaterThan(3);
            // Until the grid shows both selected: a late refresh of the results can clear a selection between the clicks.
            await selectResults(page, ['red-1.png', 'red-2.png']);
            await page.locator('.imageparser-result', { hasText: 'red-2.png' }).click({ button: 'right' });
            await page.locator('.lm-Menu-item', { hasText: 'Compare the Selected Images' }).click();

            const cells = page.locator('.imageparser-compare-cell');
            await expect.poll(() => cells.locator('.imageparser-compare-name').allInnerTexts()).toEqual(['red-1.png', 'red-2.png']);
            const zoomOf = async (index: number) => Number((await cells.nth(index).locator('.imageparser-viewer-stage').getAttribute('data-view'))?.split(',')[0] ?? NaN);
            await expect.poll(() => zoomOf(1)).toBeGreaterThan(0);
            const start = await zoomOf(1);
            // Wheel-zoom the left image: the right one follows.
            const box = (await cells.nth(0).locator('.imageparser-viewer-stage').boundingBox())!;
            await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
            await page.mouse.wheel(0, -400);
            await expect.poll(() => zoomOf(0)).toBeGreaterThan(start * 1.1);
            await expect.poll(async () => Math.abs(await zoomOf(1) - await zoomOf(0))).toBeLessThan(0.01);

            // Both selected results get a tag in one edit, found by search at once.
            await page.locator('.lm-TabBar-tab', { hasText: 'Search Results' }).click();
            await page.locator('.imageparser-search-results .imageparser-result', { hasText: 'red-2.png' }).click({ button: 'right' });
            await page.locator('.lm-Menu-item', { hasText: 'Add Tags to the Selected Images' }).click();
            const input = page.locator('.quick-input-widget input');
            await input.fill('palette, 빨강');
            await input.press('Enter');
            await page.keyboard.press('Control+k');
            await query.fill('tag:빨강 tag:palette');
            await query.press('Enter');
            await expect.poll(async () => (await names()).sort()).toEqual(['red-1.png', 'red-2.png']);
        } finally {
            await page.context().close();
        }
    });
});
