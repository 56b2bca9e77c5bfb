import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTIONS_JSON_FORMAT, CollectionsJson } from '../../extensions/archive-core/src/common/collections-json';
import { runCommand, saveScreenshot, selectResults, startInKorean } from './app-page';
import { SearchFixturesApp, startSearchFixturesApp } from './search-fixtures-app';

/** What the tests read and type, in the language of the run. */
interface Words {
    readonly language: 'en' | 'ko';
    readonly collection: string;
    readonly empty: string;
    readonly smart: string;
    readonly preset: string;
    readonly toolbar: readonly string[];
    readonly tree: string;
    readonly open: string;
    readonly focusSearch: string;
    readonly openSmart: string;
    readonly importJson: string;
    readonly nameEmpty: string;
    readonly nameTooLong: (length: number) => string;
    readonly titles: { readonly collection: string; readonly smart: string; readonly preset: string; readonly rename: (name: string) => string };
    readonly added: (count: number, name: string) => string;
    readonly removed: (count: number, name: string) => string;
    readonly deleted: (name: string) => string;
    readonly chip: (name: string) => string;
    readonly smartChip: (name: string) => string;
    readonly narrowed: (preset: string, smart: string) => string;
    readonly editedSmart: (preset: string, smart: string) => string;
}

const ENGLISH: Words = {
    language: 'en', collection: 'Red picks', empty: 'Empty one', smart: 'Reds', preset: 'JPEG only',
    toolbar: ['New Collection…', 'New Collection Folder…', 'Save Search as Smart Collection…'], tree: 'Collections', open: 'Open Collection',
    focusSearch: 'Focus Image Search', openSmart: 'Open Smart Collection…', importJson: 'Import Collections from JSON…',
    nameEmpty: 'Type a name.', nameTooLong: length => `A name can be at most 200 characters long; this one has ${length}.`,
    titles: { collection: 'New Collection', smart: 'New Smart Collection', preset: 'New Filter Preset', rename: name => `Rename “${name}”` },
    added: (count, name) => `Added ${count} ${count === 1 ? 'image' : 'images'} to “${name}”.`,
    removed: (count, name) => `Removed ${count} ${count === 1 ? 'image' : 'images'} from “${name}”.`,
    deleted: name => `Deleted “${name}”.`,
    chip: name => `Collection: ${name}`,
    smartChip: name => `Smart collection: ${name}`,
    narrowed: (preset, smart) => `The filter preset “${preset}” narrows the smart collection “${smart}”; its saved search stays as it is.`,
    editedSmart: (preset, smart) => `The filter preset “${preset}” is now part of the edited search of the smart collection “${smart}”`
};

const KOREAN: Words = {
    language: 'ko', collection: '빨강 모음', empty: '빈 모음', smart: '빨강 스마트', preset: 'JPEG만',
    toolbar: ['새 컬렉션…', '새 컬렉션 폴더…', '검색을 스마트 컬렉션으로 저장…'], tree: '컬렉션', open: '컬렉션 열기',
    focusSearch: '이미지 검색으로 이동', openSmart: '스마트 컬렉션 열기…', importJson: 'JSON에서 컬렉션 가져오기…',
    nameEmpty: '이름을 입력하세요.', nameTooLong: length => `이름은 200자까지 쓸 수 있습니다. 지금 ${length}자입니다.`,
    titles: { collection: '새 컬렉션', smart: '새 스마트 컬렉션', preset: '새 필터 프리셋', rename: name => `“${name}” 이름 바꾸기` },
    added: (count, name) => `“${name}”에 이미지 ${count}개를 추가했습니다.`,
    removed: (count, name) => `“${name}”에서 이미지 ${count}개를 제거했습니다.`,
    deleted: name => `“${name}”을(를) 삭제했습니다.`,
    chip: name => `컬렉션: ${name}`,
    smartChip: name => `스마트 컬렉션: ${name}`,
    narrowed: (preset, smart) => `필터 프리셋 “${preset}”(으)로 스마트 컬렉션 “${smart}”을(를) 좁혀 봅니다. 저장된 검색은 그대로입니다.`,
    editedSmart: (preset, smart) => `필터 프리셋 “${preset}”이(가) 편집 중인 스마트 컬렉션 “${smart}”의 검색에 들어갔습니다.`
};

/** A page of the app in a fresh browser context, once the welcome page shows; in Korean when asked. */
async function openPage(browser: Browser, url: string, options: { korean?: boolean } = {}): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    if (options.korean) {
        await startInKorean(context);
    }
    const page = await context.newPage();
    await page.goto(url);
    await page.locator('.imageparser-welcome-table').waitFor({ timeout: 90_000 });
    return page;
}

const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
const resultNames = async (page: Page) => (await page.locator('.imageparser-search-results .imageparser-result .imageparser-result-name').allInnerTexts()).sort();
const tile = (page: Page, name: string) => page.locator('.imageparser-search-results .imageparser-result')
    .filter({ has: page.locator('.imageparser-result-name', { hasText: exactly(name) }) });
const row = (page: Page, name: string) => page.locator('.imageparser-collection-row').filter({ has: page.locator('.imageparser-collection-name', { hasText: exactly(name) }) });
const tree = (page: Page) => page.locator('.imageparser-collections-tree');
const menus = (page: Page) => page.locator('.lm-Menu');
const dialog = (page: Page) => page.locator('.dialogOverlay');
const notices = (page: Page) => page.locator('.theia-notification-toasts .theia-notification-list-item .theia-notification-message').allInnerTexts();
const banner = (page: Page) => page.locator('.imageparser-smart-banner');
/** What has the keyboard focus: its class and its accessible name (aria-label, else its text). */
const focused = (page: Page) => page.evaluate(() => {
    const active = document.activeElement as HTMLElement | null;
    return { className: active?.className ?? '', name: active?.getAttribute('aria-label') ?? active?.innerText ?? '' };
});

async function search(page: Page, words: Words, text: string): Promise<void> {
    const query = page.locator('.imageparser-search-query');
    if (!await query.isVisible()) {
        await runCommand(page, words.focusSearch);
    }
    await query.fill(text);
    await query.press('Enter');
}

/** Types a name into the open name dialog and confirms it; answers the dialog's title. */
async function answerNameDialog(page: Page, name: string): Promise<string> {
    const input = dialog(page).locator('.dialogContent input');
    await input.waitFor();
    const title = await dialog(page).locator('.dialogTitle').innerText();
    await input.fill(name);
    await input.press('Enter');
    await dialog(page).waitFor({ state: 'detached' });
    return title;
}

/** The error line of the open name dialog. */
const dialogError = (page: Page) => dialog(page).locator('.dialogControl .error, .dialogContent .error').first().innerText();

/** Shows the Collections view (a click on its tab when it shows would close the side bar). */
async function showCollections(page: Page): Promise<void> {
    if (!await page.locator('.imageparser-collections-toolbar').isVisible()) {
        await page.locator('#shell-tab-imageparser-collections').click();
    }
}

/** Makes a collection (of the selected results, when any are selected) from the Collections view's toolbar. */
async function newCollection(page: Page, name: string): Promise<void> {
    await showCollections(page);
    await page.locator('.imageparser-collections-toolbar [data-command="imageparser.collections.newCollection"]').click();
    await answerNameDialog(page, name);
    await row(page, name).waitFor();
}

/** Imports a collections JSON file through the palette's command and the file dialog; answers the open report dialog. */
async function importJson(page: Page, words: Words, file: string): Promise<Locator> {
    await runCommand(page, words.importJson);
    await page.locator('.dialogOverlay .theia-LocationInputToggle').click({ timeout: 30_000 });
    const location = page.locator('.dialogOverlay .theia-LocationTextInput');
    await location.fill(path.dirname(file));
    await location.press('Enter');
    await page.locator('.dialogOverlay .theia-TreeNode', { hasText: path.basename(file) }).click();
    await page.locator('.dialogOverlay .dialogControl .theia-button.main').click();
    const report = page.locator('.imageparser-collections-import-report');
    await report.locator('.imageparser-collections-import-report-body').waitFor({ timeout: 30_000 });
    return report;
}

/** WCAG's contrast ratio of two colours given as [r, g, b]. */
function contrastOf(a: number[], b: number[]): number {
    const luminance = ([r, g, bl]: number[]) => {
        const channel = (value: number) => {
            const c = value / 255;
            return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        };
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(bl);
    };
    const [lighter, darker] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (lighter + 0.05) / (darker + 0.05);
}

/**
 * An element's text colour and the colour it is drawn on, as the eye sees
 * them: each semi-transparent background (and the text) laid over what is
 * under it, up to the page.
 */
function drawnColours(element: Locator): Promise<{ text: number[]; background: number[] }> {
    return element.evaluate(node => {
        const rgba = (text: string) => {
            const parts = (text.match(/[\d.]+/g) ?? []).map(Number);
            return parts.length === 3 ? [...parts, 1] : parts;
        };
        const over = (top: number[], under: number[]) => [0, 1, 2].map(i => top[i] * top[3] + under[i] * (1 - top[3]));
        const layers: number[][] = [];
        for (let at: Element | null = node; at; at = at.parentElement) {
            const colour = rgba(getComputedStyle(at).backgroundColor);
            if (colour[3] > 0) {
                layers.push(colour);
            }
            if (colour[3] >= 1) {
                break;
            }
        }
        const background = layers.reverse().reduce((under, top) => over(top, under), [255, 255, 255]);
        return { text: over(rgba(getComputedStyle(node).color), background), background };
    });
}

describe('collections, polished after a new user tried them', () => {
    let app: SearchFixturesApp;

    beforeAll(async () => {
        app = await startSearchFixturesApp();
    }, 120_000);

    afterAll(() => app?.stop());

    for (const words of [ENGLISH, KOREAN]) {
        it(`opens the selected collection's menu with Shift+F10 and the menu key, closes it with Escape while a notice shows, and gives the focus back to the tree (${words.language})`, async () => {
            const page = await openPage(app.browser, app.server.url, { korean: words.language === 'ko' });
            try {
                await search(page, words, 'path:colours red');
                await expect.poll(() => resultNames(page)).toEqual(['red-1-copy.jpg', 'red-1.png', 'red-2.png']);
                await selectResults(page, ['red-2.png', 'red-1.png', 'red-1-copy.jpg']);
                await newCollection(page, `${words.collection} ${words.language}`);
                await tile(page, 'red-1.png').dragTo(row(page, `${words.collection} ${words.language}`));
                await expect.poll(() => row(page, `${words.collection} ${words.language}`).locator('img.imageparser-collection-cover').count()).toBe(1);
                // The toolbar's New Collection… makes an empty one whatever is selected.
                await newCollection(page, `${words.empty} ${words.language}`);
                await newCollection(page, `${words.empty} 2 ${words.language}`);

                // A notice that stays until closed: a collection deleted (with Undo).
                await row(page, `${words.empty} 2 ${words.language}`).click();
                await tree(page).focus();
                await page.keyboard.press('Delete');
                const deletedNotice = async () => (await notices(page)).filter(notice => notice.includes(`${words.empty} 2 ${words.language}`)).length;
                await expect.poll(deletedNotice).toBe(1);

                // Shift+F10 on the selected collection: its menu; Escape closes it (the notice stays) and the tree has the focus again.
                await row(page, `${words.collection} ${words.language}`).click();
                await tree(page).focus();
                await page.keyboard.press('Shift+F10');
                await expect.poll(() => menus(page).locator('.lm-Menu-itemLabel').allInnerTexts()).toContain(words.open);
                expect(await row(page, `${words.collection} ${words.language}`).getAttribute('class')).toContain('context-menu-open');
                await saveScreenshot(page, `collections-polish-keyboard-menu-${words.language}`);
                await page.keyboard.press('Escape');
                await expect.poll(() => menus(page).count()).toBe(0);
                await expect.poll(async () => (await focused(page)).className).toContain('imageparser-collections-tree');
                expect(await deletedNotice()).toBe(1);
                await expect.poll(() => row(page, `${words.collection} ${words.language}`).getAttribute('class')).not.toContain('context-menu-open');

                // The menu key opens it too, on the row the arrow keys moved to; Escape again.
                await page.keyboard.press('ArrowDown');
                await expect.poll(() => row(page, `${words.empty} ${words.language}`).getAttribute('aria-selected')).toBe('true');
                await page.keyboard.press('ContextMenu');
                await expect.poll(() => menus(page).locator('.lm-Menu-itemLabel').allInnerTexts()).toContain(words.open);
                expect(await row(page, `${words.empty} ${words.language}`).getAttribute('class')).toContain('context-menu-open');
                await page.keyboard.press('Escape');
                await expect.poll(() => menus(page).count()).toBe(0);
                await expect.poll(async () => (await focused(page)).className).toContain('imageparser-collections-tree');

                // A right click's menu closes with Escape as well.
                await row(page, `${words.collection} ${words.language}`).click({ button: 'right' });
                await expect.poll(() => menus(page).count()).toBe(1);
                await page.keyboard.press('Escape');
                await expect.poll(() => menus(page).count()).toBe(0);
            } finally {
                await page.context().close();
            }
        });

        it(`shows collection covers at 28 px, cropped, a placeholder of the same size for an empty collection, every row one height; names the toolbar's buttons and reaches them with Tab (${words.language})`, async () => {
            const page = await openPage(app.browser, app.server.url, { korean: words.language === 'ko' });
            const covered = `${words.collection} 4 ${words.language}`;
            const empty = `${words.empty} 4 ${words.language}`;
            try {
                await search(page, words, 'path:colours red');
                await expect.poll(() => resultNames(page)).toEqual(['red-1-copy.jpg', 'red-1.png', 'red-2.png']);
                await selectResults(page, ['red-2.png', 'red-1.png', 'red-1-copy.jpg']);
                await newCollection(page, covered);
                await tile(page, 'red-1.png').dragTo(row(page, covered));
                await expect.poll(() => row(page, covered).locator('img.imageparser-collection-cover').count()).toBe(1);
                await newCollection(page, empty);

                // Covers: 28 px squares, cropped; a folder's or an empty collection's placeholder has the same size; every row has one height.
                const cover = row(page, covered).locator('img.imageparser-collection-cover');
                expect(await cover.evaluate(img => [img.getBoundingClientRect().width, img.getBoundingClientRect().height, getComputedStyle(img).objectFit]))
                    .toEqual([28, 28, 'cover']);
                const placeholder = row(page, empty).locator('.imageparser-collection-cover-placeholder');
                expect(await placeholder.evaluate(box => [box.getBoundingClientRect().width, box.getBoundingClientRect().height])).toEqual([28, 28]);
                const heights = await page.locator('.imageparser-collection-row').evaluateAll(rows => rows.map(each => each.getBoundingClientRect().height));
                expect(new Set(heights).size).toBe(1);
                expect(heights[0]).toBeLessThanOrEqual(36);

                // The toolbar's buttons: each has a tooltip and an accessible name in the window's language, and Tab reaches them in order, then the tree.
                const toolbar = page.locator('.imageparser-collections-toolbar button');
                expect(await toolbar.evaluateAll(buttons => buttons.map(button => button.getAttribute('title')))).toEqual(words.toolbar);
                for (const label of words.toolbar) {
                    expect(await page.locator('.imageparser-collections-toolbar').getByRole('button', { name: label, exact: true }).count()).toBe(1);
                }
                await page.locator('#imageparser-collections').focus();
                const reached: string[] = [];
                for (let step = 0; step < 4; step++) {
                    await page.keyboard.press('Tab');
                    reached.push((await focused(page)).name);
                }
                expect(reached).toEqual([...words.toolbar, words.tree]);
                await saveScreenshot(page, `collections-polish-covers-${words.language}`);
            } finally {
                await page.context().close();
            }
        });

        it(`names collections, smart collections and filter presets in one dialog that says why a name is refused (${words.language})`, async () => {
            const page = await openPage(app.browser, app.server.url, { korean: words.language === 'ko' });
            const name = `${words.collection} 2 ${words.language}`;
            try {
                await search(page, words, 'path:colours red');
                await expect.poll(() => resultNames(page)).toEqual(['red-1-copy.jpg', 'red-1.png', 'red-2.png']);
                await selectResults(page, ['red-2.png', 'red-1.png', 'red-1-copy.jpg']);

                // A new collection: a name too long is refused saying why, an empty one too; then a good one.
                await showCollections(page);
                await page.locator('.imageparser-collections-toolbar [data-command="imageparser.collections.newCollection"]').click();
                const input = dialog(page).locator('.dialogContent input');
                await input.fill('가'.repeat(201));
                await expect.poll(() => dialogError(page)).toBe(words.nameTooLong(201));
                await saveScreenshot(page, `collections-polish-name-too-long-${words.language}`);
                await input.fill('   ');
                await expect.poll(() => dialogError(page)).toBe(words.nameEmpty);
                expect(await answerNameDialog(page, name)).toBe(words.titles.collection);
                await row(page, name).waitFor();

                // A smart collection is named in the same dialog (not the palette's input).
                await search(page, words, 'path:colours red');
                await page.locator('.imageparser-smart-save').click();
                await dialog(page).locator('.dialogContent input').waitFor();
                expect(await page.locator('.quick-input-widget input').isVisible()).toBe(false);
                await dialog(page).locator('.dialogControl .theia-button.main').click();
                await expect.poll(() => dialogError(page)).toBe(words.nameEmpty);
                await saveScreenshot(page, `collections-polish-smart-name-dialog-${words.language}`);
                expect(await answerNameDialog(page, `${words.smart} ${words.language}`)).toBe(words.titles.smart);
                await expect.poll(() => banner(page).count()).toBe(1);

                // A filter preset too: new, and renamed.
                await page.locator('.imageparser-smart-close').click();
                await page.locator('fieldset[data-filter="type"] label', { hasText: 'JPEG' }).locator('input').check();
                await page.locator('.imageparser-presets-save').click();
                await dialog(page).locator('.dialogContent input').waitFor();
                expect(await dialog(page).locator('.imageparser-collection-name-detail').innerText()).toContain('JPEG');
                expect(await answerNameDialog(page, `${words.preset} ${words.language}`)).toBe(words.titles.preset);
                const preset = page.locator('.imageparser-preset', { hasText: `${words.preset} ${words.language}` });
                await preset.locator('.imageparser-preset-action[data-action="edit"]').click();
                expect(await dialog(page).locator('.dialogContent input').inputValue()).toBe(`${words.preset} ${words.language}`);
                expect(await answerNameDialog(page, `${words.preset} ${words.language} 2`)).toBe(words.titles.rename(`${words.preset} ${words.language}`));
                await page.locator('.imageparser-preset', { hasText: `${words.preset} ${words.language} 2` }).waitFor();
            } finally {
                await page.context().close();
            }
        });

        it(`says in its notices how many images were added or removed, in English and Korean alike, with names in “ ” (${words.language})`, async () => {
            const page = await openPage(app.browser, app.server.url, { korean: words.language === 'ko' });
            const name = `${words.collection} 5 ${words.language}`;
            try {
                await search(page, words, 'path:colours red');
                await expect.poll(() => resultNames(page)).toEqual(['red-1-copy.jpg', 'red-1.png', 'red-2.png']);
                await selectResults(page, ['red-2.png', 'red-1.png', 'red-1-copy.jpg']);
                await newCollection(page, name);
                await tile(page, 'red-1.png').dragTo(row(page, name));
                await expect.poll(() => row(page, name).locator('.imageparser-collection-count').innerText()).toBe('3');
                // Read at once: a notice hides itself after a while, and on a busy machine the steps below can outlast it.
                await expect.poll(() => notices(page)).toContain(words.added(3, name));

                // Removed from the collection shown: the notice says how many, in both languages.
                await row(page, name).click();
                await expect.poll(() => resultNames(page)).toEqual(['red-1-copy.jpg', 'red-1.png', 'red-2.png']);
                await selectResults(page, ['red-2.png', 'red-1.png']);
                await page.keyboard.press('Delete');
                await expect.poll(() => notices(page)).toContain(words.removed(2, name));
                await selectResults(page, ['red-1-copy.jpg']);
                await page.keyboard.press('Delete');
                await expect.poll(() => notices(page)).toContain(words.removed(1, name));
                await saveScreenshot(page, `collections-polish-removed-notice-${words.language}`);

                // Every notice shown quoted names with “ ” (no straight quotes).
                for (const notice of await notices(page)) {
                    expect(notice).not.toMatch(/["']/);
                }
            } finally {
                await page.context().close();
            }
        });

        it(`applies a filter preset to a shown smart collection as a narrowing of it, says so, and keeps its saved search; during an edit of its search says the preset joined the edit (${words.language})`, async () => {
            const page = await openPage(app.browser, app.server.url, { korean: words.language === 'ko' });
            const smartName = `${words.smart} 3 ${words.language}`;
            const presetName = `${words.preset} 3 ${words.language}`;
            try {
                // A smart collection of the red images and a preset of JPEG files, as a collections JSON file brings them.
                const now = new Date().toISOString();
                const file = path.join(app.temp.folder, 'shared', `smart-and-preset-${words.language}.json`);
                fs.mkdirSync(path.dirname(file), { recursive: true });
                const json: CollectionsJson = {
                    format: COLLECTIONS_JSON_FORMAT, version: 1, exportedAt: now,
                    collections: [{ uid: crypto.randomUUID(), kind: 'smart', name: smartName, position: 1, query: { text: 'path:colours red' }, createdAt: now, updatedAt: now }],
                    presets: [{ uid: crypto.randomUUID(), name: presetName, filters: [{ kind: 'type', types: ['jpeg'] }] }]
                };
                fs.writeFileSync(file, JSON.stringify(json));
                await search(page, words, '');
                const report = await importJson(page, words, file);
                await report.locator('.dialogControl .theia-button').click();
                await report.waitFor({ state: 'detached' });

                // The smart collection opened: its saved search, as saved.
                await runCommand(page, words.openSmart);
                await page.locator('.quick-input-list .monaco-list-row', { hasText: smartName }).click();
                await expect.poll(() => resultNames(page)).toEqual(['red-1-copy.jpg', 'red-1.png', 'red-2.png']);
                await expect.poll(() => banner(page).getAttribute('data-edited')).toBe('false');
                // Its members are computed once the archive is quiet after the import.
                await expect.poll(() => banner(page).locator('.imageparser-smart-banner-count').innerText(), { timeout: 30_000 }).toMatch(/3/);

                // The preset applied: the results show the smart collection's JPEG, under the collection's name; no smart collection is being edited.
                await page.locator('.imageparser-preset', { hasText: presetName }).locator('.imageparser-preset-apply').click();
                await expect.poll(() => resultNames(page)).toEqual(['red-1-copy.jpg']);
                expect(await banner(page).count()).toBe(0);
                await expect.poll(() => notices(page)).toContain(words.narrowed(presetName, smartName));
                await expect.poll(() => page.locator('.imageparser-search-results .imageparser-results-scope-title').innerText()).toBe(words.smartChip(smartName));
                await expect.poll(() => page.locator('.imageparser-preset', { hasText: presetName }).locator('.imageparser-preset-apply').getAttribute('aria-pressed')).toBe('true');
                await saveScreenshot(page, `collections-polish-preset-narrows-smart-${words.language}`);

                // Opened again, the smart collection has its own search, unchanged.
                await runCommand(page, words.openSmart);
                await page.locator('.quick-input-list .monaco-list-row', { hasText: smartName }).click();
                await expect.poll(() => resultNames(page)).toEqual(['red-1-copy.jpg', 'red-1.png', 'red-2.png']);
                await expect.poll(() => banner(page).getAttribute('data-edited')).toBe('false');

                // Its search edited, then the preset: part of the edit, which the banner shows with Update and Save as New…, and a notice says so.
                await search(page, words, 'path:colours');
                await expect.poll(() => banner(page).getAttribute('data-edited')).toBe('true');
                await page.locator('.imageparser-preset', { hasText: presetName }).locator('.imageparser-preset-apply').click();
                await expect.poll(() => resultNames(page)).toEqual(['red-1-copy.jpg']);
                await expect.poll(async () => (await notices(page)).some(notice => notice.startsWith(words.editedSmart(presetName, smartName)))).toBe(true);
                expect(await banner(page).getAttribute('data-edited')).toBe('true');
                await banner(page).locator('.imageparser-smart-update').waitFor();
                await saveScreenshot(page, `collections-polish-preset-edits-smart-${words.language}`);
            } finally {
                await page.context().close();
            }
        });

        it(`ellipsizes a long file path in the collections JSON import report's title, the file's name whole and the whole path in its tooltip (${words.language})`, async () => {
            const page = await openPage(app.browser, app.server.url, { korean: words.language === 'ko' });
            try {
                const folder = path.join(app.temp.folder, 'shared', ...Array.from({ length: 8 }, (_, index) => `a-rather-long-folder-name-${index}-${words.language}`));
                const file = path.join(folder, `client-collections-${words.language}.json`);
                fs.mkdirSync(folder, { recursive: true });
                const now = new Date().toISOString();
                const json: CollectionsJson = { format: COLLECTIONS_JSON_FORMAT, version: 1, exportedAt: now, collections: [], presets: [] };
                fs.writeFileSync(file, JSON.stringify(json));

                const report = await importJson(page, words, file);

                const title = report.locator('.dialogTitle > div').first();
                expect(await title.getAttribute('title')).toContain(file);
                const block = (await report.locator('.dialogBlock').boundingBox())!;
                expect(block.x).toBeGreaterThanOrEqual(0);
                expect(block.x + block.width).toBeLessThanOrEqual(1440);
                // The title stays inside the dialog, on one line; the file's name is whole and the folder is what is cut short.
                const titleBox = (await title.boundingBox())!;
                expect(titleBox.x + titleBox.width).toBeLessThanOrEqual(block.x + block.width);
                expect(await title.evaluate(node => node.scrollWidth <= node.clientWidth + 1 && node.getBoundingClientRect().height < 40)).toBe(true);
                const name = title.locator('.imageparser-collections-import-report-title-name');
                expect(await name.innerText()).toBe(path.basename(file));
                // A copy of it free to take its natural width, beside it, is no wider: nothing of the name is hidden behind an ellipsis.
                expect(await name.evaluate(node => {
                    const free = node.cloneNode(true) as HTMLElement;
                    free.style.cssText = 'position: absolute; visibility: hidden; max-width: none; overflow: visible; flex: none';
                    node.parentElement!.append(free);
                    const natural = free.getBoundingClientRect().width;
                    free.remove();
                    return natural <= node.getBoundingClientRect().width + 0.01 ? 'whole' : `${natural} px in ${node.getBoundingClientRect().width} px`;
                })).toBe('whole');
                expect(await title.locator('.imageparser-collections-import-report-title-folder').evaluate(node => node.scrollWidth > node.clientWidth)).toBe(true);
                await saveScreenshot(page, `collections-polish-import-report-title-${words.language}`);
                await report.locator('.dialogControl .theia-button').click();
            } finally {
                await page.context().close();
            }
        });
    }

    /** The contrasts in the selected tile `red` of the matched words and of the path around them, with the grid focused and not. */
    async function selectedPathContrasts(page: Page, label: string): Promise<void> {
        const red = tile(page, 'red-2.png');
        await red.locator('.imageparser-result-reason mark').first().waitFor();
        await selectResults(page, ['red-2.png']);
        for (const withFocus of [true, false]) {
            if (!withFocus) {
                await page.locator('.imageparser-search-query').focus();
            }
            const mark = await drawnColours(red.locator('.imageparser-result-reason mark').first());
            const reason = await drawnColours(red.locator('.imageparser-result-reason'));
            expect(contrastOf(mark.text, mark.background), `matched words (${label}, focus ${withFocus})`).toBeGreaterThanOrEqual(4.5);
            expect(contrastOf(reason.text, reason.background), `the path around them (${label}, focus ${withFocus})`).toBeGreaterThanOrEqual(4.5);
        }
    }

    it('draws the matched words in a selected result\'s path with WCAG AA contrast in the dark and the light theme (en), and in Korean', async () => {
        const page = await openPage(app.browser, app.server.url);
        try {
            await search(page, ENGLISH, 'red');
            // Each theme chosen as a user does, from the palette (the choice is a setting: the light theme is chosen last, for the pages after).
            for (const [theme, label] of [['dark', 'Dark (Theia)'], ['light', 'Light (Theia)']] as const) {
                await runCommand(page, 'Color Theme');
                await page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exactly(label) }) }).click();
                await expect.poll(() => page.evaluate(() => document.body.className)).toContain(`theia-${theme}`);
                await selectedPathContrasts(page, theme);
                await saveScreenshot(page, `collections-polish-selected-path-${theme}-en`);
            }
        } finally {
            await page.context().close();
        }
        const korean = await openPage(app.browser, app.server.url, { korean: true });
        try {
            await search(korean, KOREAN, 'red');
            await expect.poll(() => korean.evaluate(() => document.body.className)).toContain('theia-light');
            await selectedPathContrasts(korean, 'light, ko');
            await saveScreenshot(korean, 'collections-polish-selected-path-light-ko');
        } finally {
            await korean.context().close();
        }
    });
});
