import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/temp-folder';
import { OpenAiTestServer, TEST_COLOURS } from '../../extensions/archive-core/src/node/test/openai-test-server';
import { writeColourPng } from '../../extensions/archive-core/src/node/test/tiny-models/colour-images';
import { writeTinyImageTextModel } from '../../extensions/archive-core/src/node/test/tiny-models/tiny-image-text-model';
import { writeTinySentenceModel } from '../../extensions/archive-core/src/node/test/tiny-models/tiny-sentence-model';
import { AiSettingsEnv } from '../../extensions/archive-core/src/node/inference/preference-ai-settings';
import { AppServer } from './app-server';
import { openAppPage, runCommand, saveScreenshot } from './app-page';
import { launchChromium } from './chromium';

const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'extensions/archive-core/lib/node/cli/imageparser.js');

const PICTURES = 60;
/** How often workers heartbeat in this test (the server says so when they register). */
const HEARTBEAT_MS = 1000;

/** Words that stay in Latin letters in the Korean panel: names, units, the machine's and the token's own names. */
const LATIN_IN_KOREAN = new Set(['ImageParser', 'OCR', 'AI', 'CPU', 'GPU', 'SQLite', 'GB', 'Asia', 'Seoul', 'studio', 'gpu']);

/** `HH:MM` of a time in a time zone. */
function clock(at: Date, timeZone: string): string {
    return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(at);
}

/** A running `imageparser worker` process, its output kept for a failure's message. */
interface WorkerProcess {
    readonly child: ChildProcess;
    readonly output: string[];
}

/**
 * The fleet admin panel over the real backend and two real `imageparser
 * worker` processes with the tiny models (captions from the local
 * OpenAI-compatible test endpoint, image embeddings from a tiny CLIP): a
 * token issued in the panel, both workers listed with their roles,
 * resources and schedules, throughput that grows, a pause that reaches the
 * worker within one heartbeat and a resume from the command palette; the
 * same panel in Korean.
 */
describe('the Worker Fleet panel', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let endpoint: OpenAiTestServer;
    let server: AppServer;
    let browser: Browser;
    let aiEnv: NodeJS.ProcessEnv;
    const workers: WorkerProcess[] = [];
    let captionSchedule: string;

    beforeAll(async () => {
        temp = makeTempFolder('imageparser-e2e-fleet-');
        const art = path.join(temp.folder, 'art');
        for (let index = 0; index < PICTURES; index++) {
            const colour = TEST_COLOURS[index % TEST_COLOURS.length];
            await writeColourPng(art, index % 2 ? `${colour.ko} 그림 ${index}` : `${colour.en}-${index}`, colour.rgb, 64 + index, 48);
        }
        const visualModel = path.join(temp.folder, 'models', 'tiny-clip');
        writeTinyImageTextModel(visualModel, 'clip');
        const textModel = path.join(temp.folder, 'models', 'tiny-sentence');
        writeTinySentenceModel(textModel);
        endpoint = await new OpenAiTestServer().start();
        // Captions take a while, as a real model's do: the caption worker is busy for the whole test.
        endpoint.delayMs = 1500;
        aiEnv = {
            [AiSettingsEnv.CAPTION_ENDPOINT]: endpoint.endpoint,
            [AiSettingsEnv.CAPTION_MODEL]: 'test-vlm',
            [AiSettingsEnv.VISUAL_MODEL]: visualModel,
            [AiSettingsEnv.TEXT_MODEL]: textModel,
            IMAGEPARSER_OCR: 'off'
        };
        const archive = path.join(temp.folder, 'archive');
        const indexed = spawnSync(process.execPath, [cli, 'index', art, '--archive', archive], { encoding: 'utf8' });
        expect(indexed.stdout).toContain(`${PICTURES} indexed`);
        // The server runs no AI phase itself: only the workers do.
        server = await AppServer.start({
            IMAGEPARSER_HOME: archive, THEIA_CONFIG_DIR: path.join(temp.folder, 'theia-config'), ...aiEnv,
            IMAGEPARSER_LOCAL_PHASES: 'parse', IMAGEPARSER_FLEET_HEARTBEAT_MS: String(HEARTBEAT_MS)
        });
        browser = await launchChromium();
    }, 120_000);

    afterAll(async () => {
        await Promise.all(workers.map(stopWorker));
        fs.mkdirSync(path.join(root, '.test-results'), { recursive: true });
        fs.writeFileSync(path.join(root, '.test-results', 'fleet-panel-workers.log'), workers.map(each => each.output.join('')).join('\n---\n'));
        await browser?.close();
        await server?.stop();
        await endpoint?.stop();
        temp?.remove();
    });

    /** Starts `imageparser worker` with this role and a `user-settings.yaml` of this schedule. */
    function startWorker(token: string, role: string, schedule: string): WorkerProcess {
        const settings = path.join(temp.folder, `${role}-settings.yaml`);
        // This shared 2-core machine runs near full CPU during the test: CPU and memory are taken off the throttle (a limit starts past it; GPU limits stay).
        const off = '{ cpuPercent: 100, memoryPercent: 100 }';
        fs.writeFileSync(settings, `worker:\n  schedule:\n${schedule}  throttle:\n    warning: ${off}\n    danger: ${off}\n    critical: ${off}\n`);
        const child = spawn(process.execPath, [cli, 'worker', '--server', server.url, '--token', token, '--role', role, '--settings', settings], {
            env: { ...process.env, ...aiEnv, IMAGEPARSER_WORKER_STARTED_BY: 'test' },
            stdio: ['ignore', 'pipe', 'pipe']
        });
        const worker = { child, output: [] as string[] };
        child.stdout!.on('data', chunk => worker.output.push(chunk.toString()));
        child.stderr!.on('data', chunk => worker.output.push(chunk.toString()));
        workers.push(worker);
        return worker;
    }

    async function stopWorker(worker: WorkerProcess): Promise<void> {
        if (worker.child.exitCode !== null || worker.child.signalCode !== null) {
            return;
        }
        const exited = new Promise(resolve => worker.child.once('exit', resolve));
        worker.child.kill('SIGTERM');
        const timer = setTimeout(() => worker.child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
    }

    const panel = (page: Page) => page.locator('.imageparser-fleet');
    const card = (page: Page, role: string) => panel(page).locator('.imageparser-fleet-worker')
        .filter({ has: page.locator('.imageparser-fleet-role', { hasText: new RegExp(`^${role}$`) }) });
    const row = (worker: Locator, kind: string) => worker.locator(`.imageparser-fleet-worker-${kind} dd`).innerText();
    const done = async (worker: Locator) => Number((await row(worker, 'done')).replace(/\D/g, ''));
    const queue = (page: Page, phase: string, kind: string) => panel(page).locator(`tr[data-phase="${phase}"] .imageparser-fleet-queue-${kind}`).innerText();

    it('in English: a token issued here, two workers with their roles, resources and schedules, throughput growing, pause within a heartbeat, resume from the palette', async () => {
        const page = await openAppPage(browser, server.url);
        try {
            await runCommand(page, 'ImageParser: Show Worker Fleet');
            await panel(page).locator('.imageparser-fleet-workers', { hasText: 'No worker is connected.' }).waitFor();
            expect(await panel(page).locator('.imageparser-fleet-engine').innerText()).toBe('Queue: embedded (SQLite)');

            // A token issued in the panel: its secret shown once, with the command line that uses it.
            await panel(page).getByRole('textbox', { name: 'Label of the new token' }).fill('e2e studio');
            await panel(page).getByRole('button', { name: 'Issue token' }).click();
            const secret = (await panel(page).locator('.imageparser-fleet-secret').innerText()).trim();
            expect(secret.length).toBeGreaterThanOrEqual(20);
            expect(await panel(page).locator('.imageparser-fleet-issued').innerText()).toContain(`imageparser worker --server ${server.url} --token ${secret}`);
            expect(await panel(page).locator('tr[data-token] td').first().innerText()).toBe('e2e studio');

            // The caption worker is active for a few hours around now in Seoul, the visual one all day.
            const now = Date.now();
            captionSchedule = `${clock(new Date(now - 3_600_000), 'Asia/Seoul')}-${clock(new Date(now + 3 * 3_600_000), 'Asia/Seoul')}`;
            startWorker(secret, 'caption', `    activeHours: "${captionSchedule}"\n    timezone: Asia/Seoul\n    idleUnloadMinutes: 10\n`);
            startWorker(secret, 'visual', '    idleUnloadMinutes: 5\n');
            await panel(page).getByRole('button', { name: 'Done' }).click();
            expect(await panel(page).locator('.imageparser-fleet-secret').count()).toBe(0);

            const caption = card(page, 'Captions');
            const visual = card(page, 'Image embeddings');
            await caption.waitFor({ timeout: 60_000 }).catch(error => {
                throw new Error(`${error}\n${workers.map(each => each.output.join('')).join('\n---\n')}`);
            });
            await visual.waitFor({ timeout: 60_000 });
            expect(await panel(page).locator('.imageparser-fleet-worker').count()).toBe(2);
            for (const worker of [caption, visual]) {
                expect(await row(worker, 'connection')).toBe('Connected');
                expect(await row(worker, 'token')).toBe('e2e studio');
                await expect.poll(() => row(worker, 'cpu')).toMatch(/^\d{1,3}%$/);
                expect(await row(worker, 'memory')).toMatch(/^\d{1,3}%$/);
                expect(await row(worker, 'machine')).toMatch(/^\d+ CPU cores, [\d.]+ GB memory/);
                expect(await row(worker, 'heartbeat')).toMatch(/^\d+s ago$/);
            }
            expect(await row(caption, 'schedule')).toBe(`${captionSchedule}, every day (Asia/Seoul)`);
            expect(await row(visual, 'schedule')).toBe('All day, every day');

            // Throughput: the caption worker's jobs done and its rate grow, and the queue's done count with them.
            await expect.poll(() => done(caption), { timeout: 60_000 }).toBeGreaterThan(0);
            const first = await done(caption);
            await expect.poll(() => done(caption), { timeout: 60_000 }).toBeGreaterThan(first);
            await expect.poll(() => row(caption, 'throughput')).toMatch(/^[\d.]*[1-9][\d.]* per minute$/);
            await expect.poll(async () => Number(await queue(page, 'caption', 'done'))).toBeGreaterThan(first);
            // Captions come from an endpoint (no model here to load); the visual worker loaded its model once and kept it.
            expect(await row(caption, 'loads')).toBe('0');
            await expect.poll(() => done(visual)).toBeGreaterThan(0);
            expect([await row(visual, 'loads'), await row(visual, 'unloads')]).toEqual(['1', '0']);
            await saveScreenshot(page, 'fleet-panel-en');

            // Pause: the command goes with the answer to the worker's next heartbeat, and the heartbeat after says paused.
            await caption.getByRole('button', { name: /^Pause / }).click();
            await expect.poll(() => caption.locator('.imageparser-fleet-state').innerText(), { timeout: 2 * HEARTBEAT_MS + 2000 }).toBe('Paused');
            // Jobs it held when the pause came may still end; after that it takes no more.
            await page.waitForTimeout(3 * HEARTBEAT_MS + 2000);
            const settled = await done(caption);
            await page.waitForTimeout(3 * HEARTBEAT_MS);
            expect(await done(caption)).toBe(settled);
            expect(Number(await queue(page, 'caption', 'queued'))).toBeGreaterThan(0);

            // Resume from the palette, which asks which worker.
            await runCommand(page, 'ImageParser: Resume Worker…');
            const item = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Captions' });
            await item.waitFor();
            await item.click();
            await expect.poll(() => caption.locator('.imageparser-fleet-state').innerText(), { timeout: 2 * HEARTBEAT_MS + 2000 }).not.toBe('Paused');
            await expect.poll(() => done(caption), { timeout: 60_000 }).toBeGreaterThan(settled);
            expect([await row(visual, 'loads'), await row(visual, 'unloads')]).toEqual(['1', '0']);
        } finally {
            await page.context().close();
        }
    });

    it('in Korean: roles, states, schedules and labels in Korean, no English left', async () => {
        const page = await openAppPage(browser, server.url, { korean: true });
        try {
            await runCommand(page, 'ImageParser: 워커 관리 표시');
            const caption = card(page, '캡션');
            await caption.waitFor();
            await card(page, '이미지 임베딩').waitFor();
            expect(await caption.locator('.imageparser-fleet-worker-schedule dt').innerText()).toBe('일정');
            expect(await row(caption, 'schedule')).toBe(`${captionSchedule}, 매일 (Asia/Seoul)`);
            expect(await row(caption, 'throughput')).toMatch(/^분당 [\d.]+개$/);
            expect(await panel(page).locator('#imageparser-fleet-queues-heading').innerText()).toBe('작업 대기열');

            // The machine's hostname and the current job's file name are names, not the panel's words.
            const hostnames = await panel(page).locator('.imageparser-fleet-worker-name').allInnerTexts();
            const text = await panel(page).evaluate((element, names) => {
                const copy = element.cloneNode(true) as HTMLElement;
                copy.querySelectorAll('.imageparser-fleet-worker-name, .imageparser-fleet-worker-machine dd, .imageparser-fleet-worker-job dd').forEach(each => each.remove());
                copy.querySelectorAll('[title]').forEach(each => each.removeAttribute('title'));
                const all = [copy.textContent ?? '', ...Array.from(copy.querySelectorAll('[aria-label], [placeholder]'))
                    .flatMap(each => [each.getAttribute('aria-label') ?? '', each.getAttribute('placeholder') ?? ''])].join(' ');
                return names.reduce((rest, name) => rest.split(name).join(' '), all);
            }, hostnames);
            const english = (text.match(/[A-Za-z]{2,}/g) ?? []).filter(word => !LATIN_IN_KOREAN.has(word));
            expect(english).toEqual([]);
            await saveScreenshot(page, 'fleet-panel-ko');
        } finally {
            await page.context().close();
        }
    });
});
