import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand, saveScreenshot, selectResults, startInKorean } from './app-page';
import { SearchFixturesApp, startSearchFixturesApp } from './search-fixtures-app';

/** What the tests read and type, in the language of the run. */
interface Words {
    readonly language: 'en' | 'ko';
    readonly collection: string;
    readonly folder: string;
    readonly focusSearch: string;
    readonly importJson: string;
    readonly notCollectionsJson: string;
    readonly folderMenu: readonly string[];
    readonly collectionMenu: readonly string[];
    readonly chip: (name: string) => string;
    readonly deleted: (name: string) => string;
}

const ENGLISH: Words = {
    language: 'en', collection: 'Red picks', folder: 'Studio', focusSearch: 'Focus Image Search', importJson: 'Import Collections from JSON…',
    notCollectionsJson: 'the file is not a collections JSON file. Choose a file written by “Export Collections as JSON…”.',
    folderMenu: ['Rename Folder…', 'Delete Folder', 'Export Folder as Archive…'],
    collectionMenu: ['Open Collection', 'Rename Collection…', 'Delete Collection', 'Export Collection as Archive…'],
    chip: name => `Collection: ${name}`,
    deleted: name => `Deleted “${name}”.`
};

const KOREAN: Words = {
    language: 'ko', collection: '빨강 모음', folder: '작업실', focusSearch: '이미지 검색으로 이동', importJson: 'JSON에서 컬렉션 가져오기…',
    notCollectionsJson: '컬렉션 JSON 파일이 아닙니다. “컬렉션을 JSON으로 내보내기…”로 만든 파일을 고르세요.',
    folderMenu: ['폴더 이름 바꾸기…', '폴더 삭제', '폴더를 아카이브로 내보내기…'],
    collectionMenu: ['컬렉션 열기', '컬렉션 이름 바꾸기…', '컬렉션 삭제', '컬렉션을 아카이브로 내보내기…'],
    chip: name => `컬렉션: ${name}`,
    deleted: name => `“${name}”을(를) 삭제했습니다.`
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
const dialog = (page: Page) => page.locator('.dialogOverlay');
const notices = (page: Page) => page.locator('.theia-notification-toasts .theia-notification-list-item .theia-notification-message').allInnerTexts();
const scopeTitle = (page: Page) => page.locator('.imageparser-search-results .imageparser-results-scope-title');
/** The entries of the open context menu that show, separators as "—". */
const menuEntries = (page: Page) => page.locator('.lm-Menu').last().locator('.lm-Menu-item').evaluateAll(items => items
    .filter(item => getComputedStyle(item).display !== 'none')
    .map(item => item.getAttribute('data-type') === 'separator' ? '—' : item.querySelector('.lm-Menu-itemLabel')?.textContent ?? ''));

async function search(page: Page, words: Words, text: string): Promise<void> {
    const query = page.locator('.imageparser-search-query');
    if (!await query.isVisible()) {
        await runCommand(page, words.focusSearch);
    }
    await query.fill(text);
    await query.press('Enter');
}

/** Types a name into the open name dialog and confirms it. */
async function answerNameDialog(page: Page, name: string): Promise<void> {
    const input = dialog(page).locator('.dialogContent input');
    await input.waitFor();
    await input.fill(name);
    await input.press('Enter');
    await dialog(page).waitFor({ state: 'detached' });
}

async function showCollections(page: Page): Promise<void> {
    if (!await page.locator('.imageparser-collections-toolbar').isVisible()) {
        await page.locator('#shell-tab-imageparser-collections').click();
    }
}

/** Makes a collection (of the selected results) or a folder from the Collections view's toolbar. */
async function make(page: Page, command: 'newCollection' | 'newFolder', name: string): Promise<void> {
    await showCollections(page);
    await page.locator(`.imageparser-collections-toolbar [data-command="imageparser.collections.${command}"]`).click();
    await answerNameDialog(page, name);
    await row(page, name).waitFor();
}

/** The three red images' collection, made from a search; answers every image's name (the results with no search). */
async function redCollection(page: Page, words: Words, name: string): Promise<string[]> {
    await search(page, words, '');
    await expect.poll(async () => (await resultNames(page)).length).toBeGreaterThan(3);
    const all = await resultNames(page);
    await search(page, words, 'path:colours red');
    await expect.poll(() => resultNames(page)).toEqual(['red-1-copy.jpg', 'red-1.png', 'red-2.png']);
    await selectResults(page, ['red-2.png', 'red-1.png', 'red-1-copy.jpg']);
    // The toolbar makes an empty collection; the selection dragged onto it fills it.
    await make(page, 'newCollection', name);
    await tile(page, 'red-1.png').dragTo(row(page, name));
    await expect.poll(() => row(page, name).locator('.imageparser-collection-count').innerText()).toBe('3');
    return all;
}

describe('collections, fixed after a second new-user try', () => {
    let app: SearchFixturesApp;

    beforeAll(async () => {
        app = await startSearchFixturesApp();
    }, 120_000);

    afterAll(() => app?.stop());

    for (const words of [ENGLISH, KOREAN]) {
        it(`undoes a deleted collection with Ctrl+Z in the Collections tree (${words.language})`, async () => {
            const page = await openPage(app.browser, app.server.url, { korean: words.language === 'ko' });
            const name = `${words.collection} undo ${words.language}`;
            try {
                await redCollection(page, words, name);
                // Another collection, so that the tree stays when this one is deleted.
                await make(page, 'newCollection', `${name} 2`);
                await row(page, name).click();
                await tree(page).focus();
                await page.keyboard.press('Delete');
                await expect.poll(() => row(page, name).count()).toBe(0);
                await expect.poll(() => notices(page)).toContain(words.deleted(name));
                await tree(page).focus();
                await page.keyboard.press('ControlOrMeta+z');
                await expect.poll(() => row(page, name).count()).toBe(1);
                await expect.poll(() => row(page, name).locator('.imageparser-collection-count').innerText()).toBe('3');
                await saveScreenshot(page, `collections-fixes-ctrl-z-${words.language}`);
            } finally {
                await page.context().close();
            }
        });

        it(`shows all images when the shown collection, or the folder holding it, is deleted; Undo brings it back in the tree (${words.language})`, async () => {
            const page = await openPage(app.browser, app.server.url, { korean: words.language === 'ko' });
            const name = `${words.collection} shown ${words.language}`;
            const folder = `${words.folder} shown ${words.language}`;
            try {
                const all = await redCollection(page, words, name);
                await row(page, name).click();
                await expect.poll(() => scopeTitle(page).innerText()).toBe(words.chip(name));
                await tree(page).focus();
                await page.keyboard.press('Delete');
                await expect.poll(() => row(page, name).count()).toBe(0);
                await expect.poll(() => scopeTitle(page).count()).toBe(0);
                await expect.poll(() => resultNames(page)).toEqual(all);
                await saveScreenshot(page, `collections-fixes-deleted-shown-${words.language}`);
                await runCommand(page, words.language === 'en' ? 'Undo Last Collection Change' : '마지막 컬렉션 변경 실행 취소');
                await expect.poll(() => row(page, name).count()).toBe(1);

                // In a folder: the folder deleted while the collection shows.
                await make(page, 'newFolder', folder);
                await row(page, name).dragTo(row(page, folder));
                await expect.poll(() => row(page, folder).getAttribute('aria-expanded')).toBe('true');
                await row(page, name).click();
                await expect.poll(() => scopeTitle(page).innerText()).toBe(words.chip(name));
                await row(page, folder).click({ button: 'right' });
                await page.locator('.lm-Menu-item', { hasText: words.folderMenu[1] }).click();
                await expect.poll(() => row(page, folder).count()).toBe(0);
                await expect.poll(() => scopeTitle(page).count()).toBe(0);
                await expect.poll(() => resultNames(page)).toEqual(all);
            } finally {
                await page.context().close();
            }
        });

        it(`names a folder's menu entries for a folder, and a collection's for a collection (${words.language})`, async () => {
            const page = await openPage(app.browser, app.server.url, { korean: words.language === 'ko' });
            const name = `${words.collection} menu ${words.language}`;
            const folder = `${words.folder} menu ${words.language}`;
            try {
                await redCollection(page, words, name);
                await make(page, 'newFolder', folder);
                await row(page, folder).click({ button: 'right' });
                await expect.poll(() => menuEntries(page)).toEqual(expect.arrayContaining([...words.folderMenu]));
                const entries = await menuEntries(page);
                for (const wording of words.collectionMenu) {
                    expect(entries).not.toContain(wording);
                }
                await saveScreenshot(page, `collections-fixes-folder-menu-${words.language}`);
                await page.keyboard.press('Escape');
                await expect.poll(() => page.locator('.lm-Menu').count()).toBe(0);

                await row(page, name).click({ button: 'right' });
                await expect.poll(() => menuEntries(page)).toEqual(expect.arrayContaining([...words.collectionMenu]));
                const collectionEntries = await menuEntries(page);
                for (const wording of words.folderMenu) {
                    expect(collectionEntries).not.toContain(wording);
                }
                await page.keyboard.press('Escape');
            } finally {
                await page.context().close();
            }
        });

        it(`"Show all images" leaves a collection and clears the filters that narrowed it (${words.language})`, async () => {
            const page = await openPage(app.browser, app.server.url, { korean: words.language === 'ko' });
            const name = `${words.collection} all ${words.language}`;
            try {
                const all = await redCollection(page, words, name);
                await row(page, name).click();
                await expect.poll(() => resultNames(page)).toEqual(['red-1-copy.jpg', 'red-1.png', 'red-2.png']);
                // The search view's filters narrow the collection shown.
                await runCommand(page, words.focusSearch);
                const jpeg = page.locator('fieldset[data-filter="type"] label', { hasText: 'JPEG' }).locator('input');
                await jpeg.check();
                await expect.poll(() => resultNames(page)).toEqual(['red-1-copy.jpg']);
                await page.locator('.imageparser-results-scope-leave').click();
                await expect.poll(() => scopeTitle(page).count()).toBe(0);
                await expect.poll(() => resultNames(page)).toEqual(all);
                expect(await jpeg.isChecked()).toBe(false);
                await saveScreenshot(page, `collections-fixes-show-all-${words.language}`);
            } finally {
                await page.context().close();
            }
        });

        it(`refuses a file that is not JSON in words of the window's language, without the parser's message or the file's bytes (${words.language})`, async () => {
            const page = await openPage(app.browser, app.server.url, { korean: words.language === 'ko' });
            try {
                // An image saved under a .json name: a PNG's first bytes.
                const file = path.join(app.temp.folder, 'shared', `picture-${words.language}.json`);
                fs.mkdirSync(path.dirname(file), { recursive: true });
                fs.writeFileSync(file, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]));
                await runCommand(page, words.importJson);
                await page.locator('.dialogOverlay .theia-LocationInputToggle').click({ timeout: 30_000 });
                const location = page.locator('.dialogOverlay .theia-LocationTextInput');
                await location.fill(path.dirname(file));
                await location.press('Enter');
                await page.locator('.dialogOverlay .theia-TreeNode', { hasText: path.basename(file) }).click();
                await page.locator('.dialogOverlay .dialogControl .theia-button.main').click();
                await expect.poll(async () => (await notices(page)).some(notice => notice.includes(words.notCollectionsJson))).toBe(true);
                for (const notice of await notices(page)) {
                    expect(notice).not.toMatch(/PNG|Unexpected|\uFFFD|valid JSON/);
                }
                await saveScreenshot(page, `collections-fixes-not-json-${words.language}`);
            } finally {
                await page.context().close();
            }
        });
    }
});
