import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './chromium';
import { checkPageErrors, takePageErrors } from './page-errors';

/** The check every e2e test gets (tests/setup/e2e-page-errors.ts), shown on a page that throws. */
describe('page errors in e2e tests', () => {
    let browser: Browser;

    beforeAll(async () => {
        browser = await launchChromium();
    });

    afterAll(() => browser?.close());

    it('are recorded from any context of a launched browser, uncaught errors and unhandled rejections alike, and fail the check', async () => {
        const context = await browser.newContext();
        try {
            const page = await context.newPage();
            await page.setContent('<p>A page with a bug</p>');
            await page.evaluate(() => {
                setTimeout(() => { throw new Error('a thrown error nobody catches'); });
                void Promise.reject(new Error('a rejection nobody handles'));
            });
            const seen: string[] = [];
            await expect.poll(() => (seen.push(...takePageErrors()), seen.length)).toBe(2);
            expect(seen.join('\n')).toContain('a thrown error nobody catches');
            expect(seen.join('\n')).toContain('a rejection nobody handles');

            // What the setup file runs after each test: a page error fails it, with the error's message.
            await page.evaluate(() => setTimeout(() => { throw new Error('one more'); }));
            await expect.poll(() => { try { checkPageErrors(); return ''; } catch (error) { return String(error); } }).toMatch(/Uncaught errors in the app's pages \(1\):[\s\S]*one more/);
            // A caught error and a console error are no page errors.
            await page.evaluate(() => { try { throw new Error('caught'); } catch { console.error('logged, not thrown'); } });
            await page.evaluate(() => new Promise(requestAnimationFrame));
            expect(() => checkPageErrors()).not.toThrow();
        } finally {
            await context.close();
        }
    });
});
