import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAppPage, runCommand } from './app-page';
import { SearchFixturesApp, startSearchFixturesApp } from './search-fixtures-app';

const root = path.resolve(__dirname, '../..');

/** Runs the `imageparser` command as a user would in a terminal, while the app runs on the same archive. */
function indexFromTerminal(folder: string, archive: string): Promise<string> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [path.join(root, 'extensions/archive-core/lib/node/cli/imageparser.js'), 'index', folder, '--archive', archive]);
        let stdout = '';
        child.stdout.on('data', chunk => stdout += chunk);
        child.once('error', reject);
        child.once('exit', code => code === 0 ? resolve(stdout) : reject(new Error(`imageparser exited with ${code}: ${stdout}`)));
    });
}

describe('changes made by another process', () => {
    let app: SearchFixturesApp;

    beforeAll(async () => {
        app = await startSearchFixturesApp();
    }, 120_000);

    afterAll(() => app?.stop());

    it('show in the status bar and in the open search without any click, after the command-line tool indexed into the same archive', async () => {
        const page = await openAppPage(app.browser, app.server.url);
        try {
            await expect.poll(() => page.locator('.imageparser-archive-status').innerText(), { timeout: 30_000 }).toContain('Assets: 10');
            await runCommand(page, 'Focus Image Search');
            const query = page.locator('.imageparser-search-query');
            await query.fill('path:later');
            await query.press('Enter');
            const count = page.locator('.imageparser-search-count');
            await expect.poll(() => count.innerText()).toMatch(/^0 results in \d+ ms$/);

            const later = path.join(app.temp.folder, 'later');
            fs.mkdirSync(later);
            for (const [i, colour] of ['#114477', '#774411'].entries()) {
                await sharp({ create: { width: 120, height: 90, channels: 3, background: colour } }).png().toFile(path.join(later, `late-${i}.png`));
            }
            expect(await indexFromTerminal(later, path.join(app.temp.folder, 'archive'))).toContain('2 indexed, 0 failed');

            await expect.poll(() => page.locator('.imageparser-archive-status').innerText(), { timeout: 30_000 }).toContain('Assets: 12');
            await expect.poll(() => count.innerText(), { timeout: 30_000 }).toMatch(/^2 results in \d+ ms$/);
            await expect.poll(async () => (await page.locator('.imageparser-search-results .imageparser-result-name').allInnerTexts()).sort()).toEqual(['late-0.png', 'late-1.png']);
        } finally {
            await page.context().close();
        }
    });
});
