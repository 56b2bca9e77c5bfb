import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/temp-folder';
import { writeSearchFixtures } from '../search/search-fixtures';
import { AppServer } from './app-server';
import { openAppPage, runCommand, saveScreenshot } from './app-page';
import { launchChromium } from './chromium';

const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'extensions/archive-core/lib/node/cli/imageparser.js');

/** Words that stay in Latin letters in the Korean view: names. */
const LATIN_IN_KOREAN = new Set(['ImageParser', 'OCR', 'AI']);

/**
 * The Phases view on the real backend and its real pipeline: parse counted
 * from the archive the command-line tool indexed (ten images and one broken
 * file), its failure listed with the reason, pause and resume kept in the
 * store (the command-line tool sees them), retry and re-run on the result
 * selected in Image Search, and the status bar while another process indexes.
 */
describe('the Phases view', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let archive: string;
    let server: AppServer;
    let browser: Browser;

    beforeAll(async () => {
        temp = makeTempFolder('imageparser-e2e-');
        const art = path.join(temp.folder, 'art');
        await writeSearchFixtures(art);
        const png = fs.readFileSync(path.join(art, 'colours', 'red-1.png'));
        fs.mkdirSync(path.join(art, 'broken'));
        fs.writeFileSync(path.join(art, 'broken', 'cut.png'), png.subarray(0, png.length >> 1));
        archive = path.join(temp.folder, 'archive');
        const indexed = spawnSync(process.execPath, [cli, 'index', art, '--archive', archive], { encoding: 'utf8' });
        expect(indexed.stdout).toContain('10 indexed, 1 failed');
        // OCR on: the view lists it beside parse, with its model (the other e2e files leave it off).
        server = await AppServer.start({ IMAGEPARSER_HOME: archive, THEIA_CONFIG_DIR: path.join(temp.folder, 'theia-config'), IMAGEPARSER_OCR: 'on' });
        browser = await launchChromium();
    }, 120_000);

    afterAll(async () => {
        await browser?.close();
        await server?.stop();
        temp?.remove();
    });

    const parse = (page: Page) => page.locator('.imageparser-phase[data-phase="parse"]');
    const count = (section: Locator, kind: 'done' | 'queued' | 'leased' | 'failed') => section.locator(`.imageparser-phase-count-${kind} dd`).innerText();
    const countLabels = (section: Locator) => section.locator('.imageparser-phase-count dt').allInnerTexts();
    const notification = (page: Page, text: string) => page.locator('.theia-notification-toasts .theia-notification-list-item', { hasText: text });
    async function pickPhase(page: Page, command: string, phase: string): Promise<void> {
        await runCommand(page, command);
        const item = page.locator('.quick-input-list .monaco-list-row', { hasText: phase });
        await item.waitFor();
        await item.click();
    }
    const phaseState = () => spawnSync(process.execPath, [cli, 'phases', '--archive', archive], { encoding: 'utf8' }).stdout
        .split('\n').find(line => line.startsWith('parse '))?.trim().split(/\s+/).pop();

    it('in Korean: counts, reasons, controls and their spoken labels in Korean, no English left', async () => {
        const page = await openAppPage(browser, server.url, { korean: true });
        try {
            await runCommand(page, 'ImageParser: 처리 단계 표시');
            const section = parse(page);
            await section.waitFor();
            expect(await section.locator('.imageparser-phase-name').innerText()).toBe('분석');
            expect(await countLabels(section)).toEqual(['완료', '대기 중', '처리 중', '실패']);
            await expect.poll(() => count(section, 'done')).toBe('10');
            expect(await count(section, 'failed')).toBe('1');
            // 10 of 11 files: a fraction of 0.909 in the protocol, shown as 90 % only here.
            expect(await section.locator('.imageparser-phase-percent').innerText()).toBe('90%');

            await section.getByRole('button', { name: '분석 실패 1개' }).click();
            const failure = section.locator('.imageparser-phase-failure');
            expect(await failure.locator('.imageparser-phase-failure-file').innerText()).toBe('cut.png');
            expect(await failure.locator('.imageparser-phase-failure-reason').innerText()).toMatch(/^(불완전한 파일: 끝이 잘렸습니다|손상된 이미지: 디코딩할 수 없습니다)$/);
            await failure.locator('summary', { hasText: '자세히' }).click();
            expect((await failure.locator('pre').innerText()).length).toBeGreaterThan(0);

            await section.getByRole('button', { name: '분석 일시 중지' }).click();
            await section.locator('.imageparser-phase-badge', { hasText: '일시 중지됨' }).waitFor();
            expect(await section.getByRole('button', { name: '분석에서 실패한 이미지 1개 다시 시도' }).isEnabled()).toBe(true);
            expect(await section.getByRole('button', { name: /^선택한 이미지 \d+개에 분석 다시 실행$/ }).innerText()).toMatch(/^선택한 항목에 다시 실행 \(\d+\)$/);

            // The raw message of the failure (the decoder's words), its file's path and a model's id (a name, as
            // 'tesseract-5/kor+eng' in the model row's tooltip) are not the view's words.
            const text = await page.locator('.imageparser-phases').evaluate(element => {
                const copy = element.cloneNode(true) as HTMLElement;
                copy.querySelectorAll('.imageparser-phase-failure-details pre, .imageparser-phase-failure-file').forEach(each => each.remove());
                copy.querySelectorAll('dd[title]').forEach(each => each.removeAttribute('title'));
                return [copy.textContent ?? '', ...Array.from(copy.querySelectorAll('[aria-label], [title]'))
                    .flatMap(each => [each.getAttribute('aria-label') ?? '', each.getAttribute('title') ?? ''])].join(' ');
            });
            const english = (text.match(/[A-Za-z]{2,}/g) ?? []).filter(word => !LATIN_IN_KOREAN.has(word));
            expect(english).toEqual([]);
            await saveScreenshot(page, 'phases-view-ko');

            await section.getByRole('button', { name: '분석 다시 시작' }).click();
            await expect.poll(() => section.locator('.imageparser-phase-badge').count()).toBe(0);
        } finally {
            await page.context().close();
        }
    });

    it('in English: opens from the View menu, lists the failure, pauses for every process, resumes by keyboard, retries, re-runs the selected result; the status bar shows work in progress', async () => {
        const page = await openAppPage(browser, server.url);
        try {
            await page.locator('#theia-top-panel .lm-MenuBar-item', { hasText: 'View' }).click();
            await page.locator('.lm-Menu-item', { hasText: /^Phases$/ }).click();
            const section = parse(page);
            await section.waitFor();
            expect(await section.locator('.imageparser-phase-name').innerText()).toBe('Parse');
            expect(await countLabels(section)).toEqual(['Done', 'Queued', 'In progress', 'Failed']);
            await expect.poll(() => count(section, 'done')).toBe('10');
            expect([await count(section, 'queued'), await count(section, 'leased'), await count(section, 'failed')]).toEqual(['0', '0', '1']);
            expect(await section.locator('.imageparser-phase-percent').innerText()).toBe('90%');
            expect(await section.locator('progress').getAttribute('value')).toBe('90');
            // Idle (once any later phase is through the ten images): no work in progress in the status bar,
            // and no rate that would read as if parse were still busy.
            await expect.poll(() => page.locator('.imageparser-phases-status').count(), { timeout: 120_000 }).toBe(0);
            expect(await section.locator('.imageparser-phase-detail-rate').count()).toBe(0);

            const toggle = section.getByRole('button', { name: '1 failure of Parse' });
            expect(await toggle.getAttribute('aria-expanded')).toBe('false');
            await toggle.click();
            expect(await toggle.getAttribute('aria-expanded')).toBe('true');
            const failure = section.locator('.imageparser-phase-failure');
            expect(await failure.locator('.imageparser-phase-failure-file').innerText()).toBe('cut.png');
            expect(await failure.locator('.imageparser-phase-failure-reason').innerText()).toMatch(/^(Incomplete file: it ends too early|Damaged image: it could not be decoded)$/);
            expect(await failure.locator('.imageparser-phase-failure-when').innerText()).toMatch(/^1 attempt, last /);

            // Paused in the store: the command-line tool on the same archive sees it.
            await section.getByRole('button', { name: 'Pause Parse' }).click();
            await section.locator('.imageparser-phase-badge', { hasText: 'Paused' }).waitFor();
            expect(phaseState()).toBe('paused');
            await saveScreenshot(page, 'phases-view-en');

            // The controls are reached with Tab and pressed with Enter.
            const resume = section.getByRole('button', { name: 'Resume Parse' });
            await resume.focus();
            await page.keyboard.press('Tab');
            expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Retry 1 failed image of Parse');
            await page.keyboard.press('Shift+Tab');
            await page.keyboard.press('Enter');
            await section.getByRole('button', { name: 'Pause Parse' }).waitFor();
            expect(phaseState()).toBe('on');

            // The same from the command palette, which asks for the phase.
            await pickPhase(page, 'ImageParser: Pause Phase…', 'Parse');
            await section.locator('.imageparser-phase-badge', { hasText: 'Paused' }).waitFor();
            await pickPhase(page, 'ImageParser: Resume Phase…', 'Parse');
            await expect.poll(() => section.locator('.imageparser-phase-badge').count()).toBe(0);

            await section.getByRole('button', { name: 'Retry 1 failed image of Parse' }).click();
            await notification(page, 'Parse: 1 failed image queued again').waitFor();
            await expect.poll(() => count(section, 'failed')).toBe('1');

            // Re-run works on the selection of Image Search.
            await page.locator('.imageparser-search-results .imageparser-result', { hasText: 'red-2.png' }).click();
            const rerun = section.getByRole('button', { name: 'Run Parse again on 1 selected image' });
            expect(await rerun.innerText()).toBe('Re-run on selected (1)');
            expect(await rerun.getAttribute('title')).toBe('Runs this phase again on the results selected in Image Search.');
            await rerun.click();
            await notification(page, 'Parse has nothing to run again on the selected images: their results are current.').waitFor();

            // Another process indexes a folder: the status bar shows parse's progress in words while it works, and nothing once done.
            const more = path.join(temp.folder, 'more');
            fs.mkdirSync(more);
            for (let index = 0; index < 300; index++) {
                await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: index % 256, g: 90 + (index >> 8), b: 200 } } }).png().toFile(path.join(more, `tile-${index}.png`));
            }
            const indexing = spawn(process.execPath, [cli, 'index', more, '--archive', archive], { stdio: 'ignore' });
            const exited = new Promise(resolve => indexing.once('exit', resolve));
            const status = page.locator('.imageparser-phases-status');
            await status.waitFor({ timeout: 60_000 });
            expect((await status.innerText()).trim()).toMatch(/^Parse \d{1,2}%$/);
            expect(await status.getAttribute('aria-label')).toMatch(/^ImageParser Parse: \d{1,2} percent done, [\d,]+ images? left$/);
            await saveScreenshot(page, 'phases-status-bar-en');
            await status.click();
            await exited;
            await expect.poll(() => count(section, 'done')).toBe('310');
            // Parse is through; a later phase (OCR, when installed) may go on working on the new images.
            await expect.poll(async () => await status.count() === 0 || !(await status.innerText()).includes('Parse')).toBe(true);
        } finally {
            await page.context().close();
        }
    });
});
