import BetterSqlite3 = require('better-sqlite3');
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSharedSearchFixturesApp, SearchFixturesApp } from './search-fixtures-app';

const root = path.resolve(__dirname, '../..');
const screenshots = path.join(root, '.test-results');

/**
 * Words that stay in Latin letters in Korean mode (locales/GLOSSARY.md):
 * names, file formats, colour models, units and key names.
 */
const LATIN_WORDS = new Set([
    'ImageParser', 'SQLite', 'sqlite-vec', 'PSD', 'PSB', 'PNG', 'JPG', 'JPEG', 'RGB', 'CMYK', 'sRGB', 'Lab', 'DPI', 'EXIF', 'ICC',
    'AND', 'OR', 'OCR', 'AI', 'Tesseract', 'tesseract-ocr-kor', 'tesseract-ocr-eng', 'px', 'ms', 'KB', 'MB', 'GB', 'KiB', 'MiB', 'GiB', 'Ctrl', 'Alt', 'Shift', 'Enter', 'Esc', 'Tab', 'Space', 'Backspace', 'Delete',
    // The query prefixes are syntax, typed as they are.
    'tag', 'layer', 'text', 'ocr', 'path', 'ext'
]);

/** The English words left in a text once the allowed words and the given user data (file names, paths) are taken out. */
function englishWords(text: string, userData: readonly string[] = []): string[] {
    let rest = text;
    for (const value of [...userData].sort((a, b) => b.length - a.length)) {
        rest = rest.split(value).join(' ');
    }
    // Paths (~/.imageparser, /tmp/…, and the locations results show: art/characters/hero.psd) are file names too.
    rest = rest.replace(/(^|[\s(])[^\s()]*\/[^\s)]*/g, ' ');
    // Environment variables (IMAGEPARSER_HOME) are names typed as they are.
    return [...new Set((rest.match(/[A-Za-z][A-Za-z_-]*[A-Za-z]/g) ?? []).filter(word => !LATIN_WORDS.has(word) && !/^[A-Z]+_[A-Z_]+$/.test(word)))];
}

interface TextOptions {
    /** Parts that are the user's own data (file names, layer names, paths) or setting ids. */
    readonly skip?: readonly string[];
    /** Also the placeholders, tooltips and labels of the controls. */
    readonly attributes?: boolean;
    /** Only what is on screen now; otherwise also what is folded away or scrolled out (select options included). */
    readonly onScreen?: boolean;
}

/** What the elements under `selector` say, one text node a line. */
function uiText(page: Page, selector: string, options: TextOptions = {}): Promise<string> {
    return page.evaluate(([rootSelector, skip, attributes, onScreen]) => {
        const skipped = (element: Element | null) => !!element && skip.some(userData => element.closest(userData));
        const shown = (element: Element | null) => {
            if (!element || !element.checkVisibility()) {
                return false;
            }
            const box = element.getBoundingClientRect();
            return box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0 && box.top < window.innerHeight && box.left < window.innerWidth;
        };
        const parts: string[] = [];
        for (const root of Array.from(document.querySelectorAll(rootSelector))) {
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                if (!skipped(node.parentElement) && (!onScreen || shown(node.parentElement))) {
                    parts.push(node.textContent ?? '');
                }
            }
            if (attributes) {
                root.querySelectorAll('[placeholder], [title], [aria-label]').forEach(element => {
                    if (!skipped(element) && (!onScreen || shown(element))) {
                        parts.push(...['placeholder', 'title', 'aria-label'].map(name => element.getAttribute(name) ?? ''));
                    }
                });
            }
        }
        return parts.join('\n');
    }, [selector, options.skip ?? [], options.attributes ?? true, options.onScreen ?? false] as const);
}

/** The visible text of every menu of the menu bar, one level of submenus included. */
async function menuBarText(page: Page): Promise<string> {
    const parts: string[] = [];
    const items = page.locator('#theia-top-panel .lm-MenuBar-item');
    for (let index = 0; index < await items.count(); index++) {
        parts.push(await items.nth(index).innerText());
        await items.nth(index).click();
        const menu = page.locator('.lm-Menu').last();
        await menu.waitFor();
        parts.push(await menu.innerText());
        const submenus = menu.locator('.lm-Menu-item[data-type="submenu"]');
        for (let sub = 0; sub < await submenus.count(); sub++) {
            await submenus.nth(sub).hover();
            await expect.poll(() => page.locator('.lm-Menu').count()).toBe(2);
            parts.push(await page.locator('.lm-Menu').last().innerText());
        }
        await page.keyboard.press('Escape');
        await page.keyboard.press('Escape');
        await expect.poll(() => page.locator('.lm-Menu').count()).toBe(0);
    }
    return parts.join('\n');
}

describe('the first hour of an artist', () => {
    let app: SearchFixturesApp;

    beforeAll(async () => {
        app = await openSharedSearchFixturesApp();
        fs.mkdirSync(screenshots, { recursive: true });
    }, 120_000);

    afterAll(() => app?.stop());

    it('opens a fresh browser profile on the image browser without a key press: Image Search, the whole archive newest first, the welcome page beside it', async () => {
        const context = await app.browser.newContext({ viewport: { width: 1400, height: 900 } });
        const failedRequests: string[] = [];
        try {
            const page = await context.newPage();
            page.on('response', response => {
                if (response.status() >= 400) {
                    failedRequests.push(`${response.status()} ${response.url()}`);
                }
            });
            await page.goto(app.server.url);

            // Image Search is open in the left side bar, the results editor in the main area.
            const searchView = page.locator('#theia-left-content-panel .imageparser-search');
            await searchView.waitFor({ state: 'visible', timeout: 90_000 });
            await searchView.locator('.imageparser-search-query').waitFor({ state: 'visible' });
            const tiles = page.locator('.imageparser-search-results .imageparser-result');
            await expect.poll(() => tiles.count(), { timeout: 30_000 }).toBe(10);
            expect(await page.locator('.imageparser-search-results').isVisible()).toBe(true);

            // Browsing the whole archive, newest first.
            const database = new BetterSqlite3(path.join(app.temp.folder, 'archive', 'archive.sqlite'), { readonly: true });
            const newestFirst = database.prepare('SELECT id FROM assets ORDER BY registered_at DESC, id').pluck().all() as number[];
            database.close();
            expect((await tiles.evaluateAll(nodes => nodes.map(node => Number(node.getAttribute('data-asset-id')))))).toEqual(newestFirst);
            // And the sort box says so: with nothing to rank, relevance is the date added.
            const sort = page.locator('.imageparser-search-sort');
            expect(await sort.locator('option:checked').innerText()).toBe('Relevance · date added');

            // The welcome page, beside the results, offers Add Folder… and Search.
            const welcome = page.locator('.imageparser-welcome');
            await welcome.waitFor({ state: 'visible' });
            expect(await welcome.locator('.imageparser-welcome-actions .theia-button').allInnerTexts()).toEqual(['Add Folder…', 'Search', 'Refresh']);

            // No IDE chrome: no Explorer, Outline or Problems in the layout, no Selection or Go menu, no Save or workspace entries.
            const viewTabs = await page.locator('#theia-left-content-panel .lm-TabBar-tab, #theia-right-content-panel .lm-TabBar-tab').evaluateAll(tabs => tabs.map(tab => tab.getAttribute('title') ?? tab.textContent ?? ''));
            expect(viewTabs.join(' ')).toContain('Image Search');
            expect(viewTabs.join(' ')).not.toMatch(/Explorer|Outline|Problems/);
            expect(await page.locator('#explorer-view-container, #outline-view, #problems').count()).toBe(0);
            expect(await page.locator('#theia-top-panel .lm-MenuBar-item').allInnerTexts()).toEqual(['File', 'Edit', 'View', 'Help']);
            await page.locator('#theia-top-panel .lm-MenuBar-item', { hasText: 'File' }).click();
            const fileMenu = await page.locator('.lm-Menu').last().innerText();
            await page.keyboard.press('Escape');
            expect(fileMenu).toContain('Add Folder to Archive…');
            expect(fileMenu).not.toMatch(/Save|Workspace|New Text File|Upload/);
            expect(await page.locator('#status-bar-problem-marker-status').count()).toBe(0);
            // The command palette still reaches what the menus no longer show.
            await page.keyboard.press('F1');
            await page.keyboard.type('Open Workspace from File');
            await expect.poll(() => page.locator('.quick-input-list .monaco-list-row').allInnerTexts()).toEqual(
                expect.arrayContaining([expect.stringContaining('Open Workspace from File')]));
            await page.keyboard.press('Escape');

            // The tab and bookmarks show the app's name and icon.
            expect(await page.title()).toContain('ImageParser');
            const icon = await context.request.get(`${app.server.url}/favicon.ico`);
            expect(icon.status()).toBe(200);
            expect(icon.headers()['content-type']).toBe('image/x-icon');
            const iconBytes = Buffer.from(await icon.body());
            const pngAt = iconBytes.readUInt32LE(6 + 12);
            expect((await sharp(iconBytes.subarray(pngAt)).metadata()).width).toBe(16);

            await page.screenshot({ path: path.join(screenshots, 'first-start.png') });

            // "Search" takes the artist to the query box.
            await welcome.locator('.imageparser-welcome-search').click();
            await expect.poll(() => searchView.locator('.imageparser-search-query').evaluate(input => input === document.activeElement)).toBe(true);
            expect(failedRequests).toEqual([]);
        } finally {
            await context.close();
        }
    });

    it('speaks Korean once Korean is chosen: no English word in ImageParser\'s views, the viewer, the menu bar, the folder dialog and Settings, and no missing translation', async () => {
        // A Korean artist's browser: its own controls (the date pickers) follow the browser's language.
        const context = await app.browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'ko-KR' });
        try {
            const page = await context.newPage();
            await page.goto(app.server.url);
            await page.locator('.imageparser-welcome-table').waitFor({ timeout: 90_000 });
            await page.locator('.imageparser-welcome').click();
            await page.keyboard.press('F1');
            await page.keyboard.type('Configure Display Language');
            await page.keyboard.press('Enter');
            const korean = page.locator('.monaco-list-row', { hasText: '한국어' });
            await korean.waitFor({ timeout: 30_000 });
            await korean.click();
            const restart = page.locator('.dialogBlock .theia-button.main');
            await restart.waitFor({ timeout: 30_000 });

            // From the reload on, every console message is kept: Theia warns about each string it cannot translate.
            const warnings: string[] = [];
            page.on('console', message => {
                if (message.type() === 'warning' || message.type() === 'error') {
                    warnings.push(message.text());
                }
            });
            await Promise.all([page.waitForEvent('load', { timeout: 60_000 }), restart.click()]);
            await page.locator('.imageparser-welcome-table').waitFor({ timeout: 90_000 });
            const tiles = page.locator('.imageparser-search-results .imageparser-result');
            await expect.poll(() => tiles.count(), { timeout: 30_000 }).toBe(10);
            await expect.poll(() => page.locator('.imageparser-search-count').innerText()).toMatch(/^결과 10개/);

            const names = await page.locator('.imageparser-result-name').allInnerTexts();
            const problems: Record<string, string[]> = {};
            const check = (area: string, text: string, userData: readonly string[] = []) => {
                const words = englishWords(text, userData);
                if (words.length) {
                    problems[area] = words;
                }
                // What is left in English, for a reviewer (and for whoever fixes it).
                fs.writeFileSync(path.join(screenshots, 'korean-english-words.json'), JSON.stringify(problems, undefined, 1));
            };

            // ImageParser's views: the search side bar (filters folded open), the results editor, the welcome page and the status bar.
            check('search view', await uiText(page, '.imageparser-search', { skip: ['datalist'] }));
            // A search by words: the meaning axis says in Korean why it was skipped (no text-embedding model).
            const query = page.locator('.imageparser-search-query');
            await query.fill('배경');
            await query.press('Enter');
            await expect.poll(() => page.locator('.imageparser-search-count').innerText()).toMatch(/^결과 2개/);
            expect(await page.locator('.imageparser-search-axis-note').allInnerTexts()).toContain('의미 건너뜀: 텍스트 임베딩 모델이 설정되지 않음');
            check('search view with words', await uiText(page, '.imageparser-search', { skip: ['datalist', '.imageparser-search-query'] }));
            check('results editor with words', await uiText(page, '.imageparser-search-results', { skip: ['.imageparser-result-name', '.imageparser-result-snippet'] }), names);
            await query.fill('');
            await query.press('Enter');
            await expect.poll(() => page.locator('.imageparser-search-count').innerText()).toMatch(/^결과 10개/);
            check('results editor', await uiText(page, '.imageparser-search-results', { skip: ['.imageparser-result'] }));
            check('welcome page', await uiText(page, '.imageparser-welcome', { skip: ['td'] }));
            check('status bar', await page.locator('#theia-statusBar').innerText());
            check('tabs and side bar', (await page.locator('.lm-TabBar-tab').allInnerTexts()).join('\n')
                + await page.locator('.theia-sidepanel-title').allInnerTexts(), names);
            await page.screenshot({ path: path.join(screenshots, 'korean-ui.png') });

            // The viewer of a layered PSD: layer kinds, blend modes, colour mode, dates.
            await page.locator('.imageparser-result', { hasText: 'forest.psd' }).dblclick();
            const viewer = page.locator('.imageparser-viewer');
            await viewer.locator('.imageparser-viewer-stage[data-full="loaded"]').waitFor({ timeout: 30_000 });
            for (const panel of ['annotations', 'info', 'layers']) {
                await viewer.locator(`.imageparser-viewer-tab[data-panel="${panel}"]`).click();
                if (panel === 'layers') {
                    await viewer.locator('.imageparser-viewer-layer').first().waitFor({ timeout: 30_000 });
                } else if (panel === 'info') {
                    // Dates through Intl in Korean ("2026. 11. 30. 오후 3:04"), layer kinds and colour modes through the locale files.
                    await expect.poll(() => viewer.locator('.imageparser-viewer-metadata').innerText()).toMatch(/\d{4}\. \d{1,2}\. \d{1,2}\. (오전|오후)/);
                    await page.screenshot({ path: path.join(screenshots, 'korean-viewer-info.png') });
                }
                check(`viewer (${panel})`, await uiText(page, '.imageparser-viewer', {
                    skip: ['.imageparser-viewer-layer-name', '.imageparser-viewer-layer-content', '.imageparser-viewer-path', 'code', 'datalist']
                }), ['forest.psd', 'Sky gradient', 'Characters', 'hero sketch', 'Title']);
            }
            await page.screenshot({ path: path.join(screenshots, 'korean-viewer.png') });

            // The menu bar, every menu and submenu.
            check('menu bar', await menuBarText(page));

            // The folder dialog of "Add Folder…" (folder names are the user's).
            await page.locator('#theia-top-panel .lm-MenuBar-item').first().click();
            await page.locator('.lm-Menu .lm-Menu-item', { hasText: '아카이브에 폴더 추가…' }).click();
            const dialog = page.locator('.dialogOverlay .dialogBlock');
            await dialog.locator('.theia-TreeNode').first().waitFor({ timeout: 30_000 });
            check('folder dialog', await uiText(page, '.dialogOverlay .dialogBlock', { skip: ['.theia-TreeNode', 'option'], attributes: false, onScreen: true }));
            await page.screenshot({ path: path.join(screenshots, 'korean-folder-dialog.png') });
            await dialog.locator('.theia-button.secondary').click();

            // Settings, opened from the menu, with room for its tree of sections: the sections, what shows on opening, and ImageParser's own settings.
            await page.locator('.lm-TabBar-tab', { hasText: 'ImageParser 시작하기' }).locator('.lm-TabBar-tabCloseIcon').click();
            // A setting's name and values are its id and values in settings.json (files.autoSave: "afterDelay"), shown as VS Code shows them.
            await page.locator('#theia-top-panel .lm-MenuBar-item').first().click();
            await page.locator('.lm-Menu .lm-Menu-item[data-type="submenu"]').first().hover();
            await page.locator('.lm-Menu').nth(1).locator('.lm-Menu-item', { hasText: /^설정/ }).first().click();
            const settings = page.locator('.theia-settings-container');
            await settings.locator('.single-pref').first().waitFor({ timeout: 30_000 });
            const settingIds = [
                '.preference-leaf-headline-prefix', '.preference-leaf-headline-name', '.preference-tag', '.pref-description a', '.pref-description code',
                '.theia-select-component-label', 'option', 'select'
            ];
            const settingsText = () => uiText(page, '.theia-settings-container', { skip: settingIds, attributes: false, onScreen: true });
            check('Settings', `${await settingsText()}\n${await settings.locator('.settings-search-input').getAttribute('placeholder')}`);
            // Every setting's description, scrolled into view or not, is in Korean (VS Code's Korean keeps names such as JavaScript or `editor.tabSize` as they are).
            const descriptions = await settings.locator('.single-pref .pref-description').allTextContents();
            expect(descriptions.length).toBeGreaterThan(100);
            expect(descriptions.filter(text => /[A-Za-z]{3,}/.test(text) && !/[\uac00-\ud7a3]/.test(text))).toEqual([]);
            await page.screenshot({ path: path.join(screenshots, 'korean-settings.png') });
            check('Settings sections', (await settings.locator('.preferences-tree-widget .theia-TreeNode').allInnerTexts()).join('\n'));
            await settings.locator('.settings-search-input').fill('imageparser');
            // ImageParser's own settings: the archive location, the memory budget, OCR on or off, how long an idle model stays loaded,
            // the AI models (7 caption settings, 2 image model, 3 text model, the models' memory), and the job queue (engine, Redis URL).
            await expect.poll(() => settings.locator('.single-pref:visible').count(), { timeout: 30_000 }).toBe(19);
            await settings.locator('.single-pref:visible', { hasText: 'ocr:' }).waitFor();
            await settings.locator('.single-pref:visible', { hasText: 'IMAGEPARSER_HOME' }).waitFor();
            await settings.locator('.single-pref:visible', { hasText: 'IMAGEPARSER_MEMORY_BUDGET_MB' }).waitFor();
            check('Settings: ImageParser', await settingsText());
            await page.screenshot({ path: path.join(screenshots, 'korean-settings-imageparser.png') });
            expect(problems).toEqual({});
            expect(warnings.filter(text => /translation/i.test(text))).toEqual([]);
        } finally {
            await context.close();
        }
    });
});
