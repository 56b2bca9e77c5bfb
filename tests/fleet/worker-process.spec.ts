import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as os from 'os';
import { writeColourPng } from '../../extensions/archive-core/src/node/test/tiny-models/colour-images';
import { writeTinyImageTextModel } from '../../extensions/archive-core/src/node/test/tiny-models/tiny-image-text-model';
import { FleetApi, HeartbeatRequest, RegisterRequest, WorkerCommand } from '../../extensions/workers/src/common/fleet-protocol';
// Compiled, as the command runs (archive-core's sources and its compiled modules would declare the same errors twice).
import { parseWorkerArguments } from '@imageparser/workers/lib/node/cli/worker-command';
import { criticalEpisodes } from './critical-episodes';
import { ReceivedRequest, ScriptedAnswer, ScriptedFleetServer } from './scripted-fleet-server';

/**
 * `imageparser worker` as a process, against a scripted worker API (what the
 * worker does with the server's answers; the real server's side is in
 * worker-runtime.spec.ts): the tiny CLIP model embeds real previews served
 * by asset id, the model stays loaded for every batch, commands from
 * heartbeat answers are honoured, it never reads stdin and it dies with its parent.
 */
describe('imageparser worker (process)', () => {
    const temp = { folder: fs.mkdtempSync(path.join(os.tmpdir(), 'imageparser-worker-')), remove: () => fs.rmSync(temp.folder, { recursive: true, force: true }) };
    const modelFolder = path.join(temp.folder, 'tiny-clip');
    /**
     * This shared test machine's CPU runs near 100 % (other sessions build and test beside this one):
     * CPU and memory pressure are taken off the throttle so the test is about the commands, and a
     * rest is short. The worker reads its settings file as a user's machine does.
     */
    const settingsFile = path.join(temp.folder, 'user-settings.yaml');
    const previews = new Map<number, Buffer>();
    const colours: [number, number, number][] = [[220, 30, 30], [30, 200, 40], [30, 40, 210], [230, 220, 40]];
    let server: ScriptedFleetServer;
    /** The jobs to hand out (asset ids), and what the test wants the next heartbeat answer to carry. */
    let queued: number[] = [];
    let commands: WorkerCommand[] = [];
    let leases = 0;
    /** The model id the worker registered for the visual phase (the server runs the same folder). */
    let modelId = '';
    const children: ChildProcess[] = [];

    beforeAll(async () => {
        writeTinyImageTextModel(modelFolder, 'clip');
        fs.writeFileSync(settingsFile, [
            'worker:',
            '  schedule:',
            '    idleUnloadMinutes: 0',
            '  throttle:',
            '    warning: { cpuPercent: 100, memoryPercent: 100 }',
            '    danger: { cpuPercent: 100, memoryPercent: 100 }',
            '    critical: { cpuPercent: 100, memoryPercent: 100 }',
            '    dangerRestMs: 300',
            '    warningPauseMs: 0',
            ''
        ].join('\n'));
        for (let id = 1; id <= 16; id++) {
            previews.set(id, fs.readFileSync(await writeColourPng(path.join(temp.folder, 'art'), `picture-${id}`, colours[id % colours.length])));
        }
        server = await ScriptedFleetServer.start(request => answer(request));
    });

    afterEach(() => {
        children.splice(0).forEach(child => child.exitCode === null && child.kill('SIGKILL'));
        queued = [];
        commands = [];
        server.received.splice(0);
    });

    afterAll(async () => {
        await server.close();
        temp.remove();
    });

    function answer(request: ReceivedRequest): ScriptedAnswer {
        if (request.path === FleetApi.REGISTER) {
            modelId = (request.body as RegisterRequest).models.visual ?? '';
        }
        const phases = [{ phase: 'visual', model: modelId }];
        if (request.path === FleetApi.REGISTER) {
            const body = request.body as RegisterRequest;
            return { status: 200, body: { sessionId: `s-${server.to(FleetApi.REGISTER).length}`, role: body.role, phases, heartbeatMs: 250, leaseMs: 30_000 } };
        }
        if (request.path === FleetApi.HEARTBEAT) {
            return { status: 200, body: { commands: commands.splice(0), role: 'visual', lostLeases: [], phases } };
        }
        if (request.path.startsWith(FleetApi.CLAIM)) {
            const { max } = request.body as { max: number };
            const jobs = queued.splice(0, Math.min(max, 3)).map(assetId => ({
                jobId: assetId, assetId, phase: 'visual', model: modelId, contentHash: `hash-${assetId}`,
                leaseToken: `lease-${++leases}`, leaseExpiresAt: Date.now() + 30_000, attempt: 0
            }));
            return { status: 200, body: { jobs } };
        }
        const image = /^\/api\/v1\/assets\/(\d+)\/image/.exec(request.path);
        if (image) {
            const bytes = previews.get(Number(image[1]));
            return bytes ? { status: 200, bytes } : { status: 404, body: { code: 'missing', message: 'no preview' } };
        }
        if (request.path.endsWith('/release')) {
            return { status: 204 };
        }
        return { status: 200, body: { outcome: 'done' } };
    }

    function startWorker(args: string[], options: { ipc?: boolean } = {}) {
        const child = spawn(process.execPath, [CLI, 'worker', ...args], {
            // stdin is a pipe the test never writes to nor closes: a worker that read it would wait forever.
            stdio: ['pipe', 'pipe', 'pipe', ...options.ipc ? ['ipc' as const] : []],
            env: { ...process.env, IMAGEPARSER_VISUAL_MODEL: modelFolder, IMAGEPARSER_MODELS_MEMORY_MB: '256', IMAGEPARSER_WORKER_SETTINGS: settingsFile }
        });
        children.push(child);
        const stderr: string[] = [];
        child.stderr!.on('data', chunk => stderr.push(String(chunk)));
        child.stdout!.on('data', chunk => stderr.push(String(chunk)));
        const exited = new Promise<number | string>(resolve => child.once('exit', (code, signal) => resolve(signal ?? code ?? -1)));
        return { child, stderr, exited };
    }

    const heartbeats = () => server.to(FleetApi.HEARTBEAT).map(request => request.body as HeartbeatRequest);
    const completions = () => server.received.filter(request => request.path.endsWith('/complete'));

    it('embeds every job with its model loaded once for all batches, honours pause and resume, and stops on command', async () => {
        queued = Array.from({ length: 12 }, (_, i) => i + 1);
        const worker = startWorker(['--server', server.url, '--token', 'worker-token-1', '--role', 'visual']);
        await until(() => completions().length === 12, 60_000, 'twelve visual jobs completed').catch(error => {
            throw new Error(`${error.message}; the worker said: ${worker.stderr.join('')}; requests: ${server.received.map(request => request.path).slice(0, 30).join(' ')}`);
        });
        const results = completions().map(request => (request.body as { result: { kind: string; result: { model: string; dimensions: number } } }).result);
        expect(results.every(result => result.kind === 'done' && result.result.model === modelId && result.result.dimensions === 32)).toBe(true);
        const batches = server.to(FleetApi.CLAIM).filter(() => true).length;
        await until(() => heartbeats().some(beat => beat.counters.done === 12), 10_000, 'a heartbeat counting twelve done');
        const counted = heartbeats().find(beat => beat.counters.done === 12)!;
        const episodes = () => criticalEpisodes(heartbeats().map(beat => beat.resources.throttle));
        console.log(`visual worker: 12 jobs in ${batches} claims, counters ${JSON.stringify(counted.counters)}, ${episodes()} critical episodes`);
        expect(counted.counters).toMatchObject({ done: 12, failed: 0 });
        // Loaded once for every batch (again only after a critical unload: see critical-episodes.ts).
        expect(counted.counters.loads).toBeLessThanOrEqual(1 + episodes());
        if (!episodes()) {
            expect(counted.counters).toMatchObject({ loads: 1, unloads: 0 });
        }
        expect(counted.leaseTokens).toEqual([]);
        expect(server.to(FleetApi.REGISTER)[0].body).toMatchObject({ role: 'visual', models: { visual: expect.stringContaining('tiny-clip') }, startedBy: 'cli', protocol: 1 });

        // Pause: the heartbeat after the one that carried it says paused, and nothing more is claimed.
        commands = [{ kind: 'pause' }];
        const sentAt = heartbeats().length;
        await until(() => heartbeats().slice(sentAt + 1).some(beat => beat.state === 'paused'), 5_000, 'a heartbeat saying paused');
        const claimsWhenPaused = server.to(FleetApi.CLAIM).length;
        queued = [13, 14, 15];
        const pausedBeats = heartbeats().length;
        await until(() => heartbeats().length >= pausedBeats + 3, 5_000, 'three more heartbeats while paused');
        expect(server.to(FleetApi.CLAIM).length).toBe(claimsWhenPaused);
        expect(queued).toEqual([13, 14, 15]);

        commands = [{ kind: 'resume' }];
        await until(() => completions().length === 15, 30_000, 'the jobs queued while paused done after resume');
        await until(() => heartbeats().some(beat => beat.counters.done === 15), 10_000, 'a heartbeat counting fifteen done');
        expect(heartbeats().find(beat => beat.counters.done === 15)!.counters.loads).toBeLessThanOrEqual(1 + episodes());

        commands = [{ kind: 'stop' }];
        expect(await worker.exited).toBe(0);
        expect(worker.stderr.join('')).toMatch(episodes() ? /worker stopped: 15 done, 0 failed, \d+ model loads?, \d+ unloads?/
            : /worker stopped: 15 done, 0 failed, 1 model load, 1 unload/);
    }, 120_000);

    it('gives a held job back and exits when its parent goes away (IPC disconnect)', async () => {
        const worker = startWorker(['--server', server.url, '--token', 'worker-token-1', '--role', 'visual'], { ipc: true });
        await until(() => heartbeats().length >= 1, 30_000, 'the worker heartbeating');
        worker.child.disconnect();
        expect(await worker.exited).toBe(0);
        expect(worker.stderr.join('')).toMatch(/parent process is gone/);
    }, 60_000);

    it('exits when its parent is killed (no IPC: the parent pid check)', async () => {
        const parentScript = `const { spawn } = require('child_process');
const child = spawn(process.execPath, ${JSON.stringify([CLI, 'worker', '--server', server.url, '--token', 'worker-token-1', '--role', 'visual'])},
    { stdio: ['pipe', 'ignore', 'ignore'], env: { ...process.env, IMAGEPARSER_VISUAL_MODEL: ${JSON.stringify(modelFolder)}, IMAGEPARSER_WORKER_SETTINGS: ${JSON.stringify(settingsFile)} } });
process.stdout.write(String(child.pid) + '\\n');
setInterval(() => undefined, 1000);`;
        const parent = spawn(process.execPath, ['-e', parentScript], { stdio: ['ignore', 'pipe', 'inherit'] });
        children.push(parent);
        const workerPid = await new Promise<number>(resolve => parent.stdout!.once('data', chunk => resolve(Number(String(chunk).trim()))));
        await until(() => heartbeats().length >= 1, 30_000, 'the worker heartbeating');
        parent.kill('SIGKILL');
        await until(() => !isAlive(workerPid), 15_000, 'the orphaned worker to exit');
    }, 60_000);

    it('refuses wrong arguments with status 2 and a revoked token with status 1', async () => {
        const noServer = startWorker(['--token', 'worker-token-1']);
        expect(await noServer.exited).toBe(2);
        expect(noServer.stderr.join('')).toMatch(/--server is needed/);
        const badRole = startWorker(['--server', server.url, '--token', 'worker-token-1', '--role', 'painter']);
        expect(await badRole.exited).toBe(2);
        expect(badRole.stderr.join('')).toMatch(/--role must be one of caption, visual, text, ocr, all, auto, not painter/);

        const refusing = await ScriptedFleetServer.start(() => ({ status: 401, body: { code: 'revoked', message: 'This token was revoked' } }));
        try {
            const revoked = startWorker(['--server', refusing.url, '--token', 'worker-token-1', '--role', 'visual']);
            expect(await revoked.exited).toBe(1);
            expect(revoked.stderr.join('')).toMatch(/refused this worker: .*401 This token was revoked/);
        } finally {
            await refusing.close();
        }
    }, 60_000);

    it('reads the server and token from the environment and the role defaults to auto', () => {
        expect(parseWorkerArguments([], { IMAGEPARSER_SERVER_URL: 'http://server:3000', IMAGEPARSER_WORKER_TOKEN: 'abc' }))
            .toMatchObject({ server: 'http://server:3000', token: 'abc', role: 'auto' });
        expect(parseWorkerArguments(['--server=http://a:1', '--token', 'x', '--settings', 'user-settings.yaml'], {}))
            .toMatchObject({ server: 'http://a:1', token: 'x', settings: 'user-settings.yaml' });
        expect(parseWorkerArguments(['--token'], {})).toEqual({ error: '--token needs a value' });
        expect(parseWorkerArguments(['serve'], {})).toEqual({ error: 'unexpected argument serve' });
    });
});

/** Whether the pid runs (a zombie waiting for its reaper counts as gone). */
function isAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
    } catch {
        return false;
    }
    try {
        return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
        return false;
    }
}

/** The compiled `imageparser` command. */
const CLI = path.resolve(__dirname, '../../extensions/archive-core/lib/node/cli/imageparser.js');

/** Polls until the condition holds; throws after the time limit (a hang, not a slow machine, is what it catches). */
async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
        if (Date.now() > deadline) {
            throw new Error(`Gave up waiting for ${what}`);
        }
        await new Promise(resolve => setTimeout(resolve, 20));
    }
}
