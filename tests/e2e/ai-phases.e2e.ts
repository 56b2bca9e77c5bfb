import { spawnSync } from 'child_process';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/temp-folder';
import { OpenAiTestServer } from '../../extensions/archive-core/src/node/test/openai-test-server';
import { writeColourPng } from '../../extensions/archive-core/src/node/test/tiny-models/colour-images';
import { writeTinyImageTextModel } from '../../extensions/archive-core/src/node/test/tiny-models/tiny-image-text-model';
import { writeTinySentenceModel } from '../../extensions/archive-core/src/node/test/tiny-models/tiny-sentence-model';
import { AppServer } from './app-server';
import { openAppPage, runCommand, saveScreenshot } from './app-page';
import { launchChromium } from './chromium';

const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'extensions/archive-core/lib/node/cli/imageparser.js');

/** The pictures: no colour word in any name, so only the models can tell their colours. */
const PICTURES: readonly (readonly [string, readonly [number, number, number]])[] = [
    ['pic-01', [220, 30, 30]],
    ['pic-02', [200, 20, 40]],
    ['pic-03', [30, 180, 40]],
    ['pic-04', [30, 50, 220]],
    ['pic-05', [235, 220, 30]],
    ['pic-06', [245, 245, 245]]
];
const RED = ['pic-01.png', 'pic-02.png'];

/**
 * The AI phases as a new user meets them: the tiny test models (a CLIP-style
 * image-text model whose text tower knows colour words in English and
 * Korean, a sentence embedder) and the local OpenAI-compatible test
 * endpoint are set in Settings, the caption, visual and text phases finish
 * in the Phases view, "빨강" finds the red pictures first through the image
 * model with a V reason, and the viewer shows the caption and AI tags, one
 * of which is accepted.
 */
describe('AI phases configured in Settings', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let endpoint: OpenAiTestServer;
    let server: AppServer;
    let browser: Browser;
    let imageModel: string;
    let textModel: string;

    beforeAll(async () => {
        temp = makeTempFolder('imageparser-e2e-ai-');
        const art = path.join(temp.folder, 'art');
        for (const [name, colour] of PICTURES) {
            await writeColourPng(art, name, colour, 160, 120);
        }
        imageModel = path.join(temp.folder, 'models', 'tiny-clip');
        writeTinyImageTextModel(imageModel, 'clip');
        textModel = path.join(temp.folder, 'models', 'tiny-sentence');
        writeTinySentenceModel(textModel);
        endpoint = await new OpenAiTestServer().start();
        const archive = path.join(temp.folder, 'archive');
        const indexed = spawnSync(process.execPath, [cli, 'index', art, '--archive', archive], { encoding: 'utf8' });
        expect(indexed.stdout).toContain(`${PICTURES.length} indexed`);
        server = await AppServer.start({ IMAGEPARSER_HOME: archive, THEIA_CONFIG_DIR: path.join(temp.folder, 'theia-config') });
        browser = await launchChromium();
    }, 120_000);

    afterAll(async () => {
        await browser?.close();
        await server?.stop();
        await endpoint?.stop();
        temp?.remove();
    });

    async function setText(page: Page, preference: string, value: string): Promise<void> {
        const search = page.locator('.settings-search-input');
        await search.fill(preference);
        const input = page.locator(`[data-pref-id="${preference}"] input.theia-input`);
        await input.waitFor();
        await input.fill(value);
        await input.press('Enter');
    }

    async function choose(page: Page, preference: string, value: string): Promise<void> {
        const search = page.locator('.settings-search-input');
        await search.fill(preference);
        const select = page.locator(`[data-pref-id="${preference}"] .theia-select-component`);
        await select.waitFor();
        const option = page.locator('.theia-select-component-dropdown .theia-select-component-option', { hasText: value }).first();
        for (let attempt = 1; ; attempt++) {
            try {
                await select.click();
                await option.click({ timeout: 5000 });
                await expect.poll(() => select.innerText(), { timeout: 5000 }).toContain(value);
                return;
            } catch (error) {
                // The settings list rendered again for the search just typed: the click opened nothing, or the
                // dropdown's option was replaced under the click. Open it again.
                if (attempt === 4) {
                    throw error;
                }
                await page.keyboard.press('Escape');
            }
        }
    }

    const phase = (page: Page, id: string) => page.locator(`.imageparser-phase[data-phase="${id}"]`);
    const done = (page: Page, id: string) => phase(page, id).locator('.imageparser-phase-count-done dd').innerText();

    it('runs the phases set in Settings, finds red pictures for "빨강" through the image model, and shows and accepts AI tags in the viewer', async () => {
        const page = await openAppPage(browser, server.url);
        try {
            await runCommand(page, 'Open Settings (UI)');
            await page.locator('.settings-search-input').waitFor();
            await setText(page, 'imageparser.caption.endpoint', endpoint.endpoint);
            await setText(page, 'imageparser.caption.model', endpoint.modelName);
            await choose(page, 'imageparser.visual.provider', 'transformers');
            await setText(page, 'imageparser.visual.modelPath', imageModel);
            await choose(page, 'imageparser.text.provider', 'transformers');
            await setText(page, 'imageparser.text.modelPath', textModel);
            await saveScreenshot(page, 'ai-settings');

            await runCommand(page, 'ImageParser: Show Phases');
            for (const id of ['caption', 'visual', 'text']) {
                await phase(page, id).waitFor();
                await expect.poll(() => done(page, id), { timeout: 120_000 }).toBe(String(PICTURES.length));
            }
            expect(endpoint.requests).toBeGreaterThanOrEqual(PICTURES.length);
            await saveScreenshot(page, 'ai-phases-done');

            await page.keyboard.press('Control+k');
            const query = page.locator('.imageparser-search-query');
            await query.fill('빨강');
            await query.press('Enter');
            const results = page.locator('.imageparser-search-results .imageparser-result');
            const names = () => results.locator('.imageparser-result-name').allInnerTexts();
            await expect.poll(async () => (await names()).slice(0, 2).sort()).toEqual(RED);
            // Each red picture says it looks like the words (the V axis through the image model's text tower).
            for (const name of RED) {
                const reason = results.filter({ hasText: name }).locator('.imageparser-result-reason');
                await expect.poll(() => reason.innerText()).toMatch(/looks like "빨강" \(\d+%\)/);
            }
            await saveScreenshot(page, 'ai-search-red-korean-word');

            await results.filter({ hasText: 'pic-01.png' }).dblclick();
            const suggestions = page.locator('[data-ai-suggestions] [data-ai-tag]');
            await expect.poll(() => suggestions.evaluateAll(rows => rows.map(row => row.getAttribute('data-ai-tag')))).toContain('red');
            await saveScreenshot(page, 'ai-viewer-suggestions');
            // Accepting an AI tag makes it the user's tag.
            await page.locator('[data-ai-suggestions] [data-ai-tag="red"] [data-action="accept"]').click();
            await expect.poll(() => page.locator('.imageparser-viewer-tag').allInnerTexts()).toContain('red');
            await page.locator('.imageparser-viewer-tab[data-panel="ai"]').click();
            await expect.poll(() => page.locator('[data-ai-section="tags"] [data-ai-tag="red"]').getAttribute('data-state')).toBe('accepted');
            const captions = page.locator('[data-ai-section="captions"]');
            await expect.poll(() => captions.innerText()).toMatch(/red/i);
            expect(await captions.innerText()).toContain(endpoint.modelName);
            expect(await page.locator('[data-ai-section="vectors"] [data-axis="V"]').innerText()).toContain('tiny-clip');
            await saveScreenshot(page, 'ai-viewer-tab');

        } finally {
            await page.context().close();
        }

        // The same in Korean: the phases' names and the viewer's AI tab.
        const korean = await openAppPage(browser, server.url, { korean: true });
        try {
            await runCommand(korean, 'ImageParser: 처리 단계 표시');
            await phase(korean, 'caption').waitFor();
            await expect.poll(() => done(korean, 'visual')).toBe(String(PICTURES.length));
            await saveScreenshot(korean, 'ai-phases-korean');
        } finally {
            await korean.context().close();
        }
    }, 300_000);
});
