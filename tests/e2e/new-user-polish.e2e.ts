import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { writePsdBuffer } from 'ag-psd';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/temp-folder';
import { AppServer } from './app-server';
import { openAppPage, runCommand, saveScreenshot, selectResults } from './app-page';
import { launchChromium } from './chromium';

const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'extensions/archive-core/lib/node/cli/imageparser.js');

function fill(width: number, height: number, rgba: [number, number, number, number]): ImageData {
    const data = new Uint8ClampedArray(width * height * 4);
    for (let i = 0; i < data.length; i += 4) {
        data.set(rgba, i);
    }
    return { width, height, data, colorSpace: 'srgb' } as unknown as ImageData;
}

/** A two-layer PSD whose colour and layer name tell its versions apart. */
function poster(background: [number, number, number, number], layerName: string): Buffer {
    return writePsdBuffer({
        width: 320, height: 240, imageData: fill(320, 240, background), children: [
            { name: 'Paper', imageData: fill(320, 240, background) },
            { name: layerName, imageData: fill(80, 60, [250, 250, 250, 255]), left: 20, top: 20, right: 100, bottom: 80 }
        ]
    });
}

const SECOND_SAVE = new Date('2024-03-02T10:00:00Z');

/** A date and time as the app writes them in English (Intl, medium date, short time): "Mar 2, 2024, 10:00 AM". */
const ENGLISH_DATE = /[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}\s[AP]M/;
/** …and in Korean: "2024. 3. 2. 오전 10:00". */
const KOREAN_DATE = /\d{4}\. \d{1,2}\. \d{1,2}\. (오전|오후) \d{1,2}:\d{2}/;

/**
 * The Hangul words under `selector` that a line break cuts in two ("댓/글")
 * although they would fit on a line of their own (a path longer than its
 * line has to break).
 */
function wordsCutByLineBreaks(page: Page, selector: string): Promise<string[]> {
    return page.evaluate(rootSelector => {
        const cut: string[] = [];
        for (const area of Array.from(document.querySelectorAll(rootSelector))) {
            const walker = document.createTreeWalker(area, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                for (const word of (node.textContent ?? '').matchAll(/\S+/g)) {
                    if (!/[\uac00-\ud7a3]/.test(word[0])) {
                        continue;
                    }
                    const range = document.createRange();
                    range.setStart(node, word.index);
                    range.setEnd(node, word.index + word[0].length);
                    const boxes = Array.from(range.getClientRects()).filter(box => box.width > 0);
                    const lines = new Set(boxes.map(box => Math.round(box.top)));
                    let block = node.parentElement!;
                    while (getComputedStyle(block).display.startsWith('inline') && block.parentElement) {
                        block = block.parentElement;
                    }
                    const width = boxes.reduce((sum, box) => sum + box.width, 0);
                    if (lines.size > 1 && width <= block.clientWidth) {
                        cut.push(word[0]);
                    }
                }
            }
        }
        return cut;
    }, selector);
}

/** How wide the sort box is, and how wide it would need to be to show its chosen entry whole. */
function sortBoxWidths(page: Page): Promise<{ text: string; width: number; needed: number }> {
    return page.locator('.imageparser-search-sort').evaluate(node => {
        const select = node as HTMLSelectElement;
        const alone = select.cloneNode(false) as HTMLSelectElement;
        alone.appendChild(select.selectedOptions[0].cloneNode(true));
        alone.style.cssText = 'position: absolute; visibility: hidden; width: auto; min-width: 0; max-width: none; flex: none;';
        select.parentElement!.appendChild(alone);
        const needed = alone.getBoundingClientRect().width;
        alone.remove();
        return { text: select.selectedOptions[0].text, width: select.getBoundingClientRect().width, needed };
    });
}

/** How many different colours a screenshot of the element shows. */
async function colourCount(element: Locator): Promise<number> {
    const { data, info } = await sharp(await element.screenshot()).raw().toBuffer({ resolveWithObject: true });
    const colours = new Set<number>();
    for (let at = 0; at < data.length; at += info.channels) {
        colours.add((data[at] << 16) | (data[at + 1] << 8) | data[at + 2]);
    }
    return colours.size;
}

/**
 * What a new user stumbled on, in English and in Korean, one test each: an
 * empty archive, dates, Korean line breaks, the sort box, filters that hide
 * results, tiny and transparent thumbnails, the rating picker, deleting a
 * comment, and Theia's own display-language dialog. The first test adds the
 * folder from the empty archive's button; the others index it (again) with
 * the `imageparser` command, so each stands on its own.
 */
describe('a new user\'s first day, in English and Korean', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let art: string;
    let server: AppServer;
    let browser: Browser;

    beforeAll(async () => {
        temp = makeTempFolder('imageparser-e2e-');
        art = path.join(temp.folder, 'art');
        fs.mkdirSync(art);
        const posterFile = path.join(art, 'poster.psd');
        fs.writeFileSync(posterFile, poster([200, 40, 40, 255], 'First draft'));
        fs.utimesSync(posterFile, new Date('2024-03-01T10:00:00Z'), new Date('2024-03-01T10:00:00Z'));
        // Fully transparent, as an adjustment-only PSD's composite is.
        await sharp({ create: { width: 240, height: 180, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toFile(path.join(art, 'clear.png'));
        // An 8 x 8 icon: its thumbnail is 8 x 8 too.
        const dot = Buffer.alloc(8 * 8 * 3);
        for (let pixel = 0; pixel < 64; pixel++) {
            dot.set((pixel + (pixel >> 3)) % 2 ? [220, 30, 30] : [30, 30, 220], pixel * 3);
        }
        await sharp(dot, { raw: { width: 8, height: 8, channels: 3 } }).png().toFile(path.join(art, 'dot.png'));
        await sharp({ create: { width: 400, height: 300, channels: 3, background: '#3388dd' } }).png().toFile(path.join(art, 'sky.png'));
        await sharp({ create: { width: 400, height: 300, channels: 3, background: '#116644' } }).png().toFile(path.join(art, 'sea.png'));
        const png = fs.readFileSync(path.join(art, 'sea.png'));
        fs.writeFileSync(path.join(art, 'broken.png'), png.subarray(0, png.length >> 1));
        server = await AppServer.start({ IMAGEPARSER_HOME: path.join(temp.folder, 'archive'), THEIA_CONFIG_DIR: path.join(temp.folder, 'theia-config') });
        browser = await launchChromium();
    }, 120_000);

    afterAll(async () => {
        await browser?.close();
        await server?.stop();
        temp?.remove();
    });

    const results = (page: Page) => page.locator('.imageparser-search-results .imageparser-result');
    const resultNames = (page: Page) => page.locator('.imageparser-search-results .imageparser-result-name').allInnerTexts();
    const result = (page: Page, name: string) => results(page).filter({ has: page.locator('.imageparser-result-name', { hasText: new RegExp(`^${name}$`) }) });

    async function search(page: Page, text: string): Promise<void> {
        const query = page.locator('.imageparser-search-query');
        await query.fill(text);
        await query.press('Enter');
    }

    /** The folder indexed, with poster.psd saved over once (two versions). */
    function indexArt(): void {
        const archive = path.join(temp.folder, 'archive');
        spawnSync(process.execPath, [cli, 'index', art, '--archive', archive], { encoding: 'utf8' });
        const posterFile = path.join(art, 'poster.psd');
        if (fs.statSync(posterFile).mtime.getTime() !== SECOND_SAVE.getTime()) {
            fs.writeFileSync(posterFile, poster([40, 40, 200, 255], 'Final art'));
            fs.utimesSync(posterFile, SECOND_SAVE, SECOND_SAVE);
            expect(spawnSync(process.execPath, [cli, 'index', art, '--archive', archive], { encoding: 'utf8' }).stdout).toContain('1 indexed, 0 failed');
        }
    }

    async function openInViewer(page: Page, name: string): Promise<void> {
        await search(page, name.replace(/\.\w+$/, ''));
        await expect.poll(() => resultNames(page)).toEqual([name]);
        await results(page).first().dblclick();
        await expect.poll(() => page.locator('#imageparser-viewer .imageparser-viewer-stage').getAttribute('data-full')).toBe('loaded');
    }

    it('invites adding a folder when the archive is empty, and the button adds one', async () => {
        const page = await openAppPage(browser, server.url);
        try {
            await runCommand(page, 'Show Search Results');
            const empty = page.locator('.imageparser-search-results .imageparser-search-results-start');
            await empty.waitFor({ timeout: 30_000 });
            expect(await empty.innerText()).toContain('The archive has no images yet.');
            expect(await page.locator('.imageparser-search-results').innerText()).not.toContain('No images match.');
            await saveScreenshot(page, 'empty-archive');

            await empty.getByRole('button', { name: 'Add Folder…' }).click();
            await page.locator('.dialogOverlay .theia-LocationInputToggle').click({ timeout: 30_000 });
            const location = page.locator('.dialogOverlay .theia-LocationTextInput');
            await location.fill(art);
            await location.press('Enter');
            await expect.poll(() => page.locator('.dialogOverlay .theia-LocationList, .dialogOverlay .theia-LocationTextInput').first().inputValue()).toContain('art');
            await page.locator('.dialogOverlay .dialogControl .theia-button.main').click();
            await page.locator('.theia-notification-list-item', { hasText: `Indexed ${path.basename(art)}: 5 indexed, 1 failed.` }).first().waitFor({ timeout: 60_000 });
            await expect.poll(() => results(page).count(), { timeout: 30_000 }).toBe(5);
            expect(await empty.count()).toBe(0);
        } finally {
            await page.context().close();
        }
    });

    it('shows the sort box\'s longest entry whole, in English and Korean', async () => {
        indexArt();
        for (const [korean, label] of [[false, 'Relevance · date added'], [true, '관련성 · 추가한 날짜']] as const) {
            const page = await openAppPage(browser, server.url, { korean });
            try {
                await runCommand(page, korean ? '이미지 검색' : 'Focus Image Search');
                await search(page, '');
                await expect.poll(() => results(page).count()).toBe(5);
                const sort = await sortBoxWidths(page);
                expect(sort.text).toBe(label);
                expect(sort.width, JSON.stringify(sort)).toBeGreaterThanOrEqual(sort.needed - 0.5);
                await saveScreenshot(page, korean ? 'korean-sort-box' : 'sort-box');
            } finally {
                await page.context().close();
            }
        }
    });

    it('draws a fully transparent thumbnail over a checkerboard and an 8 x 8 one as large, crisp pixels', async () => {
        indexArt();
        const page = await openAppPage(browser, server.url);
        try {
            await runCommand(page, 'Focus Image Search');
            await search(page, 'clear');
            await expect.poll(() => resultNames(page)).toEqual(['clear.png']);
            const clear = result(page, 'clear.png').locator('.imageparser-result-thumb img');
            await expect.poll(() => clear.evaluate(image => (image as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
            expect(await colourCount(clear)).toBeGreaterThanOrEqual(2);
            await search(page, 'dot');
            await expect.poll(() => resultNames(page)).toEqual(['dot.png']);
            const dot = result(page, 'dot.png').locator('.imageparser-result-thumb img');
            await expect.poll(async () => (await dot.boundingBox())?.width ?? 0).toBeGreaterThanOrEqual(120);
            expect(await dot.evaluate(image => getComputedStyle(image).imageRendering)).toBe('pixelated');
            await search(page, '');
            await expect.poll(() => results(page).count()).toBe(5);
            await saveScreenshot(page, 'thumbnails');
        } finally {
            await page.context().close();
        }
    });

    it('writes the dates of the Versions tab and the compare labels as the Info panel does, in English and Korean', async () => {
        indexArt();
        for (const korean of [false, true]) {
            const date = korean ? KOREAN_DATE.source : ENGLISH_DATE.source;
            const page = await openAppPage(browser, server.url, { korean });
            try {
                await runCommand(page, korean ? '이미지 검색' : 'Focus Image Search');
                await openInViewer(page, 'poster.psd');
                await page.locator('.imageparser-viewer-tab[data-panel="info"]').click();
                await expect.poll(() => page.locator('.imageparser-viewer-metadata').innerText()).toMatch(korean ? KOREAN_DATE : ENGLISH_DATE);
                await page.locator('.imageparser-viewer-tab[data-panel="versions"]').click();
                const versions = page.locator('.imageparser-viewer-version');
                await expect.poll(() => versions.count()).toBe(2);
                for (const line of await versions.locator('.imageparser-viewer-version-date').allInnerTexts()) {
                    expect(line).toMatch(new RegExp(korean ? `^${date}에 색인됨$` : `^Indexed ${date}$`));
                }
                for (const line of await versions.locator('.imageparser-viewer-version-meta').allInnerTexts()) {
                    expect(line).toMatch(new RegExp(korean ? `^${date}에 저장됨, ` : `^Saved ${date}, `));
                }
                expect(await page.locator('.imageparser-viewer-side').innerText()).not.toMatch(korean ? /\b[AP]M\b/ : /\d:\d{2}:\d{2}/);
                await saveScreenshot(page, korean ? 'korean-versions' : 'versions-dates');
                await versions.nth(1).getByRole('button', { name: korean ? '현재 버전과 비교' : 'Compare with current' }).click();
                const earlierName = page.locator('.imageparser-compare-cell').first().locator('.imageparser-compare-name');
                await expect.poll(() => earlierName.innerText()).toMatch(new RegExp(korean ? `^poster\\.psd, ${date}에 저장됨$` : `^poster\\.psd, saved ${date}$`));
                if (!korean) {
                    expect(await earlierName.innerText()).toMatch(/^poster\.psd, saved Mar 1, 2024, /);
                }
                await saveScreenshot(page, korean ? 'korean-compare' : 'compare-label');
            } finally {
                await page.context().close();
            }
        }
    });

    it('asks before deleting a comment, and Cancel keeps it', async () => {
        indexArt();
        const page = await openAppPage(browser, server.url);
        try {
            await runCommand(page, 'Focus Image Search');
            await openInViewer(page, 'sea.png');
            await page.locator('.imageparser-viewer-tab[data-panel="annotations"]').click();
            await page.locator('.imageparser-viewer-comment-draft').fill('Keep the green');
            await page.locator('.imageparser-viewer-comment-draft').press('Control+Enter');
            const comment = page.locator('.imageparser-viewer-comment', { hasText: 'Keep the green' });
            await comment.waitFor();
            await comment.getByRole('button', { name: 'Delete' }).click();
            const dialog = page.locator('.dialogOverlay .dialogBlock');
            await dialog.waitFor({ timeout: 30_000 });
            expect(await dialog.locator('.dialogTitle').innerText()).toBe('Delete Comment');
            expect(await dialog.locator('.dialogContent').innerText()).toContain('“Keep the green”');
            await saveScreenshot(page, 'delete-comment-confirm');
            await dialog.locator('.theia-button.secondary').click();
            await expect.poll(() => dialog.count()).toBe(0);
            expect(await comment.count()).toBe(1);
            await comment.getByRole('button', { name: 'Delete' }).click();
            await dialog.locator('.theia-button.main').click();
            await expect.poll(() => comment.count()).toBe(0);
        } finally {
            await page.context().close();
        }
    });

    it('says which filters limit the results by their count, with ✕ to clear each, and words searched leave the failures list', async () => {
        indexArt();
        const page = await openAppPage(browser, server.url);
        try {
            await runCommand(page, 'Show Files That Failed to Index');
            const list = page.locator('.imageparser-search-results .imageparser-problems');
            await list.waitFor({ timeout: 30_000 });
            const chip = page.locator('.imageparser-search-summary .imageparser-search-chip[data-filter="state"]');
            await expect.poll(() => chip.innerText({ timeout: 1000 }).catch(() => '')).toBe('State: Failed to index');
            await saveScreenshot(page, 'failures-filter-chip');
            // Words typed now search every image: the failures list and its filter go.
            await search(page, 'sky');
            await expect.poll(() => resultNames(page)).toEqual(['sky.png']);
            expect(await list.count()).toBe(0);
            expect(await page.locator('.imageparser-search-chip').count()).toBe(0);
            expect(await page.locator('.imageparser-search-filter[data-filter="state"] select').inputValue()).toBe('');

            // A filter set down the side bar shows by the count too, and its ✕ clears it.
            await search(page, '');
            await page.locator('.imageparser-search-filter[data-filter="type"] label', { hasText: 'PSD' }).locator('input').check();
            await expect.poll(() => resultNames(page)).toEqual(['poster.psd']);
            const typeChip = page.locator('.imageparser-search-summary .imageparser-search-chip[data-filter="type"]');
            expect(await typeChip.innerText()).toBe('File type: PSD');
            await typeChip.getByRole('button', { name: 'Clear the filter “File type: PSD”' }).click();
            await expect.poll(() => results(page).count()).toBe(5);
            expect(await page.locator('.imageparser-search-filter[data-filter="type"] input').first().isChecked()).toBe(false);
        } finally {
            await page.context().close();
        }
    });

    it('rates a selection with a picker that says how many images it rates and highlights nothing it would change, in English and Korean', async () => {
        indexArt();
        const page = await openAppPage(browser, server.url);
        const picker = page.locator('.quick-input-widget');
        const rows = picker.locator('.quick-input-list .monaco-list-row');
        const rate = async (...names: string[]) => {
            await selectResults(page, names);
            await result(page, names[0]).click({ button: 'right' });
            await page.locator('.lm-Menu-item', { hasText: /Rate the Selected Images|선택한 이미지 별점 매기기/ }).click();
            await picker.locator('.quick-input-title').waitFor();
        };
        try {
            await runCommand(page, 'Focus Image Search');
            await search(page, '');
            await expect.poll(() => results(page).count()).toBe(5);
            await rate('sky.png');
            await rows.filter({ hasText: '★★★' }).filter({ hasNotText: '★★★★' }).click();
            await page.locator('.theia-notification-list-item', { hasText: 'Rated 1 image' }).first().waitFor();
            await expect.poll(() => result(page, 'sky.png').locator('.imageparser-result-stars').innerText({ timeout: 1000 }).catch(() => '')).toBe('★★★');

            // Two images rated differently: the title says how many, and no entry is highlighted.
            await rate('sky.png', 'sea.png');
            expect(await picker.locator('.quick-input-title').innerText()).toBe('Rate 2 images');
            await expect.poll(() => rows.count()).toBe(6);
            expect(await rows.evaluateAll(nodes => nodes.map(node => node.getAttribute('aria-label')))).toEqual(['1 star', '2 stars', '3 stars', '4 stars', '5 stars', 'No rating']);
            expect(await rows.locator('.label-name').allInnerTexts()).toEqual(['★', '★★', '★★★', '★★★★', '★★★★★', 'No rating']);
            expect(await picker.locator('.quick-input-list .monaco-list-row.focused').count()).toBe(0);
            await saveScreenshot(page, 'rate-two-images');
            // Enter alone rates nothing.
            await picker.locator('input').press('Enter');
            expect(await picker.isVisible()).toBe(true);
            await picker.locator('input').press('Escape');
            expect(await page.locator('.theia-notification-list-item', { hasText: 'Rated 2 images' }).count()).toBe(0);
            expect(await result(page, 'sky.png').locator('.imageparser-result-stars').innerText()).toBe('★★★');
            expect(await result(page, 'sea.png').locator('.imageparser-result-stars').count()).toBe(0);

            // One image: its own rating is the one highlighted, so Enter keeps it.
            await rate('sky.png');
            expect(await picker.locator('.quick-input-title').innerText()).toBe('Rate 1 image');
            await expect.poll(() => picker.locator('.quick-input-list .monaco-list-row.focused').getAttribute('aria-label')).toBe('3 stars, current');
            await saveScreenshot(page, 'rate-one-image');
            await picker.locator('input').press('Escape');
        } finally {
            await page.context().close();
        }
        const koreanPage = await openAppPage(browser, server.url, { korean: true });
        try {
            await runCommand(koreanPage, '이미지 검색');
            await search(koreanPage, '');
            await expect.poll(() => results(koreanPage).count()).toBe(5);
            await selectResults(koreanPage, ['sky.png', 'sea.png']);
            await result(koreanPage, 'sea.png').click({ button: 'right' });
            await koreanPage.locator('.lm-Menu-item', { hasText: '선택한 이미지 별점 매기기' }).click();
            await expect.poll(() => koreanPage.locator('.quick-input-widget .quick-input-title').innerText()).toBe('이미지 2개에 별점 매기기');
            expect(await koreanPage.locator('.quick-input-list .monaco-list-row').evaluateAll(nodes => nodes.map(node => node.getAttribute('aria-label'))))
                .toEqual(['별 1개', '별 2개', '별 3개', '별 4개', '별 5개', '별점 없음']);
            await saveScreenshot(koreanPage, 'korean-rate-two-images');
            await koreanPage.locator('.quick-input-widget input').press('Escape');
        } finally {
            await koreanPage.context().close();
        }
    });

    it('keeps Korean words whole at line ends in the search view, the results, the failures list, the welcome page and the viewer', async () => {
        indexArt();
        const page = await openAppPage(browser, server.url, { korean: true });
        try {
            await runCommand(page, '이미지 검색');
            await page.locator('.imageparser-search-problems-failed').click();
            await page.locator('.imageparser-search-results .imageparser-problems').waitFor({ timeout: 30_000 });
            await page.locator('.imageparser-problem-row').first().click();
            for (const area of ['.imageparser-search', '.imageparser-search-results', '.imageparser-welcome']) {
                expect(await wordsCutByLineBreaks(page, area), area).toEqual([]);
                expect(await page.locator(area).first().evaluate(node => getComputedStyle(node).wordBreak), area).toBe('keep-all');
            }
            await saveScreenshot(page, 'korean-failures-list');

            // The viewer's tabs ("태그와 댓글") and panels, and its tab label.
            await search(page, 'poster');
            await expect.poll(() => resultNames(page)).toEqual(['poster.psd']);
            await results(page).first().dblclick();
            await expect.poll(() => page.locator('#imageparser-viewer .imageparser-viewer-stage').getAttribute('data-full')).toBe('loaded');
            for (const panel of ['layers', 'annotations', 'versions', 'info']) {
                await page.locator(`.imageparser-viewer-tab[data-panel="${panel}"]`).click();
                await page.locator('.imageparser-viewer-panel').waitFor();
                expect(await wordsCutByLineBreaks(page, '.imageparser-viewer-side'), panel).toEqual([]);
            }
            expect(await page.locator('.lm-TabBar-tab[id^="shell-tab-imageparser-viewer"]').evaluate(node => getComputedStyle(node).wordBreak)).toBe('keep-all');
            await page.locator('.imageparser-viewer-tab[data-panel="annotations"]').click();
            await saveScreenshot(page, 'korean-viewer-tabs');
        } finally {
            await page.context().close();
        }
    });

    it('speaks Korean in the status bar\'s spoken label and in Theia\'s display-language command and dialog, found by typing "언어"', async () => {
        indexArt();
        const page = await openAppPage(browser, server.url, { korean: true });
        try {
            // The status bar item reads as words to a screen reader, without "$(database)".
            const status = page.locator('#theia-statusBar .imageparser-archive-status');
            await expect.poll(() => status.getAttribute('aria-label')).toBe('ImageParser 아카이브: 에셋 5개');

            await page.locator('.imageparser-welcome').click();
            await page.keyboard.press('F1');
            const input = page.locator('.quick-input-widget input');
            await input.waitFor();
            await input.fill('>언어');
            await page.locator('.quick-input-list .monaco-list-row', { hasText: '표시 언어 구성' }).waitFor({ timeout: 10_000 });
            await input.press('Enter');
            const korean = page.locator('.quick-input-list .monaco-list-row', { hasText: '한국어' });
            await expect.poll(() => korean.innerText()).toContain('(현재)');
            await page.locator('.quick-input-list .monaco-list-row', { hasText: 'English' }).click();
            const dialog = page.locator('.dialogOverlay .dialogBlock');
            await dialog.waitFor();
            expect(await dialog.locator('.dialogTitle').innerText()).toBe('ImageParser을(를) 다시 시작하여 English(으)로 전환할까요?');
            expect(await dialog.locator('.dialogContent').innerText()).toBe('표시 언어를 English(으)로 변경하려면 ImageParser을(를) 다시 시작해야 합니다.');
            await saveScreenshot(page, 'korean-switch-language-dialog');
            await dialog.locator('.theia-button.secondary').click();
        } finally {
            await page.context().close();
        }
    });
});
