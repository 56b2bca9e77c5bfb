import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTIONS_JSON_FORMAT, CollectionsJson } from '../../extensions/archive-core/src/common/collections-json';
import { openAppPage, runCommand, saveScreenshot } from './app-page';
import { SearchFixturesApp, startSearchFixturesApp } from './search-fixtures-app';

/** What the test reads and types, in the language of the run. */
interface Words {
    readonly language: 'en' | 'ko';
    readonly focusSearch: string;
    readonly saveSmart: string;
    readonly openSmart: string;
    readonly importJson: string;
    readonly exportJson: string;
    readonly tag: string;
    readonly smartName: string;
    readonly presetName: string;
    readonly manualName: string;
    readonly banner: (name: string) => string;
    readonly images: (count: number) => string;
    readonly savedImages: (count: number) => string;
    readonly unmatched: (count: number) => string;
    readonly allMatched: string;
    readonly notJson: string;
    readonly editSearch: string;
}

const ENGLISH: Words = {
    language: 'en',
    focusSearch: 'Focus Image Search',
    saveSmart: 'Save Search as Smart Collection…',
    openSmart: 'Open Smart Collection…',
    importJson: 'Import Collections from JSON…',
    exportJson: 'Export Collections as JSON…',
    tag: '캐릭터',
    smartName: 'Rated 4+ 캐릭터',
    presetName: 'Good characters',
    manualName: 'Client picks',
    banner: name => `Smart collection: ${name}`,
    images: count => count === 1 ? '1 image' : `${count} images`,
    savedImages: count => count === 1 ? '1 image in the saved search' : `${count} images in the saved search`,
    unmatched: count => count === 1 ? '1 image was not found in this archive (by content or by path):' : `${count} images were not found in this archive (by content or by path):`,
    allMatched: 'Every image of the file was found in this archive.',
    notJson: 'the file is not a collections JSON file',
    editSearch: 'Edit Search'
};

const KOREAN: Words = {
    language: 'ko',
    focusSearch: '이미지 검색으로 이동',
    saveSmart: '검색을 스마트 컬렉션으로 저장…',
    openSmart: '스마트 컬렉션 열기…',
    importJson: 'JSON에서 컬렉션 가져오기…',
    exportJson: '컬렉션을 JSON으로 내보내기…',
    tag: '배경',
    smartName: '별점 4 이상 배경',
    presetName: '좋은 배경',
    manualName: '고객 선택',
    banner: name => `스마트 컬렉션: ${name}`,
    images: count => `이미지 ${count}개`,
    savedImages: count => `저장된 검색의 이미지 ${count}개`,
    unmatched: count => `이미지 ${count}개를 이 아카이브에서 찾지 못했습니다(내용으로도 경로로도):`,
    allMatched: '파일의 모든 이미지를 이 아카이브에서 찾았습니다.',
    notJson: 'JSON 파일이 아닙니다',
    editSearch: '검색 편집'
};

/** Matches exactly this text (names hold regular-expression characters: “Rated 4+”). */
const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/**
 * Smart collections, filter presets and collections JSON in Chromium, in
 * English and in Korean: a search saved as a smart collection follows a
 * rating changed in the viewer; the filters saved as a preset come back with
 * one click; a collections JSON file (written as another archive would share
 * it) is imported with its unmatched image listed, exported again with the
 * smart collection, and imported into a SECOND app whose archive holds the
 * same images at another path, where every member is found by its content.
 */
describe('smart collections, filter presets and collections JSON', () => {
    let a: SearchFixturesApp;
    let b: SearchFixturesApp;

    beforeAll(async () => {
        [a, b] = await Promise.all([startSearchFixturesApp(), startSearchFixturesApp()]);
    }, 240_000);

    afterAll(async () => {
        await a?.stop();
        await b?.stop();
    });

    const result = (page: Page, name: string) => page.locator('.imageparser-search-results .imageparser-result')
        .filter({ has: page.locator('.imageparser-result-name', { hasText: exactly(name) }) });
    const resultNames = async (page: Page) => (await page.locator('.imageparser-search-results .imageparser-result .imageparser-result-name').allInnerTexts()).sort();
    const banner = (page: Page) => page.locator('.imageparser-smart-banner');

    async function search(page: Page, words: Words, text: string): Promise<void> {
        const query = page.locator('.imageparser-search-query');
        if (!await query.isVisible()) {
            await runCommand(page, words.focusSearch);
        }
        await query.fill(text);
        await query.press('Enter');
    }

    /** Opens one result in the viewer, tags it and, when given, rates it with the keyboard. */
    async function tagAndRate(page: Page, words: Words, name: string, tag: string, rating?: number): Promise<void> {
        await search(page, words, `path:${name}`);
        await expect.poll(() => resultNames(page)).toEqual([name]);
        await result(page, name).dblclick();
        await page.locator('.imageparser-viewer-tab[data-panel="annotations"]').click();
        const tagInput = page.locator('.imageparser-viewer-tag-input');
        await tagInput.fill(tag);
        await tagInput.press('Enter');
        await expect.poll(() => page.locator('.imageparser-viewer-tag').allInnerTexts()).toContain(tag);
        if (rating !== undefined) {
            await rate(page, rating);
        }
    }

    async function rate(page: Page, rating: number): Promise<void> {
        await page.locator('.imageparser-viewer-stage').click();
        await page.keyboard.press(String(rating));
        await expect.poll(() => page.locator('.imageparser-viewer-rating-value').innerText()).toContain(String(rating));
    }

    /**
     * The texts of the side bar's buttons that break inside a line (a word
     * split over two rows) or are cut off: each text of a visible button must
     * lie on one row, whole.
     */
    function brokenButtons(page: Page): Promise<string[]> {
        return page.locator('.imageparser-search').evaluate(root => [...root.querySelectorAll<HTMLElement>('button')]
            .filter(button => button.offsetParent !== null && button.innerText.trim())
            .filter(button => {
                const walker = document.createTreeWalker(button, NodeFilter.SHOW_TEXT);
                const range = document.createRange();
                for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                    if (!node.textContent?.trim()) {
                        continue;
                    }
                    range.selectNodeContents(node);
                    const rows = new Set([...range.getClientRects()].map(rect => Math.round(rect.top)));
                    if (rows.size > 1) {
                        return true;
                    }
                }
                return button.scrollWidth > button.clientWidth + 1;
            })
            .map(button => button.innerText.trim()));
    }

    async function clearFilters(page: Page): Promise<void> {
        while (await page.locator('.imageparser-search-chip-clear').count()) {
            await page.locator('.imageparser-search-chip-clear').first().click();
        }
        await expect.poll(() => page.locator('.imageparser-search-chip').count()).toBe(0);
    }

    /** Types a name into the name dialog (the one every collection, smart collection and preset name is asked in) and confirms it. */
    async function answerNameDialog(page: Page, text: string): Promise<void> {
        const input = page.locator('.dialogOverlay .dialogContent input');
        await input.waitFor();
        await input.fill(text);
        await input.press('Enter');
        await page.locator('.dialogOverlay').waitFor({ state: 'detached' });
    }

    /** Goes to `folder` in the open file dialog by typing it, as a user can. */
    async function dialogFolder(page: Page, folder: string): Promise<void> {
        await page.locator('.dialogOverlay .theia-LocationInputToggle').click({ timeout: 30_000 });
        const location = page.locator('.dialogOverlay .theia-LocationTextInput');
        await location.fill(folder);
        await location.press('Enter');
        await expect.poll(() => page.locator('.dialogOverlay .theia-LocationList, .dialogOverlay .theia-LocationTextInput').first().inputValue())
            .toContain(path.basename(folder));
    }

    async function importJson(page: Page, words: Words, file: string): Promise<string> {
        await runCommand(page, words.importJson);
        await dialogFolder(page, path.dirname(file));
        await page.locator('.dialogOverlay .theia-TreeNode', { hasText: path.basename(file) }).click();
        await page.locator('.dialogOverlay .dialogControl .theia-button.main').click();
        const report = page.locator('.imageparser-collections-import-report-body');
        await report.waitFor({ timeout: 30_000 });
        return report.innerText();
    }

    /** Imports a file that is refused: answers the error notification's text. */
    async function refusal(page: Page, words: Words, file: string): Promise<string> {
        await runCommand(page, words.importJson);
        await dialogFolder(page, path.dirname(file));
        await page.locator('.dialogOverlay .theia-TreeNode', { hasText: path.basename(file) }).click();
        await page.locator('.dialogOverlay .dialogControl .theia-button.main').click();
        const message = page.locator('.theia-notification-toasts .theia-notification-list-item', { hasText: file }).locator('.theia-notification-message');
        await message.waitFor({ timeout: 30_000 });
        return message.innerText();
    }

    async function closeDialog(page: Page): Promise<void> {
        await page.locator('.dialogOverlay .dialogControl .theia-button').click();
        await page.locator('.imageparser-collections-import-report-body').waitFor({ state: 'detached' });
    }

    /** A collections JSON file as another archive shares it: a manual collection of two images here and one image that is nowhere here. */
    function sharedFile(app: SearchFixturesApp, words: Words, members: readonly string[]): string {
        const now = new Date().toISOString();
        const json: CollectionsJson = {
            format: COLLECTIONS_JSON_FORMAT,
            version: 1,
            exportedAt: now,
            collections: [{
                uid: crypto.randomUUID(),
                kind: 'manual',
                name: words.manualName,
                position: 1,
                members: [
                    ...members.map(member => ({ contentHash: sha256(path.join(app.temp.folder, 'art', member)), paths: [`/studio/other-machine/art/${member}`] })),
                    { contentHash: 'f'.repeat(64), paths: [`/studio/other-machine/art/lost-${words.language}.png`] }
                ],
                createdAt: now,
                updatedAt: now
            }],
            presets: []
        };
        const file = path.join(app.temp.folder, 'shared', `shared-${words.language}.json`);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, JSON.stringify(json, undefined, 2));
        return file;
    }

    for (const words of [ENGLISH, KOREAN]) {
        const [tagged, rated, later] = words.language === 'en'
            ? ['colours/red-1.png', 'colours/red-2.png', 'colours/red-1-copy.jpg']
            : ['scenes/forest.psd', 'scenes/city.psd', 'colours/blue.png'];
        const name = (file: string) => path.basename(file);

        it(`saves a search as a smart collection that follows a rating, applies a filter preset, and moves collections as JSON to a second app (${words.language})`, async () => {
            const page = await openAppPage(a.browser, a.server.url, { korean: words.language === 'ko' });
            try {
                // Three images get the tag; one of them is rated 4.
                await tagAndRate(page, words, name(tagged), words.tag, 4);
                await tagAndRate(page, words, name(rated), words.tag);
                await tagAndRate(page, words, name(later), words.tag);

                // The search: rating at least 4 and the tag.
                await search(page, words, '');
                await page.locator('fieldset[data-filter="rating"] select').selectOption('4');
                const tagsBox = page.locator('fieldset[data-filter="tags"] input');
                await tagsBox.fill(words.tag);
                await tagsBox.press('Enter');
                await expect.poll(() => resultNames(page)).toEqual([name(tagged)]);

                // Saved as a smart collection: the banner names it with its one member.
                await page.locator('.imageparser-smart-save').click();
                await answerNameDialog(page, words.smartName);
                await expect.poll(() => banner(page).locator('.imageparser-smart-banner-name').innerText()).toBe(words.banner(words.smartName));
                await expect.poll(() => banner(page).locator('.imageparser-smart-banner-count').innerText(), { timeout: 30_000 }).toBe(words.images(1));
                // The results name it too, above the grid and in their tab.
                const scope = page.locator('.imageparser-search-results .imageparser-results-scope');
                await expect.poll(() => scope.locator('.imageparser-results-scope-title').innerText()).toBe(words.banner(words.smartName));
                expect(await scope.locator('.imageparser-results-scope-count').innerText()).toBe(words.images(1));
                await expect.poll(() => page.locator('#shell-tab-imageparser-search-results .lm-TabBar-tabLabel').innerText()).toBe(words.banner(words.smartName));
                await saveScreenshot(page, `smart-collection-saved-${words.language}`);

                // The same filters as a preset.
                await page.locator('.imageparser-presets-save').click();
                await answerNameDialog(page, words.presetName);
                const preset = page.locator('.imageparser-preset', { hasText: words.presetName });
                await expect.poll(() => preset.locator('.imageparser-preset-apply').getAttribute('aria-pressed')).toBe('true');

                // A rating set in the viewer: the smart collection gains the image, its results too.
                await clearFilters(page);
                await search(page, words, `path:${name(rated)}`);
                await expect.poll(() => resultNames(page)).toEqual([name(rated)]);
                // The search left the saved one: the banner offers to update it.
                await expect.poll(() => banner(page).getAttribute('data-edited')).toBe('true');
                // Its Update and Save as New…, and Save as Preset…, each on one row at the side bar's default width.
                await banner(page).locator('.imageparser-smart-update').waitFor();
                expect(await brokenButtons(page)).toEqual([]);
                await saveScreenshot(page, `smart-collection-edited-buttons-${words.language}`);
                await result(page, name(rated)).dblclick();
                await rate(page, 5);
                // While the search is edited, the banner's count says it is the saved search's (the results show the edit: 1 result here).
                await expect.poll(() => banner(page).locator('.imageparser-smart-banner-count').innerText(), { timeout: 30_000 }).toBe(words.savedImages(2));

                // Opened again, its search shows both images.
                await runCommand(page, words.openSmart);
                await page.locator('.quick-input-list .monaco-list-row', { hasText: words.smartName }).click();
                await expect.poll(() => resultNames(page), { timeout: 30_000 }).toEqual([name(rated), name(tagged)].sort());
                await expect.poll(() => banner(page).getAttribute('data-edited')).toBe('false');
                expect(await page.locator('.imageparser-search-chip').count()).toBe(2);

                // Preset: cleared filters come back with one click.
                await clearFilters(page);
                await expect.poll(async () => (await resultNames(page)).length).toBe(10);
                await expect.poll(() => preset.locator('.imageparser-preset-apply').getAttribute('aria-pressed')).toBe('false');
                await preset.locator('.imageparser-preset-apply').click();
                await expect.poll(() => resultNames(page)).toEqual([name(rated), name(tagged)].sort());
                expect(await page.locator('.imageparser-search-chip').count()).toBe(2);
                await saveScreenshot(page, `filter-preset-applied-${words.language}`);

                // Edited and updated: at least 5 stars keeps only the image rated 5.
                await page.locator('fieldset[data-filter="rating"] select').selectOption('5');
                await expect.poll(() => resultNames(page)).toEqual([name(rated)]);
                await banner(page).locator('.imageparser-smart-update').click();
                await expect.poll(() => banner(page).getAttribute('data-edited')).toBe('false');
                await expect.poll(() => banner(page).locator('.imageparser-smart-banner-count').innerText(), { timeout: 30_000 }).toBe(words.images(1));

                // A shared collections JSON file: two images found here by content, the third listed as not found.
                const shared = sharedFile(a, words, [tagged, later]);
                const report = await importJson(page, words, shared);
                expect(report).toContain(words.unmatched(1));
                expect(await page.locator('.imageparser-collections-import-missing').allInnerTexts())
                    .toEqual([expect.stringContaining(`/studio/other-machine/art/lost-${words.language}.png`)]);
                expect(await page.locator('.imageparser-collections-import-missing td').first().innerText()).toBe(words.manualName);
                await saveScreenshot(page, `collections-json-import-report-${words.language}`);
                await closeDialog(page);

                // A file that is not JSON, and one of a newer version: each refused with a message naming the file.
                const notJson = path.join(a.temp.folder, 'shared', `notes-${words.language}.json`);
                fs.writeFileSync(notJson, 'collections: 고객 선택');
                expect(await refusal(page, words, notJson)).toContain(words.notJson);
                const newer = path.join(a.temp.folder, 'shared', `newer-${words.language}.json`);
                fs.writeFileSync(newer, JSON.stringify({ ...JSON.parse(fs.readFileSync(shared, 'utf8')), version: 99 }));
                expect(await refusal(page, words, newer)).toContain('99');

                // Exported again (every collection and the presets, as the quick pick picks them at first) into a file of the archive's machine.
                const exported = path.join(a.temp.folder, 'shared', `exported-${words.language}.json`);
                await runCommand(page, words.exportJson);
                await page.locator('.quick-input-list .monaco-list-row').first().waitFor();
                await page.locator('.quick-input-widget input').press('Enter');
                await dialogFolder(page, path.dirname(exported));
                await page.locator('.dialogOverlay .theia-FileNameTextField').fill(path.basename(exported));
                await page.locator('.dialogOverlay .dialogControl .theia-button.main').click();
                await expect.poll(() => fs.existsSync(exported), { timeout: 30_000 }).toBe(true);
                const json = JSON.parse(fs.readFileSync(exported, 'utf8')) as CollectionsJson;
                const manual = json.collections.find(collection => collection.name === words.manualName);
                expect(manual?.members?.map(member => member.contentHash)).toEqual([tagged, later].map(member => sha256(path.join(a.temp.folder, 'art', member))));
                const smart = json.collections.find(collection => collection.name === words.smartName);
                expect(smart?.query?.filters).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'rating', min: 5 })]));
                expect(json.presets.map(each => each.name)).toContain(words.presetName);
            } finally {
                await page.context().close();
            }

            // The second app: the same images at another path. Every member is found by its content.
            const exported = path.join(a.temp.folder, 'shared', `exported-${words.language}.json`);
            const copy = path.join(b.temp.folder, 'shared', path.basename(exported));
            fs.mkdirSync(path.dirname(copy), { recursive: true });
            fs.copyFileSync(exported, copy);
            const second = await openAppPage(b.browser, b.server.url, { korean: words.language === 'ko' });
            try {
                const report = await importJson(second, words, copy);
                expect(report).toContain(words.allMatched);
                expect(await second.locator('.imageparser-collections-import-counts li[data-count="membersAdded"]').innerText())
                    .toBe(words.language === 'en' ? '2 images added to collections' : '이미지 2개를 컬렉션에 추가함');
                await saveScreenshot(second, `collections-json-second-app-${words.language}`);
                await closeDialog(second);

                // The Collections view lists what arrived: the manual collection opens with its two images in their order.
                await second.locator('#shell-tab-imageparser-collections').click();
                const row = (title: string) => second.locator('.imageparser-collection-row')
                    .filter({ has: second.locator('.imageparser-collection-name', { hasText: exactly(title) }) });
                await row(words.manualName).click();
                await expect.poll(() => second.locator('.imageparser-search-results .imageparser-result .imageparser-result-name').allInnerTexts(), { timeout: 30_000 })
                    .toEqual([name(tagged), name(later)]);
                await saveScreenshot(second, `collections-json-second-app-opened-${words.language}`);

                // Its smart collection opens from the view with the saved search, and the preset is listed.
                await row(words.smartName).click();
                await runCommand(second, words.focusSearch);
                await expect.poll(() => banner(second).locator('.imageparser-smart-banner-name').innerText()).toBe(words.banner(words.smartName));
                await expect.poll(() => second.locator('.imageparser-search-chip').count()).toBe(2);
                await expect.poll(() => second.locator('.imageparser-preset-apply').allInnerTexts()).toContain(words.presetName);

                // In the tree a smart collection has its own mark (a manual one has none), and its menu edits its search.
                expect(await row(words.smartName).locator('.imageparser-collection-smart-mark').count()).toBe(1);
                expect(await row(words.manualName).locator('.imageparser-collection-smart-mark').count()).toBe(0);
                await second.locator('#shell-tab-imageparser-collections').click();
                await row(words.manualName).click();
                await expect.poll(() => banner(second).count()).toBe(0);
                await row(words.smartName).click({ button: 'right' });
                await second.locator('.lm-Menu-item', { hasText: words.editSearch }).click();
                await expect.poll(() => banner(second).locator('.imageparser-smart-banner-name').innerText()).toBe(words.banner(words.smartName));
                await expect.poll(() => second.locator('.imageparser-search-query').isVisible()).toBe(true);
                await saveScreenshot(second, `smart-collection-edit-search-${words.language}`);
            } finally {
                await second.context().close();
            }
        }, 240_000);
    }
});
