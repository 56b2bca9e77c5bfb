import * as fs from 'fs';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { inject } from 'vitest';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/temp-folder';
import { AppAddress, openWelcomePage } from './app-server';
import { launchChromium } from './chromium';
import { SharedSearchFixturesApp, START_ERROR_FILE, startSearchFixturesServer } from './search-fixtures-server';

/** The app over an archive of the search fixtures, and a browser to drive it. */
export interface SearchFixturesApp {
    /** The folder holding `art/` (the fixtures) and `archive/`. */
    readonly temp: { readonly folder: string };
    readonly server: AppAddress;
    readonly browser: Browser;
    /** Stops what this file started (the browser; the app and its files too unless shared) and removes its files. */
    stop(): Promise<void>;
}

/**
 * An app of this file's own over the search fixtures, and Debian's Chromium:
 * for tests that change the archive (tags, ratings, comments, indexing).
 */
export async function startSearchFixturesApp(): Promise<SearchFixturesApp> {
    const temp = makeTempFolder('imageparser-e2e-');
    const server = await startSearchFixturesServer(temp.folder);
    const browser = await launchChromium();
    return {
        temp, server, browser,
        stop: async () => {
            await browser.close();
            await server.stop();
            temp.remove();
        }
    };
}

/**
 * The app over the search fixtures that all files of an e2e run share (the
 * global setup starts it once), and a browser of this file's own: for tests
 * that only read the archive. Tests that change it (an edit, an index run)
 * use {@link startSearchFixturesApp}: the other files see the same archive.
 * Waits until the shared app answers (it starts beside the first files).
 */
export async function openSharedSearchFixturesApp(): Promise<SearchFixturesApp> {
    const shared = inject('sharedSearchFixturesApp');
    if (!shared) {
        throw new Error('The e2e global setup started no shared app: run this file through the e2e project (vitest run --project e2e).');
    }
    await sharedAppAnswers(shared);
    const browser = await launchChromium();
    return {
        temp: { folder: shared.folder },
        server: { url: shared.url, openPage: pageBrowser => openWelcomePage(pageBrowser, shared.url) },
        browser,
        stop: () => browser.close()
    };
}

/** Resolves once the shared app answers; throws its start error if it failed to start. */
async function sharedAppAnswers(shared: SharedSearchFixturesApp): Promise<void> {
    const failure = path.join(shared.folder, START_ERROR_FILE);
    for (const deadline = Date.now() + 150_000; Date.now() < deadline;) {
        if (fs.existsSync(failure)) {
            throw new Error(`The shared app did not start:\n${fs.readFileSync(failure, 'utf8')}`);
        }
        const answered = await fetch(shared.url, { method: 'HEAD' }).then(response => response.ok, () => false);
        if (answered) {
            return;
        }
        // Polls the server's state: it starts in another process, which no event here reports.
        await new Promise(resolve => setTimeout(resolve, 250));
    }
    throw new Error(`The shared app at ${shared.url} did not answer within 150 s`);
}
