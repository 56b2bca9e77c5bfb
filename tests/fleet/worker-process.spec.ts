import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as os from 'os';
import { writeColourPng } from '../../extensions/archive-core/src/node/test/tiny-models/colour-images';
import { OpenAiTestServer } from '../../extensions/archive-core/src/node/test/openai-test-server';
import { writeTinyImageTextModel } from '../../extensions/archive-core/src/node/test/tiny-models/tiny-image-text-model';
import { writeTinySentenceModel } from '../../extensions/archive-core/src/node/test/tiny-models/tiny-sentence-model';
import { FleetApi, HeartbeatRequest, RegisterRequest, WorkerCommand } from '../../extensions/workers/src/common/fleet-protocol';
// Compiled, as the command runs (archive-core's sources and its compiled modules would declare the same errors twice).
import { parseWorkerArguments } from '@imageparser/workers/lib/node/cli/worker-command';
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
     * CPU and memory are taken off the throttle (`off`, as a user sharing a machine would), so the
     * test is about the commands. The worker reads its settings file as a user's machine does.
     */
    const settingsFile = path.join(temp.folder, 'user-settings.yaml');
    const textModelFolder = path.join(temp.folder, 'tiny-sentence');
    const previews = new Map<number, Buffer>();
    const colours: [number, number, number][] = [[220, 30, 30], [30, 200, 40], [30, 40, 210], [230, 220, 40]];
    let server: ScriptedFleetServer;
    /** The jobs to hand out per phase (asset ids), and what the test wants the next heartbeat answer to carry. */
    let queued: Record<string, number[]> = { visual: [], text: [], caption: [] };
    let commands: WorkerCommand[] = [];
    /** The role heartbeat answers give (a change-role command changes it on a real server). */
    let role = 'visual';
    let leases = 0;
    /** The model ids the worker registered per phase (the server runs the same models). */
    let models: Partial<Record<string, string>> = {};
    const captions = new OpenAiTestServer();
    const children: ChildProcess[] = [];

    beforeAll(async () => {
        writeTinyImageTextModel(modelFolder, 'clip');
        writeTinySentenceModel(textModelFolder);
        await captions.start();
        fs.writeFileSync(settingsFile, [
            'worker:',
            '  schedule:',
            '    idleUnloadMinutes: 0',
            '  throttle:',
            '    warning: { cpuPercent: off, memoryPercent: off }',
            '    danger: { cpuPercent: off, memoryPercent: off }',
            '    critical: { cpuPercent: off, memoryPercent: off }',
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
        queued = { visual: [], text: [], caption: [] };
        commands = [];
        role = 'visual';
        server.received.splice(0);
        captions.mode = 'good';
    });

    afterAll(async () => {
        await server.close();
        await captions.stop();
        temp.remove();
    });

    function answer(request: ReceivedRequest): ScriptedAnswer {
        if (request.path === FleetApi.REGISTER) {
            models = (request.body as RegisterRequest).models;
            role = (request.body as RegisterRequest).role;
        }
        const phases = Object.entries(models).map(([phase, model]) => ({ phase, model }));
        if (request.path === FleetApi.REGISTER) {
            return { status: 200, body: { sessionId: `s-${server.to(FleetApi.REGISTER).length}`, role, phases, heartbeatMs: 250, leaseMs: 30_000 } };
        }
        if (request.path === FleetApi.HEARTBEAT) {
            const sent = commands.splice(0);
            sent.forEach(command => role = command.kind === 'change-role' ? command.role : role);
            return { status: 200, body: { commands: sent, role, lostLeases: [], phases } };
        }
        if (request.path.startsWith(FleetApi.CLAIM)) {
            const { max, phases: asked } = request.body as { max: number; phases: string[] };
            const phase = asked.find(each => queued[each]?.length) ?? asked[0];
            const jobs = (queued[phase] ?? []).splice(0, Math.min(max, 3)).map(assetId => ({
                jobId: assetId, assetId, phase, model: models[phase] ?? '', contentHash: `hash-${assetId}`,
                leaseToken: `lease-${++leases}`, leaseExpiresAt: Date.now() + 30_000, attempt: 0
            }));
            return { status: 200, body: { jobs } };
        }
        if (/^\/api\/v1\/assets\/\d+\/text/.test(request.path)) {
            return { status: 200, body: { text: '빨간 고양이 a red cat on a mat' } };
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
            env: { ...process.env, ...workerEnvironment() }
        });
        children.push(child);
        const stderr: string[] = [];
        child.stderr!.on('data', chunk => stderr.push(String(chunk)));
        child.stdout!.on('data', chunk => stderr.push(String(chunk)));
        const exited = new Promise<number | string>(resolve => child.once('exit', (code, signal) => resolve(signal ?? code ?? -1)));
        return { child, stderr, exited };
    }

    /** The AI settings and the settings file a worker machine has, as environment variables. */
    function workerEnvironment(): Record<string, string> {
        return {
            IMAGEPARSER_VISUAL_MODEL: modelFolder, IMAGEPARSER_TEXT_MODEL: textModelFolder, IMAGEPARSER_CAPTION_ENDPOINT: captions.endpoint,
            IMAGEPARSER_CAPTION_MODEL: 'test-vlm', IMAGEPARSER_MODELS_MEMORY_MB: '256', IMAGEPARSER_WORKER_SETTINGS: settingsFile
        };
    }

    const heartbeats = () => server.to(FleetApi.HEARTBEAT).map(request => request.body as HeartbeatRequest);
    const completions = () => server.received.filter(request => request.path.endsWith('/complete'));

    it('embeds every job with its model loaded once for all batches, honours pause and resume, and stops on command', async () => {
        queued.visual = Array.from({ length: 12 }, (_, i) => i + 1);
        const worker = startWorker(['--server', server.url, '--token', 'worker-token-1', '--role', 'visual']);
        await until(() => completions().length === 12, 60_000, 'twelve visual jobs completed').catch(error => {
            throw new Error(`${error.message}; the worker said: ${worker.stderr.join('')}; requests: ${server.received.map(request => request.path).slice(0, 30).join(' ')}`);
        });
        const results = completions().map(request => (request.body as { result: { kind: string; result: { model: string; dimensions: number } } }).result);
        expect(results.every(result => result.kind === 'done' && result.result.model === models.visual && result.result.dimensions === 32)).toBe(true);
        const batches = server.to(FleetApi.CLAIM).filter(() => true).length;
        await until(() => heartbeats().some(beat => beat.counters.done === 12), 10_000, 'a heartbeat counting twelve done');
        const counted = heartbeats().find(beat => beat.counters.done === 12)!;
        console.log(`visual worker: 12 jobs in ${batches} claims, counters ${JSON.stringify(counted.counters)}`);
        // The model loaded once and stayed for every batch.
        expect(counted.counters).toMatchObject({ done: 12, failed: 0, loads: 1, unloads: 0 });
        expect(counted.leaseTokens).toEqual([]);
        expect(server.to(FleetApi.REGISTER)[0].body).toMatchObject({
            role: 'visual', startedBy: 'cli', protocol: 1,
            models: { visual: expect.stringContaining('tiny-clip'), text: expect.stringContaining('tiny-sentence'), caption: expect.stringContaining('test-vlm') }
        });

        // Pause: the heartbeat after the one that carried it says paused, and nothing more is claimed.
        commands = [{ kind: 'pause' }];
        const sentAt = heartbeats().length;
        await until(() => heartbeats().slice(sentAt + 1).some(beat => beat.state === 'paused'), 5_000, 'a heartbeat saying paused');
        const claimsWhenPaused = server.to(FleetApi.CLAIM).length;
        queued.visual = [13, 14, 15];
        const pausedBeats = heartbeats().length;
        await until(() => heartbeats().length >= pausedBeats + 3, 5_000, 'three more heartbeats while paused');
        expect(server.to(FleetApi.CLAIM).length).toBe(claimsWhenPaused);
        expect(queued.visual).toEqual([13, 14, 15]);

        commands = [{ kind: 'resume' }];
        await until(() => completions().length === 15, 30_000, 'the jobs queued while paused done after resume');
        await until(() => heartbeats().some(beat => beat.counters.done === 15), 10_000, 'a heartbeat counting fifteen done');
        expect(heartbeats().find(beat => beat.counters.done === 15)!.counters).toMatchObject({ loads: 1, unloads: 0 });

        commands = [{ kind: 'stop' }];
        expect(await worker.exited).toBe(0);
        expect(worker.stderr.join('')).toMatch(/worker stopped: 15 done, 0 failed, 1 model load, 1 unload/);
    }, 120_000);

    it('follows its governor: half batches at warning, no claims and "paused" reported at critical', async () => {
        const throttled = (level: 'warning' | 'critical') => {
            const file = path.join(temp.folder, `${level}-settings.yaml`);
            // Memory at 0 % or more always reaches the limit: this machine is at that level the whole run.
            fs.writeFileSync(file, `worker:\n  throttle:\n    warning: { cpuPercent: off${level === 'warning' ? ', memoryPercent: 0' : ', memoryPercent: off'} }\n`
                + `    danger: { cpuPercent: off, memoryPercent: off }\n    critical: { cpuPercent: off${level === 'critical' ? ', memoryPercent: 0' : ', memoryPercent: off'} }\n`
                + '    warningPauseMs: 0\n    dangerRestMs: 300\n');
            return file;
        };
        queued.visual = [1, 2, 3, 4, 5, 6];
        const normal = startWorker(['--server', server.url, '--token', 'worker-token-1', '--role', 'visual']);
        await until(() => completions().length === 6, 60_000, 'six jobs at normal');
        const fullBatch = (server.to(FleetApi.CLAIM)[0].body as { max: number }).max;
        normal.child.kill('SIGTERM');
        await normal.exited;
        server.received.splice(0);

        queued.visual = [7, 8, 9];
        const warned = startWorker(['--server', server.url, '--token', 'worker-token-1', '--role', 'visual', '--settings', throttled('warning')]);
        await until(() => completions().length === 3, 60_000, 'three jobs at warning');
        const maxes = server.to(FleetApi.CLAIM).map(request => (request.body as { max: number }).max);
        console.log(`claim size at normal ${fullBatch}, at warning ${[...new Set(maxes)].join('/')}`);
        expect(fullBatch).toBeGreaterThan(1);
        // Half the batch the model's memory allows (which shrinks a little once the model's weights hold their share).
        expect(maxes.every(max => max >= 1 && max <= Math.floor(fullBatch / 2))).toBe(true);
        expect(heartbeats().at(-1)!.resources.throttle).toBe('warning');
        warned.child.kill('SIGTERM');
        await warned.exited;
        server.received.splice(0);

        queued.visual = [10, 11];
        const critical = startWorker(['--server', server.url, '--token', 'worker-token-1', '--role', 'visual', '--settings', throttled('critical')]);
        await until(() => heartbeats().length >= 4, 30_000, 'four heartbeats at critical');
        expect(heartbeats().slice(1).every(beat => beat.state === 'paused' && beat.resources.throttle === 'critical')).toBe(true);
        expect(server.to(FleetApi.CLAIM)).toHaveLength(0);
        expect(queued.visual).toEqual([10, 11]);
        critical.child.kill('SIGTERM');
        expect(await critical.exited).toBe(0);
    }, 150_000);

    it('changes role on command: the old phase stops, its model unloads, the new phase runs', async () => {
        queued.visual = [1, 2, 3];
        const worker = startWorker(['--server', server.url, '--token', 'worker-token-1', '--role', 'visual']);
        await until(() => completions().length === 3, 60_000, 'three visual jobs');
        commands = [{ kind: 'change-role', role: 'text' }];
        const changedAt = server.received.length;
        const claimsOf = (from: number) => server.received.slice(from).filter(request => request.path.startsWith(FleetApi.CLAIM))
            .map(request => (request.body as { phases: string[] }).phases.join());
        await until(() => claimsOf(changedAt).includes('text'), 30_000, 'a claim of the text phase');
        const textFrom = server.received.length;
        queued.visual = [4, 5];
        queued.text = [6, 7, 8, 9];
        await until(() => completions().length === 7, 60_000, 'four text jobs after the change');
        const textResults = completions().slice(3).map(request => (request.body as { result: { result: { model: string } } }).result.result.model);
        expect(textResults.every(model => model === models.text)).toBe(true);
        // After the change only the text phase is claimed: the visual jobs are left to other workers.
        expect(claimsOf(textFrom).every(phases => phases === 'text')).toBe(true);
        expect(queued.visual).toEqual([4, 5]);
        await until(() => heartbeats().some(beat => beat.counters.done === 7), 10_000, 'a heartbeat counting seven done');
        const counters = heartbeats().find(beat => beat.counters.done === 7)!.counters;
        console.log(`after change-role visual → text: ${JSON.stringify(counters)}`);
        // The visual model was unloaded when the role changed; the text model loaded for the new role.
        expect(counters).toMatchObject({ done: 7, loads: 2, unloads: 1 });
        worker.child.kill('SIGTERM');
        expect(await worker.exited).toBe(0);
    }, 120_000);

    it('on SIGTERM gives the job it works on back to the server and exits', async () => {
        // The caption endpoint takes long: the job is in hand when the signal comes.
        captions.mode = 'slow';
        captions.slowMs = 60_000;
        queued.caption = [1];
        const worker = startWorker(['--server', server.url, '--token', 'worker-token-1', '--role', 'caption']);
        await until(() => captions.requests >= 1, 60_000, 'the caption request under way');
        worker.child.kill('SIGTERM');
        expect(await worker.exited).toBe(0);
        const released = server.received.filter(request => request.path.endsWith('/release')).map(request => request.path);
        expect(released).toEqual([`${FleetApi.JOBS}/lease-${leases}/release`]);
        expect(completions()).toHaveLength(0);
    }, 90_000);

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

            // Revoked while it runs: its next heartbeat is refused, it stops and exits 1 too.
            let beats = 0;
            refusing.script = request => request.path === FleetApi.REGISTER
                ? { status: 200, body: { sessionId: 'r-1', role: 'visual', phases: [], heartbeatMs: 200, leaseMs: 30_000 } }
                : request.path === FleetApi.HEARTBEAT && ++beats > 2 ? { status: 401, body: { code: 'revoked', message: 'This token was revoked' } }
                    : request.path === FleetApi.HEARTBEAT ? { status: 200, body: { commands: [], role: 'visual', lostLeases: [], phases: [] } }
                        : { status: 200, body: { jobs: [] } };
            const later = startWorker(['--server', refusing.url, '--token', 'worker-token-1', '--role', 'visual']);
            expect(await later.exited).toBe(1);
            expect(later.stderr.join('')).toMatch(/worker registered[\s\S]*refused this worker: .*401 This token was revoked/);
        } finally {
            await refusing.close();
        }
    }, 60_000);

    it('keeps trying to register while the server is down, and a SIGTERM then ends it with status 0', async () => {
        const down = await ScriptedFleetServer.start(() => ({ status: 503, body: { code: 'starting', message: 'not yet' } }));
        const url = down.url;
        await down.close();
        const worker = startWorker(['--server', url, '--token', 'worker-token-1', '--role', 'visual']);
        await until(() => /registering again in/.test(worker.stderr.join('')), 30_000, 'a second try to register');
        worker.child.kill('SIGTERM');
        expect(await worker.exited).toBe(0);
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
