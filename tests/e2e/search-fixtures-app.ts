import { spawnSync } from 'child_process';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { expect } from 'vitest';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { writeSearchFixtures } from '../search/search-fixtures';
import { AppServer } from './app-server';
import { launchChromium } from './chromium';

const root = path.resolve(__dirname, '../..');

/** The app over an archive of the search fixtures, and a browser to drive it. */
export interface SearchFixturesApp {
    readonly temp: ReturnType<typeof makeTempFolder>;
    readonly server: AppServer;
    readonly browser: Browser;
    /** Stops the app and the browser and removes the files. */
    stop(): Promise<void>;
}

/**
 * Writes the search fixtures (10 images), indexes them with the
 * `imageparser` command (the same ingester the app runs), starts the built
 * browser app on that archive and Debian's Chromium.
 */
export async function startSearchFixturesApp(): Promise<SearchFixturesApp> {
    const temp = makeTempFolder('imageparser-e2e-');
    const images = path.join(temp.folder, 'art');
    await writeSearchFixtures(images);
    const archive = path.join(temp.folder, 'archive');
    const indexed = spawnSync(process.execPath, [path.join(root, 'extensions/archive-core/lib/node/cli/imageparser.js'), 'index', images, '--archive', archive],
        { encoding: 'utf8' });
    expect(indexed.stdout).toContain('10 indexed, 0 failed');
    const server = await AppServer.start({ IMAGEPARSER_HOME: archive, THEIA_CONFIG_DIR: path.join(temp.folder, 'theia-config') });
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
