import type { Browser, BrowserContext } from 'playwright-core';

/**
 * Uncaught errors and unhandled promise rejections of the app's pages, as
 * Chromium reports them (Playwright's `weberror` of a browser context: every
 * page, popup and frame of it). Every browser that {@link watchPageErrors}
 * watches records them here, and the e2e setup file fails the test that was
 * running when they happened (see `tests/setup/e2e-page-errors.ts`).
 *
 * Console messages are not errors here: Theia logs handled failures there
 * (a refused request a test provokes, a reconnect), and a test that cares
 * about one reads the console itself.
 */
const recorded: string[] = [];

/** Records the uncaught errors of every context `browser` makes from now on, however a test makes it. */
export function watchPageErrors(browser: Browser): Browser {
    const newContext = browser.newContext.bind(browser);
    browser.newContext = async (...args: Parameters<Browser['newContext']>): Promise<BrowserContext> => {
        const context = await newContext(...args);
        context.on('weberror', webError => {
            const error = webError.error();
            recorded.push(`${webError.page()?.url() ?? 'a page'}: ${error.stack ?? error.message}`);
        });
        return context;
    };
    return browser;
}

/** The page errors recorded since the last call, which forgets them. */
export function takePageErrors(): string[] {
    return recorded.splice(0, recorded.length);
}

/** Throws when any page error was recorded since the last check, naming each. */
export function checkPageErrors(): void {
    const errors = takePageErrors();
    if (errors.length) {
        throw new Error(`Uncaught errors in the app's pages (${errors.length}):\n${errors.join('\n\n')}`);
    }
}
