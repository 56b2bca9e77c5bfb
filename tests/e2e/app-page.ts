import * as fs from 'fs';
import * as path from 'path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

const screenshots = path.resolve(__dirname, '../../.test-results');

/**
 * Makes every page of `context` start in Korean, as after choosing it
 * (Theia reads `localeId` from local storage). Only the app's pages: the
 * blank document a new page starts on denies local storage, and the error
 * would fail the test as an uncaught page error.
 */
export async function startInKorean(context: BrowserContext): Promise<void> {
    await context.addInitScript(() => {
        if (window.location.protocol.startsWith('http')) {
            window.localStorage.setItem('localeId', 'ko');
        }
    });
}

/**
 * A page of the app in a fresh browser context (a fresh profile), once the
 * status bar shows the archive, whatever view the layout opens first; in
 * Korean when asked. Close it with `page.context().close()`.
 */
export async function openAppPage(browser: Browser, url: string, options: { korean?: boolean } = {}): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    if (options.korean) {
        await startInKorean(context);
    }
    const page = await context.newPage();
    await page.goto(url);
    await page.locator('.imageparser-archive-status').filter({ hasText: /\d/ }).waitFor({ timeout: 90_000 });
    return page;
}

/** Runs a command from the command palette, as a keyboard user does. */
export async function runCommand(page: Page, label: string): Promise<void> {
    const input = page.locator('.quick-input-widget input');
    // The keys reach the shell once something in the window has the focus, and F1 works once the shell has started.
    for (let attempt = 0; !await input.isVisible(); attempt++) {
        if (attempt === 30) {
            throw new Error('The command palette did not open');
        }
        const bar = (await page.locator('#theia-statusBar').boundingBox())!;
        await page.mouse.click(bar.x + bar.width / 2, bar.y + bar.height / 2);
        await page.keyboard.press('F1');
        await input.waitFor({ timeout: 2000 }).catch(() => undefined);
    }
    await input.fill(`>${label}`);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().waitFor();
    await input.press('Enter');
}

/**
 * Searches from the welcome page as a keyboard user does: a click on the
 * page, Ctrl+K to the search box, the query, Enter. Returns the search box
 * for the searches that follow.
 */
export async function searchFromWelcome(page: Page, text: string): Promise<Locator> {
    await page.locator('.imageparser-welcome').click();
    await page.keyboard.press('Control+k');
    const query = page.locator('.imageparser-search-query');
    await query.fill(text);
    await query.press('Enter');
    return query;
}

/** Saves a screenshot under `.test-results/` for a reviewer to look at. */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
    fs.mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: path.join(screenshots, `${name}.png`) });
}

/**
 * Selects these results as a user does (a click, then Ctrl+clicks) and waits
 * until the grid shows exactly them selected. A search still on its way may
 * answer meanwhile: the app keeps what was selected (SearchModel.search).
 */
export async function selectResults(page: Page, names: readonly string[]): Promise<void> {
    const selectedNames = () => page.locator('.imageparser-result.selected .imageparser-result-name').allInnerTexts();
    const result = (name: string) => page.locator('.imageparser-search-results .imageparser-result')
        .filter({ has: page.locator('.imageparser-result-name', { hasText: new RegExp(`^${name}$`) }) });
    for (let attempt = 1; ; attempt++) {
        await result(names[0]).click();
        for (const name of names.slice(1)) {
            await result(name).click({ modifiers: ['Control'] });
        }
        try {
            await expect.poll(async () => (await selectedNames()).sort(), { timeout: 5000 }).toEqual([...names].sort());
            return;
        } catch (error) {
            // A refresh laid the grid out again between finding a cell and clicking it (the click
            // hit its neighbour): a plain click on the first starts the selection over.
            if (attempt === 3) {
                throw error;
            }
        }
    }
}
