import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { writePsdBuffer } from 'ag-psd';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/temp-folder';
import { searchFromWelcome } from './app-page';
import { AppServer } from './app-server';
import { launchChromium } from './chromium';

const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'extensions/archive-core/lib/node/cli/imageparser.js');

function fill(width: number, height: number, rgba: [number, number, number, number]): ImageData {
    const data = new Uint8ClampedArray(width * height * 4);
    for (let i = 0; i < data.length; i += 4) {
        data.set(rgba, i);
    }
    return { width, height, data, colorSpace: 'srgb' } as unknown as ImageData;
}

/** A two-layer PSD whose layer names and colours tell its versions apart. */
function psd(background: [number, number, number, number], layerName: string): Buffer {
    return writePsdBuffer({
        width: 320, height: 240, imageData: fill(320, 240, background), children: [
            { name: 'Paper', imageData: fill(320, 240, background) },
            { name: layerName, imageData: fill(80, 60, [250, 250, 250, 255]), left: 20, top: 20, right: 100, bottom: 80 }
        ]
    });
}

/** Screenshots for a person to look at, when IMAGEPARSER_E2E_SCREENSHOTS names a folder. */
async function snapshot(page: Page, name: string): Promise<void> {
    if (process.env.IMAGEPARSER_E2E_SCREENSHOTS) {
        await page.screenshot({ path: path.join(process.env.IMAGEPARSER_E2E_SCREENSHOTS, `${name}.png`) });
    }
}

function index(folder: string, archive: string): string {
    return spawnSync(process.execPath, [cli, 'index', folder, '--archive', archive], { encoding: 'utf8' }).stdout;
}

/**
 * A PSD saved over with new content: the viewer lists both versions with
 * thumbnails, opens the earlier one as its stored preview (its bytes are
 * gone) with its own layer tree, and compares it with the current one.
 */
describe('file versions in the viewer', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let server: AppServer;
    let browser: Browser;

    beforeAll(async () => {
        temp = makeTempFolder('imageparser-e2e-');
        const art = path.join(temp.folder, 'art');
        fs.mkdirSync(art);
        const poster = path.join(art, 'poster.psd');
        const archive = path.join(temp.folder, 'archive');
        fs.writeFileSync(poster, psd([200, 40, 40, 255], 'First draft'));
        fs.utimesSync(poster, new Date('2024-03-01T10:00:00Z'), new Date('2024-03-01T10:00:00Z'));
        fs.writeFileSync(path.join(art, 'deleted-sketch.psd'), psd([20, 160, 20, 255], 'Sketch'));
        expect(index(art, archive)).toContain('2 indexed, 0 failed');
        fs.writeFileSync(poster, psd([40, 40, 200, 255], 'Final art'));
        fs.utimesSync(poster, new Date('2024-03-02T10:00:00Z'), new Date('2024-03-02T10:00:00Z'));
        fs.rmSync(path.join(art, 'deleted-sketch.psd'));
        expect(index(art, archive)).toContain('1 indexed, 0 failed');
        server = await AppServer.start({ IMAGEPARSER_HOME: archive, THEIA_CONFIG_DIR: path.join(temp.folder, 'theia-config') });
        browser = await launchChromium();
    }, 120_000);

    afterAll(async () => {
        await browser?.close();
        await server?.stop();
        temp?.remove();
    });

    it('lists the versions, opens the earlier one as a preview with its layer tree, and compares it with the current one', async () => {
        const page = await server.openPage(browser);
        try {
            await searchFromWelcome(page, 'poster');
            const results = page.locator('.imageparser-search-results .imageparser-result');
            await expect.poll(() => results.locator('.imageparser-result-name').allInnerTexts()).toEqual(['poster.psd']);
            await results.first().dblclick();

            const stage = page.locator('#imageparser-viewer .imageparser-viewer-stage');
            await expect.poll(() => stage.getAttribute('data-full')).toBe('loaded');
            await page.locator('.imageparser-viewer-tab[data-panel="versions"]').click();
            expect(await page.locator('.imageparser-viewer-tab[data-panel="versions"]').innerText()).toBe('Versions (2)');
            const versions = page.locator('.imageparser-viewer-version');
            await expect.poll(() => versions.locator('.imageparser-viewer-version-label').allInnerTexts()).toEqual(['Current version', 'Version 1']);
            // Both thumbnails load from the media route by asset id.
            await expect.poll(() => versions.locator('img').evaluateAll(images => images.map(image => (image as HTMLImageElement).naturalWidth > 0)))
                .toEqual([true, true]);
            await snapshot(page, 'versions-panel');

            // The earlier version: its stored preview, said so, and its own layer tree from the archive.
            await versions.nth(1).getByRole('button', { name: 'Open' }).click();
            await expect.poll(() => stage.getAttribute('data-full')).toBe('preview-only');
            await expect.poll(() => page.locator('.imageparser-viewer-earlier').innerText()).toContain('Earlier version: preview only.');
            expect(await page.locator('.lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel').allInnerTexts()).toContain('poster.psd (earlier version)');
            expect(await page.locator('.imageparser-viewer-error').count()).toBe(0);
            await page.locator('.imageparser-viewer-tab[data-panel="layers"]').click();
            await expect.poll(() => page.locator('.imageparser-viewer-layer-name').allInnerTexts()).toEqual(['First draft', 'Paper']);
            expect(await page.locator('.imageparser-viewer-layer button.imageparser-viewer-eye').count()).toBe(0);
            await snapshot(page, 'versions-earlier');

            // Compare it with the current version, side by side.
            await page.locator('.imageparser-viewer-tab[data-panel="versions"]').click();
            await versions.nth(1).getByRole('button', { name: 'Compare with current' }).click();
            const cells = page.locator('.imageparser-compare-cell');
            await expect.poll(() => cells.count()).toBe(2);
            expect(await cells.nth(0).locator('.imageparser-compare-name').innerText()).toMatch(/^poster\.psd, saved /);
            expect(await cells.nth(1).locator('.imageparser-compare-name').innerText()).toBe('poster.psd, current');
            await expect.poll(() => cells.nth(0).locator('.imageparser-viewer-stage').getAttribute('data-full')).toBe('preview-only');
            await expect.poll(() => cells.nth(1).locator('.imageparser-viewer-stage').getAttribute('data-full')).toBe('loaded');
            await snapshot(page, 'versions-compare');

            // Back in the viewer, the current version opens again from the note.
            await page.locator('.lm-TabBar-tab', { hasText: 'poster.psd (earlier version)' }).click();
            await page.getByRole('button', { name: 'Open the current version' }).click();
            await expect.poll(() => stage.getAttribute('data-full')).toBe('loaded');
            await page.locator('.imageparser-viewer-tab[data-panel="layers"]').click();
            await expect.poll(() => page.locator('.imageparser-viewer-layer-name').allInnerTexts()).toEqual(['Final art', 'Paper']);
        } finally {
            await page.context().close();
        }
    });

    it('shows a deleted file as its preview, says it is missing, and asks for no tiles', async () => {
        const page = await server.openPage(browser);
        try {
            await searchFromWelcome(page, 'deleted-sketch');
            const results = page.locator('.imageparser-search-results .imageparser-result');
            await expect.poll(() => results.locator('.imageparser-result-name').allInnerTexts()).toEqual(['deleted-sketch.psd']);
            await results.first().dblclick();
            const stage = page.locator('#imageparser-viewer .imageparser-viewer-stage');
            await expect.poll(() => stage.getAttribute('data-full')).toBe('preview-only');
            await expect.poll(() => page.locator('.imageparser-viewer-earlier').innerText()).toContain('The file is missing from disk: preview only.');
            expect(await page.locator('.imageparser-viewer-error').count()).toBe(0);
        } finally {
            await page.context().close();
        }
    });
});
