import * as path from 'path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARCHIVE_DATABASE_FILE } from '../../extensions/archive-core/src/node/store/archive-location';
import { CaptionResult, writeCaptionResult } from '../../extensions/archive-core/src/node/store/caption-store';
import { runCommand, searchFromWelcome, selectResults } from './app-page';
import { SearchFixturesApp, startSearchFixturesApp } from './search-fixtures-app';

/** Screenshots for a person to look at, when IMAGEPARSER_E2E_SCREENSHOTS names a folder. */
async function snapshot(page: Page, name: string): Promise<void> {
    if (process.env.IMAGEPARSER_E2E_SCREENSHOTS) {
        await page.screenshot({ path: path.join(process.env.IMAGEPARSER_E2E_SCREENSHOTS, `${name}.png`) });
    }
}

/**
 * The AI results in the app: captions and AI tags written into the archive
 * as the caption phase writes them (the phase and its models are tested on
 * their own), then accepted and rejected in the viewer and over a selection
 * of results, undone, and offered by the search box's autocomplete.
 */
describe('AI tags and captions in the app', () => {
    let app: SearchFixturesApp;

    /** Writes caption results into the app's archive from this process, as a caption phase in another process would. */
    function writeCaptions(results: Record<string, CaptionResult>): void {
        const db = new Database(path.join(app.temp.folder, 'archive', ARCHIVE_DATABASE_FILE));
        try {
            const assetOf = (name: string) => db.prepare('SELECT asset_id FROM files WHERE path LIKE ?').pluck().get(`%${name}`) as number;
            db.transaction(() => Object.entries(results).forEach(([name, result]) => writeCaptionResult(db, assetOf(name), result)))();
        } finally {
            db.close();
        }
    }

    const forestTags = [{ name: 'umbrella', confidence: 0.92 }, { name: '우산', confidence: 0.9 }, { name: 'forest', confidence: 0.4 }];

    beforeAll(async () => {
        app = await startSearchFixturesApp();
        writeCaptions({
            'forest.psd': {
                model: 'qwen2.5-vl-test',
                captions: [{ language: 'en', text: 'A hero with an umbrella in a green forest' }, { language: 'ko', text: '초록 숲에서 우산을 든 주인공' }],
                tags: forestTags
            },
            'city.psd': { model: 'qwen2.5-vl-test', captions: [{ language: 'en', text: 'A city at night in the rain' }], tags: [{ name: '우산', confidence: 0.7 }] }
        });
    }, 120_000);

    afterAll(() => app?.stop());

    it('accepts an AI tag in the viewer with the keyboard, shows the captions in the AI tab, undoes, autocompletes caption words, and rejects all over a selection', async () => {
        const page = await app.server.openPage(app.browser);
        try {
            const query = await searchFromWelcome(page, 'path:scenes');
            const names = () => page.locator('.imageparser-search-results .imageparser-result .imageparser-result-name').allInnerTexts();
            await expect.poll(async () => (await names()).sort()).toEqual(['city.psd', 'forest.psd']);

            await page.locator('.imageparser-result', { hasText: 'forest.psd' }).dblclick();
            const suggestion = (name: string) => page.locator(`[data-ai-suggestions] [data-ai-tag="${name}"]`);
            await expect.poll(() => page.locator('[data-ai-suggestions] [data-ai-tag]').evaluateAll(rows => rows.map(row => row.getAttribute('data-ai-tag'))))
                .toEqual(['umbrella', '우산', 'forest']);
            expect(await suggestion('umbrella').innerText()).toContain('92%');
            expect(await page.locator('.imageparser-viewer-tag').count()).toBe(0);
            await snapshot(page, 'ai-suggestions');

            // Keyboard: focus the first Accept, ↓ to the next suggestion's, Enter accepts it.
            await suggestion('umbrella').locator('[data-action="accept"]').focus();
            await page.keyboard.press('ArrowDown');
            expect(await page.evaluate(() => document.activeElement?.closest('[data-ai-tag]')?.getAttribute('data-ai-tag'))).toBe('우산');
            await page.keyboard.press('Enter');
            await expect.poll(() => page.locator('.imageparser-viewer-tag').allInnerTexts()).toEqual(['우산']);
            await expect.poll(() => suggestion('우산').count()).toBe(0);

            // The AI tab: both captions with their model, the AI tags with state.
            await page.locator('.imageparser-viewer-tab[data-panel="ai"]').click();
            await expect.poll(() => page.locator('[data-ai-section="captions"]').innerText()).toContain('초록 숲에서 우산을 든 주인공');
            expect(await page.locator('[data-ai-section="captions"]').innerText()).toContain('qwen2.5-vl-test');
            expect(await page.locator('[data-ai-section="tags"] [data-ai-tag="우산"]').getAttribute('data-state')).toBe('accepted');
            expect(await page.locator('[data-ai-section="tags"] [data-ai-tag="forest"]').getAttribute('data-state')).toBe('suggested');
            await snapshot(page, 'ai-tab');

            // Ctrl+Z in the viewer takes the decision back.
            await page.locator('.imageparser-viewer-stage').click();
            await page.keyboard.press('Control+z');
            await expect.poll(() => page.locator('[data-ai-section="tags"] [data-ai-tag="우산"]').getAttribute('data-state')).toBe('suggested');
            await expect.poll(() => page.locator('.imageparser-viewer-status').innerText()).toContain('우산');

            // The caption phase runs again while the image is shown: the AI tab follows the archive.
            writeCaptions({
                'forest.psd': {
                    model: 'qwen2.5-vl-test-2',
                    captions: [{ language: 'en', text: 'A hero under an umbrella at dusk' }, { language: 'ko', text: '초록 숲에서 우산을 든 주인공' }],
                    tags: [...forestTags, { name: 'dusk', confidence: 0.3 }]
                }
            });
            await expect.poll(() => page.locator('[data-ai-section="captions"]').innerText(), { timeout: 20_000 }).toContain('A hero under an umbrella at dusk');
            expect(await page.locator('[data-ai-section="tags"] [data-ai-tag="dusk"]').getAttribute('data-state')).toBe('suggested');

            // The search box completes caption words, Korean without the particle.
            await page.keyboard.press('Control+k');
            await query.fill('path:scenes 초');
            await expect.poll(() => page.locator('#imageparser-search-suggestions option').evaluateAll(options => options.map(option => (option as HTMLOptionElement).value)))
                .toContain('path:scenes 초록');
            await query.fill('umbr');
            await expect.poll(() => page.locator('#imageparser-search-suggestions option').evaluateAll(options => options.map(option => (option as HTMLOptionElement).value)))
                .toEqual(['umbrella']);

            // Over a selection: the review dialog counts the images each suggestion is for; Reject all turns them down.
            await query.fill('path:scenes');
            await query.press('Enter');
            await expect.poll(async () => (await names()).sort()).toEqual(['city.psd', 'forest.psd']);
            await selectResults(page, ['city.psd', 'forest.psd']);
            await runCommand(page, 'Review AI Tag Suggestions for the Selected Images');
            const dialog = page.locator('.imageparser-ai-review');
            await expect.poll(() => dialog.locator('[data-ai-tag="우산"]').innerText()).toContain('2 of 2 images');
            await snapshot(page, 'ai-review-dialog');
            await dialog.locator('[data-action="reject-all"]').click();
            await expect.poll(() => dialog.innerText()).toContain('No AI tag suggestions are waiting for these images.');
            await dialog.locator('.dialogControl button', { hasText: 'Close' }).click();
            await query.fill('tag:우산');
            await query.press('Enter');
            await expect.poll(() => page.locator('.imageparser-search-count').innerText()).toMatch(/^0 results/);
        } finally {
            await page.context().close();
        }
    }, 180_000);
});
