import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OpenAiTestServer } from '../../extensions/archive-core/src/node/test/openai-test-server';
import { writeColourPng } from '../../extensions/archive-core/src/node/test/tiny-models/colour-images';
import { writeTinyImageTextModel } from '../../extensions/archive-core/src/node/test/tiny-models/tiny-image-text-model';
import { writeTinySentenceModel } from '../../extensions/archive-core/src/node/test/tiny-models/tiny-sentence-model';
import { AiFleetServer, startAiFleetServer } from './ai-fleet-server';
import { archiveRows, archiveValue, makeFleetTempFolder } from './fleet-test-archive';

const CLI = path.resolve(__dirname, '../../extensions/archive-core/lib/node/cli/imageparser.js');
/** A heartbeat a second: a session is lost after three missed ones, which a busy test machine never stalls a worker for. */
const HEARTBEAT_MS = 1000;
const COLOURS: [number, number, number][] = [[220, 30, 30], [30, 200, 40], [30, 40, 210], [230, 220, 40], [240, 240, 240], [20, 20, 20]];

/**
 * The worker runtime end to end: a real server (archive, queue, worker API
 * in this process, its own phase workers off) and real `imageparser worker`
 * processes with the tiny models (CLIP for visual, the sentence model for
 * text, captions from an OpenAI-compatible test endpoint). Every AI phase is
 * done through the worker API and stored in the archive; a worker keeps its
 * models loaded between batches; a pause command from the server reaches it
 * within one heartbeat.
 */
describe('imageparser worker against a real server', () => {
    const temp = makeFleetTempFolder('imageparser-worker-runtime-');
    const models = { visual: path.join(temp.folder, 'models', 'tiny-clip'), text: path.join(temp.folder, 'models', 'tiny-sentence') };
    const settingsFile = path.join(temp.folder, 'user-settings.yaml');
    const captions = new OpenAiTestServer();
    let server: AiFleetServer;
    let token: string;
    const workers: ChildProcess[] = [];

    beforeAll(async () => {
        writeTinyImageTextModel(models.visual, 'clip');
        writeTinySentenceModel(models.text);
        // This shared test machine's CPU runs near 100 %: CPU and memory are off the throttle (see worker-process.spec.ts).
        fs.writeFileSync(settingsFile, ['worker:', '  schedule:', '    idleUnloadMinutes: 0', '  throttle:',
            '    warning: { cpuPercent: 100, memoryPercent: 100 }', '    danger: { cpuPercent: 100, memoryPercent: 100 }',
            '    critical: { cpuPercent: 100, memoryPercent: 100 }', '    dangerRestMs: 300', '    warningPauseMs: 0', ''].join('\n'));
        await captions.start();
        server = await startAiFleetServer(path.join(temp.folder, 'archive'), {
            caption: { provider: 'openai-compatible', endpoint: captions.endpoint, model: 'test-vlm', language: 'en', timeoutMs: 10_000, concurrency: 1 },
            visual: { provider: 'transformers', modelPath: models.visual },
            text: { provider: 'transformers', modelPath: models.text, includeOcr: false }
        }, HEARTBEAT_MS);
        token = await server.issueToken('테스트 작업자');
    }, 60_000);

    afterEach(() => {
        workers.splice(0).forEach(child => child.exitCode === null && child.kill('SIGKILL'));
    });

    afterAll(async () => {
        await server?.close();
        await captions.stop();
        temp.remove();
    });

    function startWorker(role: string) {
        const child = spawn(process.execPath, [CLI, 'worker', '--server', server.base, '--role', role, '--settings', settingsFile], {
            stdio: ['pipe', 'pipe', 'pipe'],
            env: {
                ...process.env, IMAGEPARSER_WORKER_TOKEN: token, IMAGEPARSER_CAPTION_ENDPOINT: captions.endpoint, IMAGEPARSER_CAPTION_MODEL: 'test-vlm',
                IMAGEPARSER_VISUAL_MODEL: models.visual, IMAGEPARSER_TEXT_MODEL: models.text, IMAGEPARSER_MODELS_MEMORY_MB: '256'
            }
        });
        workers.push(child);
        const output: string[] = [];
        child.stderr!.on('data', chunk => output.push(String(chunk)));
        child.stdout!.on('data', chunk => output.push(String(chunk)));
        const exited = new Promise<number | string>(resolve => child.once('exit', (code, signal) => resolve(signal ?? code ?? -1)));
        return { child, output, exited };
    }

    const phaseDone = (phase: string) => archiveValue<number>(server.folder, "SELECT count(*) FROM phase_states WHERE phase = ? AND state = 'done'", phase);

    it('does every AI phase of every asset through the worker API, with its models loaded once for all batches', async () => {
        const art = path.join(temp.folder, 'art-1');
        for (let i = 0; i < 9; i++) {
            // Each its own content (a size of its own), so each is an asset.
            await writeColourPng(art, `그림-${i}`, COLOURS[i % COLOURS.length], 90 + i, 64);
        }
        await server.ingest(art);
        const assets = archiveValue<number>(server.folder, 'SELECT count(*) FROM assets');
        expect(assets).toBe(9);
        const worker = startWorker('all');
        // The throttle level of each heartbeat (told apart by their counters, each heartbeat bringing its own object).
        const levels: (string | undefined)[] = [];
        let lastCounters: object | undefined;
        const listening = server.registry.onDidChange(() => server.registry.sessions().forEach(session => {
            if (session.counters !== lastCounters) {
                lastCounters = session.counters;
                levels.push(session.resources?.throttle);
            }
        }));
        await until(() => ['caption', 'visual', 'text'].every(phase => phaseDone(phase) === assets), 90_000,
            () => `every phase done (caption ${phaseDone('caption')}, visual ${phaseDone('visual')}, text ${phaseDone('text')}); the worker said ${worker.output.join('')}`);

        // Stored as the in-process phases store them: captions in English, vectors in each model's index.
        const stored = archiveRows<{ text: string }>(server.folder, "SELECT text FROM asset_captions WHERE language = 'en'");
        expect(stored).toHaveLength(assets);
        // Each picture's caption names its own colour: the endpoint was sent the preview of that asset.
        const named = stored.map(row => /red|green|blue|yellow|white|black/i.exec(row.text)?.[0].toLowerCase()).sort();
        expect(named).toEqual(['black', 'blue', 'blue', 'green', 'green', 'red', 'red', 'white', 'yellow']);
        // The worker's session now (a worker the server lost track of registers again, its counters going on).
        const session = server.registry.sessions().filter(each => !each.lost).at(-1)!;
        await until(() => session.counters.done === 3 * assets, 10_000, () => `the heartbeat counting ${3 * assets} done: ${JSON.stringify(session.counters)}`);
        listening.dispose();
        console.log(`worker (all): ${assets} assets × 3 phases, counters ${JSON.stringify(session.counters)}, state ${session.state}, `
            + `throttle ${[...new Set(levels.filter(Boolean))].join('/')} over ${levels.length} heartbeats`);
        // Two local models (CLIP, sentence); captions are an endpoint's. Loaded once each, for every batch.
        expect(session.counters).toMatchObject({ done: 27, failed: 0, loads: 2, unloads: 0 });

        // Stopped by its server: it gives back what it holds, unloads, and exits 0.
        await server.registry.command(session.id, { kind: 'stop' });
        expect(await worker.exited).toBe(0);
        expect(worker.output.join('')).toMatch(/worker stopped: 27 done, 0 failed, 2 model loads, 2 unloads/);
    }, 150_000);

    it('honours a pause command within one heartbeat, claims nothing while paused, and works again on resume', async () => {
        const worker = startWorker('visual');
        await until(() => server.registry.sessions().some(session => session.state === 'active' && !session.lost && !session.commands.length
            && session.counters.done === 0), 30_000, () => `the visual worker registered: ${worker.output.join('')}`);
        const session = server.registry.sessions().find(each => !each.lost && each.counters.done === 0 && each.state === 'active')!;
        // Heartbeats are told apart by their counters (each heartbeat brings its own object).
        const beats: string[] = [];
        let counters = session.counters;
        const listening = server.registry.onDidChange(() => {
            if (session.counters !== counters) {
                counters = session.counters;
                beats.push(session.state);
            }
        });
        await server.registry.command(session.id, { kind: 'pause' });
        await until(() => session.state === 'paused', 30_000, () => `the worker paused; it is ${session.state} after ${beats.length} heartbeats; it said ${worker.output.join('')}`);
        listening.dispose();
        console.log(`heartbeats after the pause command: ${beats.join(', ')}`);
        // The heartbeat that carried the command reported the state before it; the one after it says paused.
        expect(beats.length).toBeLessThanOrEqual(2);
        expect(beats[beats.length - 1]).toBe('paused');

        // Jobs it held when the pause came are finished; none is claimed after.
        await until(() => session.leases.size === 0, 30_000, () => 'the jobs in hand finished');
        const before = phaseDone('visual');
        const art = path.join(temp.folder, 'art-2');
        for (let i = 0; i < 4; i++) {
            await writeColourPng(art, `paused-${i}`, COLOURS[(i + 2) % COLOURS.length], 80 + i, 80);
        }
        await server.ingest(art);
        await new Promise(resolve => setTimeout(resolve, 5 * HEARTBEAT_MS));
        expect(phaseDone('visual')).toBe(before);
        expect(session.leases.size).toBe(0);

        await server.registry.command(session.id, { kind: 'resume' });
        await until(() => phaseDone('visual') === before + 4, 30_000, () => `the four images embedded after resume (${phaseDone('visual') - before})`);
        expect(session.state).toBe('active');
        worker.child.kill('SIGTERM');
        expect(await worker.exited).toBe(0);
    }, 90_000);
});

async function until(condition: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
        if (Date.now() > deadline) {
            throw new Error(`Gave up waiting for ${what()}`);
        }
        await new Promise(resolve => setTimeout(resolve, 25));
    }
}
