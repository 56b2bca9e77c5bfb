/**
 * `npm run bench:scroll`: how smoothly the results grid scrolls through
 * 100,000 results, against the same grid holding about 1,100 results, in
 * the same run. The built browser app runs over a synthetic archive of
 * 100,000 assets (names, paths and layer text from the search bench's
 * vocabulary; one small WebP stored as every asset's thumbnail, so each tile
 * still loads its own URL lazily), Debian's Chromium scrolls the grid 60 px
 * per animation frame for 300 frames (less than the small list's length),
 * two rounds taking turns (the first warms up; the second is reported), and
 * the page records the frame times and which thumbnails were requested.
 *   npm run bench:scroll [-- --assets 100000 --frames 300]
 */
import * as path from 'path';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { ArchiveDatabase } from '@imageparser/archive-core/lib/node/store/database';
import { ARCHIVE_MIGRATIONS } from '@imageparser/archive-core/lib/node/store/migrations';
import { MediaStore } from '@imageparser/archive-core/lib/node/store/media-store';
import { AppServer } from '../tests/e2e/app-server';
import { launchChromium } from '../tests/e2e/chromium';
import { ensureSyntheticArchive } from './search/synthetic-archive';

const root = path.resolve(__dirname, '..', '..', '..');
const log = (line: string) => process.stderr.write(`${line}\n`);

interface Options {
    assets: number;
    frames: number;
}

function parseOptions(args: string[]): Options {
    const options: Options = { assets: 100_000, frames: 300 };
    for (let i = 0; i < args.length; i += 2) {
        switch (args[i]) {
            case '--assets': options.assets = Number(args[i + 1]); break;
            case '--frames': options.frames = Number(args[i + 1]); break;
            default: throw new Error(`unknown option ${args[i]}; see the comment at the top of bench/scroll-bench.ts`);
        }
    }
    return options;
}

function percentile(values: number[], p: number): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/** Gives every asset the same small thumbnail (stored once by content hash); the tiles still request one URL each. */
async function ensureThumbnails(folder: string): Promise<void> {
    const media = new MediaStore(path.join(folder, 'media'));
    const bytes = await sharp({ create: { width: 256, height: 192, channels: 3, background: { r: 90, g: 120, b: 160 } } }).webp().toBuffer();
    const hash = media.put(bytes);
    const db = ArchiveDatabase.open(path.join(folder, 'archive.sqlite'), { migrations: ARCHIVE_MIGRATIONS });
    try {
        db.write(writer => writer.prepare("UPDATE assets SET thumbnail_hash = ?, thumbnail_mime = 'image/webp' WHERE thumbnail_hash IS NOT ?").run(hash, hash));
    } finally {
        db.close();
    }
}

interface ScrollRun {
    readonly results: number;
    readonly frames: number[];
    readonly thumbnails: number;
    readonly scrolledRows: number;
}

async function search(page: Page, text: string): Promise<number> {
    await page.keyboard.press('Control+k');
    const query = page.locator('.imageparser-search-query');
    await query.fill(text);
    await query.press('Enter');
    await page.locator('.imageparser-result').first().waitFor({ timeout: 120_000 });
    const count = await page.locator('.imageparser-search-count').innerText();
    return Number(/\d+/.exec(count.replace(/[,.\s](?=\d{3}\b)/g, ''))![0]);
}

/** Scrolls the grid `step` px per frame for `frames` frames and returns the frame intervals. */
async function scroll(page: Page, frames: number, thumbnailRequests: () => number): Promise<Omit<ScrollRun, 'results'>> {
    const before = thumbnailRequests();
    const result = await page.evaluate(async count => {
        const scroller = document.querySelector<HTMLElement>('.imageparser-results-scroller')!;
        scroller.scrollTop = 0;
        await new Promise(resolve => setTimeout(resolve, 500));
        const times: number[] = [];
        let last = performance.now();
        await new Promise<void>(resolve => {
            const frame = () => {
                const now = performance.now();
                times.push(now - last);
                last = now;
                scroller.scrollTop += 60;
                if (times.length < count) {
                    requestAnimationFrame(frame);
                } else {
                    resolve();
                }
            };
            requestAnimationFrame(frame);
        });
        const tile = document.querySelector<HTMLElement>('.imageparser-result');
        return { frames: times.slice(1), scrolled: scroller.scrollTop, tileHeight: tile?.offsetHeight ?? 1 };
    }, frames);
    await page.waitForTimeout(1000);
    return { frames: result.frames, thumbnails: thumbnailRequests() - before, scrolledRows: Math.round(result.scrolled / result.tileHeight) };
}

async function main(): Promise<void> {
    const options = parseOptions(process.argv.slice(2));
    const folder = path.join(root, '.bench-data', `scroll-${options.assets}`);
    log(`bench: archive of ${options.assets.toLocaleString('en-US')} assets in ${folder}`);
    await ensureSyntheticArchive(folder, options.assets, 8, 20, log);
    await ensureThumbnails(folder);
    const server = await AppServer.start({ IMAGEPARSER_HOME: folder, THEIA_CONFIG_DIR: path.join(folder, 'theia-config') });
    const browser = await launchChromium();
    try {
        const page = await server.openPage(browser);
        await page.setViewportSize({ width: 1600, height: 1000 });
        let thumbnails = 0;
        page.on('request', request => {
            if (request.url().includes('/imageparser/media/thumbnail/')) {
                thumbnails++;
            }
        });
        await page.locator('.imageparser-welcome').click();
        let runs: ScrollRun[] = [];
        // Baseline: ids containing "_99" in their file names (99, 990-999, 9900-9999, 99000-99999); then every asset (browse).
        for (let round = 1; round <= 2; round++) {
            runs = [];
            for (const text of ['path:_99', '']) {
                const results = await search(page, text);
                log(`  round ${round}: scrolling ${results.toLocaleString('en-US')} results`);
                runs.push({ results, ...await scroll(page, options.frames, () => thumbnails) });
            }
        }
        const [baseline, big] = runs;
        const janky = (run: ScrollRun) => run.frames.filter(time => time > 34).length / run.frames.length * 100;
        const lines = [
            '',
            `results grid, scrolled 60 px per frame for ${options.frames} frames (1600 x 1000 window, grid view; second of two rounds)`,
            'results        frame p50 ms   frame p95 ms   frames > 34 ms   rows passed   thumbnail requests',
            '-'.repeat(96)
        ];
        for (const run of runs) {
            lines.push(`${run.results.toLocaleString('en-US').padStart(9)}   ${percentile(run.frames, 0.5).toFixed(1).padStart(12)}   ${percentile(run.frames, 0.95).toFixed(1).padStart(12)}`
                + `   ${janky(run).toFixed(1).padStart(13)} %   ${String(run.scrolledRows).padStart(11)}   ${String(run.thumbnails).padStart(18)}`);
        }
        lines.push(`${big.results.toLocaleString('en-US')} results vs ${baseline.results.toLocaleString('en-US')}: frame p95 ratio ${(percentile(big.frames, 0.95) / percentile(baseline.frames, 0.95)).toFixed(2)}x`
            + ` (1.00x = as smooth as the small list); thumbnails requested ${big.thumbnails} while passing ${big.scrolledRows} rows of ${big.results.toLocaleString('en-US')} results`);
        process.stdout.write(`${lines.join('\n')}\n`);
        await page.context().close();
    } finally {
        await browser.close();
        await server.stop();
    }
}

main().catch(error => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
});
