import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand, saveScreenshot, selectResults, startInKorean } from './app-page';
import { SearchFixturesApp, startSearchFixturesApp } from './search-fixtures-app';

/** The words a run looks for, in the window's language. */
interface Words {
    readonly language: 'en' | 'ko';
    readonly collection: string;
    readonly chip: string;
    readonly undo: string;
    readonly setCover: string;
    readonly position: (index: number, total: number) => string;
    readonly images: (count: number) => string;
    readonly matching: (count: number, words: string) => string;
    readonly showAll: string;
    readonly resultsTab: string;
}

const ENGLISH: Words = {
    language: 'en', collection: 'Red picks', chip: 'Collection: Red picks', undo: 'Undo', setCover: 'Set as Cover', position: (index, total) => `${index} of ${total}`,
    images: count => count === 1 ? '1 image' : `${count} images`, matching: (count, text) => `${count === 1 ? '1 image' : `${count} images`} matching “${text}”`,
    showAll: 'Show all images', resultsTab: 'Search Results'
};
const KOREAN: Words = {
    language: 'ko', collection: '빨강 모음 캐릭터', chip: '컬렉션: 빨강 모음 캐릭터', undo: '실행 취소', setCover: '표지로 설정', position: (index, total) => `${total}개 중 ${index}번째`,
    images: count => `이미지 ${count}개`, matching: (count, text) => `“${text}”과(와) 일치하는 이미지 ${count}개`,
    showAll: '모든 이미지 보기', resultsTab: '검색 결과'
};

/** A page of the app in a fresh browser context, once the welcome page shows; in Korean when asked. */
async function openPage(browser: Browser, url: string, korean: boolean): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    if (korean) {
        await startInKorean(context);
    }
    const page = await context.newPage();
    await page.goto(url);
    await page.locator('.imageparser-welcome-table').waitFor({ timeout: 90_000 });
    return page;
}

const resultNames = (page: Page) => page.locator('.imageparser-search-results .imageparser-result .imageparser-result-name').allInnerTexts();
const tile = (page: Page, name: string) => page.locator('.imageparser-search-results .imageparser-result')
    .filter({ has: page.locator('.imageparser-result-name', { hasText: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) });
const row = (page: Page, name: string) => page.locator('.imageparser-collection-row').filter({ has: page.locator('.imageparser-collection-name', { hasText: new RegExp(`^${name}$`) }) });
const count = (row: Locator) => row.locator('.imageparser-collection-count').innerText();
/** The results' bar that names the collection they show, and the results editor's tab. */
const scope = (page: Page) => page.locator('.imageparser-search-results .imageparser-results-scope');
const resultsTabLabel = (page: Page) => page.locator('#shell-tab-imageparser-search-results .lm-TabBar-tabLabel').innerText();

/** The palette's entries for `text`, as it lists them (the palette is closed again). */
async function paletteEntries(page: Page, text: string): Promise<string[]> {
    const input = page.locator('.quick-input-widget input');
    for (let attempt = 0; !await input.isVisible() && attempt < 30; attempt++) {
        const bar = (await page.locator('#theia-statusBar').boundingBox())!;
        await page.mouse.click(bar.x + bar.width / 2, bar.y + bar.height / 2);
        await page.keyboard.press('F1');
        await input.waitFor({ timeout: 2000 }).catch(() => undefined);
    }
    await input.fill(`>${text}`);
    await page.locator('.quick-input-list .monaco-list-row').first().waitFor();
    const entries = await page.locator('.quick-input-list .monaco-list-row .label-name').allInnerTexts();
    await input.press('Escape');
    return entries;
}

/** Types a name into the open name dialog and confirms it. */
async function answerNameDialog(page: Page, name: string): Promise<void> {
    const input = page.locator('.dialogOverlay .dialogContent input');
    await input.waitFor();
    await input.fill(name);
    await input.press('Enter');
    await page.locator('.dialogOverlay').waitFor({ state: 'detached' });
}

/** Clicks the Undo button of the newest notification that says `message`. */
async function undoFrom(page: Page, words: Words, message: RegExp): Promise<void> {
    const notice = page.locator('.theia-notification-toasts .theia-notification-list-item').filter({ hasText: message }).last();
    await notice.locator('.theia-notification-buttons button', { hasText: words.undo }).click();
}

/** Drags `source` onto `target` (at `position` in it) with the mouse, in steps as a hand moves. */
async function dragWithSteps(page: Page, source: Locator, target: Locator, position: { x: number; y: number }): Promise<void> {
    const from = (await source.boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    const to = (await target.boundingBox())!;
    await page.mouse.move(to.x + position.x, to.y + position.y, { steps: 8 });
    await page.mouse.up();
}

describe('collections in the browser', () => {
    let app: SearchFixturesApp;

    beforeAll(async () => {
        app = await startSearchFixturesApp();
    }, 120_000);

    afterAll(() => app?.stop());

    for (const words of [ENGLISH, KOREAN]) {
        it(`makes a collection by dragging a selection, reorders it by dragging, removes one and undoes, opens it and steps through it in the viewer (${words.language})`, async () => {
            const page = await openPage(app.browser, app.server.url, words.language === 'ko');
            try {
                await page.locator('.imageparser-welcome').click();
                await page.keyboard.press('Control+k');
                const query = page.locator('.imageparser-search-query');
                await query.fill('path:colours red');
                await query.press('Enter');
                await expect.poll(async () => (await resultNames(page)).sort()).toEqual(['red-1-copy.jpg', 'red-1.png', 'red-2.png']);
                await selectResults(page, ['red-2.png', 'red-1.png', 'red-1-copy.jpg']);

                // The Collections view beside Image Search; a new, empty collection from its toolbar.
                await page.locator('#shell-tab-imageparser-collections').click();
                await page.locator('.imageparser-collections-toolbar [data-command="imageparser.collections.newCollection"]').click();
                await answerNameDialog(page, words.collection);
                const collection = row(page, words.collection);
                await expect.poll(() => count(collection)).toBe('0');

                // Drag the selection (three results) onto it.
                await tile(page, 'red-1.png').dragTo(collection);
                await expect.poll(() => count(collection)).toBe('3');
                await expect.poll(() => collection.locator('img.imageparser-collection-cover').count()).toBe(1);

                // Opening it shows its members in the order they were added, under a "Collection: …" chip.
                await collection.click();
                await expect.poll(() => resultNames(page)).toEqual(['red-2.png', 'red-1.png', 'red-1-copy.jpg']);
                await expect.poll(() => page.locator('.imageparser-search-chip[data-filter="collection"]').textContent()).toBe(words.chip);
                expect(await collection.getAttribute('class')).toContain('shown');

                // Reorder: red-1-copy.jpg dragged onto the left half of the first result goes first.
                await tile(page, 'red-1-copy.jpg').click();
                await dragWithSteps(page, tile(page, 'red-1-copy.jpg'), tile(page, 'red-2.png'), { x: 8, y: 60 });
                await expect.poll(() => resultNames(page)).toEqual(['red-1-copy.jpg', 'red-2.png', 'red-1.png']);
                await saveScreenshot(page, `collections-reordered-${words.language}`);

                // The results say which collection they show and how many images, above the grid and in their tab.
                await expect.poll(() => scope(page).locator('.imageparser-results-scope-title').innerText()).toBe(words.chip);
                expect(await scope(page).locator('.imageparser-results-scope-count').innerText()).toBe(words.images(3));
                await expect.poll(() => resultsTabLabel(page)).toBe(words.chip);
                await saveScreenshot(page, `collections-results-scope-${words.language}`);

                // Remove one with the Delete key, then undo: it comes back where it was.
                await tile(page, 'red-2.png').click();
                await page.keyboard.press('Delete');
                await expect.poll(() => resultNames(page)).toEqual(['red-1-copy.jpg', 'red-1.png']);
                await expect.poll(() => count(collection)).toBe('2');
                await undoFrom(page, words, new RegExp(words.collection));
                await expect.poll(() => resultNames(page)).toEqual(['red-1-copy.jpg', 'red-2.png', 'red-1.png']);
                await expect.poll(() => count(collection)).toBe('3');

                // "Set as Cover" from the results' context menu: the view shows that image for the collection.
                const coverId = await tile(page, 'red-1.png').getAttribute('data-asset-id');
                await tile(page, 'red-1.png').click({ button: 'right' });
                await page.locator('.lm-Menu-item', { hasText: words.setCover }).click();
                await expect.poll(() => collection.locator('img.imageparser-collection-cover').getAttribute('src')).toMatch(new RegExp(`/thumbnail/${coverId}$`));

                // The viewer steps through the collection in its order.
                await tile(page, 'red-1-copy.jpg').dblclick();
                const currentTab = () => page.locator('.lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel').allInnerTexts();
                await expect.poll(currentTab).toContain('red-1-copy.jpg');
                const position = page.locator('.imageparser-viewer-position');
                await expect.poll(() => position.innerText()).toBe(words.position(1, 3));
                const stage = page.locator('.imageparser-viewer-stage');
                await stage.click();
                await page.keyboard.press('ArrowRight');
                await expect.poll(currentTab).toContain('red-2.png');
                await expect.poll(() => position.innerText()).toBe(words.position(2, 3));
                await page.keyboard.press('ArrowRight');
                await expect.poll(currentTab).toContain('red-1.png');
                await expect.poll(() => position.innerText()).toBe(words.position(3, 3));
                await saveScreenshot(page, `collections-viewer-${words.language}`);

                // Words typed in the search box search inside the collection, and the bar above the results says so.
                await page.keyboard.press('Control+k');
                await query.fill('path:colours');
                await query.press('Enter');
                await expect.poll(() => scope(page).locator('.imageparser-results-scope-count').innerText()).toBe(words.matching(3, 'path:colours'));
                expect((await resultNames(page)).sort()).toEqual(['red-1-copy.jpg', 'red-1.png', 'red-2.png']);
                expect(await scope(page).locator('.imageparser-results-scope-title').innerText()).toBe(words.chip);
                await saveScreenshot(page, `collections-results-scope-search-${words.language}`);

                // One click leaves the collection: the words search every image, the collection's order goes, the tab is "Search Results" again.
                await scope(page).locator('.imageparser-results-scope-leave', { hasText: words.showAll }).click();
                await expect.poll(async () => (await resultNames(page)).length).toBeGreaterThan(3);
                expect(await scope(page).count()).toBe(0);
                expect(await page.locator('.imageparser-search-chip[data-filter="collection"]').count()).toBe(0);
                await expect.poll(() => resultsTabLabel(page)).toBe(words.resultsTab);
                expect(await page.locator('select.imageparser-search-sort').inputValue()).toBe('relevance');
            } finally {
                await page.context().close();
            }
        });
    }

    it('nests a collection in a folder by dragging, renames with F2, deletes with the Delete key and undoes, and filters a search by the collection', async () => {
        const page = await openPage(app.browser, app.server.url, false);
        try {
            await page.locator('.imageparser-welcome').click();
            await page.keyboard.press('Control+k');
            const query = page.locator('.imageparser-search-query');
            await query.fill('yellow');
            await query.press('Enter');
            await expect.poll(async () => (await resultNames(page)).length).toBe(3);
            await selectResults(page, ['portrait yellow.png', 'square yellow.png']);

            // Results dropped below the collections make a new collection of them.
            await page.locator('#shell-tab-imageparser-collections').click();
            const below = page.locator('.imageparser-collections-tree, .imageparser-collections-empty').first();
            const belowBox = (await below.boundingBox())!;
            await dragWithSteps(page, tile(page, 'square yellow.png'), below, { x: 40, y: belowBox.height - 10 });
            // The name dialog says how many images go in, asks for nothing wrong before anything is typed, and has Cancel.
            const dialog = page.locator('.dialogOverlay');
            await dialog.locator('.dialogContent input').waitFor();
            expect(await dialog.locator('.imageparser-collection-name-detail').innerText()).toBe('2 images go into the new collection.');
            expect(await dialog.locator('.dialogControl .error, .dialogContent .error').first().innerText()).toBe('');
            expect(await dialog.locator('.dialogControl .theia-button').allInnerTexts()).toEqual(['Cancel', 'OK']);
            await saveScreenshot(page, 'collections-name-dialog-en');
            await dialog.locator('.dialogControl .theia-button.main').click();
            await expect.poll(() => dialog.locator('.dialogControl .error, .dialogContent .error').first().innerText()).toBe('Type a name.');
            await answerNameDialog(page, 'Yellows');
            await expect.poll(() => count(row(page, 'Yellows'))).toBe('2');

            // Cancel makes nothing.
            const rowsBefore = await page.locator('.imageparser-collection-row').count();
            await runCommand(page, 'New Collection Folder…');
            await page.locator('.dialogOverlay .dialogControl .theia-button', { hasText: 'Cancel' }).click();
            await page.locator('.dialogOverlay').waitFor({ state: 'detached' });
            expect(await page.locator('.imageparser-collection-row').count()).toBe(rowsBefore);

            await runCommand(page, 'New Collection Folder…');
            await answerNameDialog(page, 'Studio 폴더');
            const folder = row(page, 'Studio 폴더');
            await folder.waitFor();
            await row(page, 'Yellows').dragTo(folder);
            await expect.poll(() => row(page, 'Yellows').getAttribute('aria-level')).toBe('2');
            expect(await folder.getAttribute('aria-expanded')).toBe('true');

            // Keyboard: focus the collection, F2 renames it, Delete deletes it, the palette's Undo brings it back.
            await row(page, 'Yellows').click();
            await page.locator('.imageparser-collections-tree').focus();
            await page.keyboard.press('F2');
            await answerNameDialog(page, '노랑 Yellows');
            const renamed = row(page, '노랑 Yellows');
            await renamed.waitFor();
            await expect.poll(() => renamed.getAttribute('aria-selected')).toBe('true');
            await page.locator('.imageparser-collections-tree').focus();
            await page.keyboard.press('Delete');
            await expect.poll(() => renamed.count()).toBe(0);
            await runCommand(page, 'Undo Last Collection Change');
            await expect.poll(() => count(renamed)).toBe('2');
            await expect.poll(() => renamed.getAttribute('aria-level')).toBe('2');
            // The folder tells how many collections it holds.
            expect(await folder.locator('.imageparser-collection-folder-count').innerText()).toBe('1');
            // Deleting the collection shown showed all images; a click shows it again.
            await renamed.click();

            // The collection filter in the search panel: the collection clicked above is its choice, words search within it;
            // "Any collection" searches everything again, and choosing the collection limits any search to it.
            await page.keyboard.press('Control+k');
            await query.fill('yellow');
            await query.press('Enter');
            const filter = page.locator('.imageparser-search-filter[data-filter="collection"] select');
            await expect.poll(async () => (await resultNames(page)).sort()).toEqual(['portrait yellow.png', 'square yellow.png']);
            expect(await filter.locator('option:checked').innerText()).toBe('Studio 폴더 / 노랑 Yellows');
            await filter.selectOption({ label: 'Any collection' });
            await expect.poll(async () => (await resultNames(page)).length).toBe(3);
            expect(await page.locator('.imageparser-search-chip[data-filter="collection"]').count()).toBe(0);

            // "Add to Collection ▸" in the results' context menu lists the collections by path.
            await tile(page, 'landscape yellow.png').click({ button: 'right' });
            await page.locator('.lm-Menu-item', { hasText: /^Add to Collection$/ }).hover();
            await page.locator('.lm-Menu-item', { hasText: 'Studio 폴더 / 노랑 Yellows' }).click();
            await expect.poll(() => count(renamed)).toBe('3');

            // The menu has one way to add (no "Add to Collection…" beside the submenu), and the submenu ends with "New Collection…".
            await tile(page, 'landscape yellow.png').click({ button: 'right' });
            const resultsMenu = page.locator('.lm-Menu').first();
            await resultsMenu.waitFor();
            expect(await resultsMenu.locator('.lm-Menu-itemLabel').allInnerTexts()).not.toContain('Add to Collection…');
            expect(await resultsMenu.locator('.lm-Menu-itemLabel').allInnerTexts()).not.toContain('Add to New Collection…');
            await page.locator('.lm-Menu-item', { hasText: /^Add to Collection$/ }).hover();
            await expect.poll(async () => (await page.locator('.lm-Menu').last().locator('.lm-Menu-itemLabel').allInnerTexts()).at(-1)).toBe('New Collection…');
            await page.keyboard.press('Escape');
            await page.keyboard.press('Escape');

            // The palette offers one way to save a search as a smart collection.
            expect((await paletteEntries(page, 'Smart Collection')).filter(entry => entry.includes('Save Search'))).toEqual(['ImageParser: Save Search as Smart Collection…']);

            // "Add to Collection…" in the palette asks which in a quick pick, a new collection among them.
            await tile(page, 'landscape yellow.png').click();
            await runCommand(page, 'Add to Collection…');
            const pick = page.locator('.quick-input-widget input');
            await pick.fill('New');
            await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Add to New Collection…' }).first().waitFor();
            await pick.press('Enter');
            await answerNameDialog(page, 'Landscapes');
            await expect.poll(() => count(row(page, 'Landscapes'))).toBe('1');
            // A collection's context menu: open, rename, delete, and export as an archive (the transfer commands' entry).
            await row(page, 'Landscapes').click({ button: 'right' });
            await expect.poll(() => page.locator('.lm-Menu-item .lm-Menu-itemLabel').allInnerTexts()).toEqual(expect.arrayContaining(
                ['Open Collection', 'Rename Collection…', 'Delete Collection', 'Export Collection as Archive…', 'New Collection…', 'New Collection Folder…']));
            // Grouped by separators (open; rename and delete; export; new), with the keys beside the entries, the row outlined while it shows.
            const menu = page.locator('.lm-Menu').last();
            const entries = await menu.locator('.lm-Menu-item').evaluateAll(items => items.filter(item => getComputedStyle(item).display !== 'none')
                .map(item => item.getAttribute('data-type') === 'separator' ? '—' : item.querySelector('.lm-Menu-itemLabel')?.textContent ?? ''));
            expect(entries.join('|')).toContain(
                'Open Collection|—|Rename Collection…|Delete Collection|—|Export Collection as Archive…|Export as JSON…|—|New Collection…|New Collection Folder…');
            expect(await menu.locator('.lm-Menu-item', { hasText: 'Rename Collection…' }).locator('.lm-Menu-itemShortcut').innerText()).toBe('F2');
            expect(await menu.locator('.lm-Menu-item', { hasText: 'Delete Collection' }).locator('.lm-Menu-itemShortcut').innerText()).toBe('Del');
            expect(await menu.locator('.lm-Menu-item', { hasText: 'Edit Search' }).count()).toBe(0);
            expect(await row(page, 'Landscapes').getAttribute('class')).toContain('context-menu-open');
            await saveScreenshot(page, 'collections-context-menu-en');
            // Closed by a click elsewhere (the status bar): the row is no longer outlined.
            const bar = (await page.locator('#theia-statusBar').boundingBox())!;
            await page.mouse.click(bar.x + bar.width / 2, bar.y + bar.height / 2);
            await expect.poll(() => page.locator('.lm-Menu').count()).toBe(0);
            await expect.poll(() => row(page, 'Landscapes').getAttribute('class')).not.toContain('context-menu-open');
            // Shift+F10 opens the focused row's menu from the keyboard.
            await page.locator('.imageparser-collections-tree').focus();
            await page.keyboard.press('Shift+F10');
            await expect.poll(() => page.locator('.lm-Menu .lm-Menu-itemLabel').allInnerTexts()).toContain('Open Collection');
            await page.keyboard.press('Escape');
            // The new collection showed in the Collections view; back to Image Search.
            await page.keyboard.press('Control+k');
            await filter.selectOption({ label: 'Studio 폴더 / 노랑 Yellows' });
            await expect.poll(async () => (await resultNames(page)).sort()).toEqual(['landscape yellow.png', 'portrait yellow.png', 'square yellow.png']);
            expect(await page.locator('.imageparser-search-chip[data-filter="collection"]').innerText()).toBe('Collection: 노랑 Yellows');
            await saveScreenshot(page, 'collections-filter-en');

            // The open folder is still open after a reload.
            expect(await folder.getAttribute('aria-expanded')).toBe('true');
            await page.reload();
            await page.locator('.imageparser-welcome-table').waitFor({ timeout: 90_000 });
            await page.locator('#shell-tab-imageparser-collections').click();
            await expect.poll(() => folder.getAttribute('aria-expanded')).toBe('true');
            await expect.poll(() => renamed.count()).toBe(1);
        } finally {
            await page.context().close();
        }
    });
});
