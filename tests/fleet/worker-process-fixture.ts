import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeColourPng } from '../../extensions/archive-core/src/node/test/tiny-models/colour-images';
import { OpenAiTestServer } from '../../extensions/archive-core/src/node/test/openai-test-server';
import { writeTinyImageTextModel } from '../../extensions/archive-core/src/node/test/tiny-models/tiny-image-text-model';
import { writeTinySentenceModel } from '../../extensions/archive-core/src/node/test/tiny-models/tiny-sentence-model';
import { FleetApi, HeartbeatRequest, RegisterRequest, WorkerCommand } from '../../extensions/workers/src/common/fleet-protocol';
import { ReceivedRequest, ScriptedAnswer, ScriptedFleetServer } from './scripted-fleet-server';

/** The compiled `imageparser` command. */
export const CLI = path.resolve(__dirname, '../../extensions/archive-core/lib/node/cli/imageparser.js');

const COLOURS: [number, number, number][] = [[220, 30, 30], [30, 200, 40], [30, 40, 210], [230, 220, 40]];

/** A running `imageparser worker`, what it printed and how it ended. */
export interface WorkerProcess {
    readonly child: ChildProcess;
    readonly stderr: string[];
    readonly exited: Promise<number | string>;
}

/**
 * `imageparser worker` processes against a scripted worker API (what the
 * worker does with the server's answers; the real server's side is in
 * worker-runtime.spec.ts): the tiny CLIP and sentence models, a caption test
 * endpoint, previews of colour pictures served by asset id, and per-phase
 * queues, commands and the role the test sets for the next answers.
 */
export class WorkerProcessFixture {
    readonly folder = fs.mkdtempSync(path.join(os.tmpdir(), 'imageparser-worker-'));
    readonly modelFolder = path.join(this.folder, 'tiny-clip');
    readonly textModelFolder = path.join(this.folder, 'tiny-sentence');
    /**
     * This shared test machine's CPU runs near 100 % (other sessions build and test beside this one):
     * CPU and memory are taken off the throttle (a limit of 100 % is never passed), so the
     * tests are about the commands. The worker reads its settings file as a user's machine does.
     */
    readonly settingsFile = path.join(this.folder, 'user-settings.yaml');
    readonly captions = new OpenAiTestServer();
    server: ScriptedFleetServer;
    /** The jobs to hand out per phase (asset ids). */
    queued: Record<string, number[]> = { visual: [], text: [], caption: [] };
    /** What the next heartbeat answer carries. */
    commands: WorkerCommand[] = [];
    /** The role heartbeat answers give (a change-role command changes it, as on a real server). */
    role = 'visual';
    leases = 0;
    /** The model ids the worker registered per phase (the server runs the same models). */
    models: Partial<Record<string, string>> = {};
    protected readonly previews = new Map<number, Buffer>();
    protected readonly children: ChildProcess[] = [];

    async setUp(): Promise<void> {
        writeTinyImageTextModel(this.modelFolder, 'clip');
        writeTinySentenceModel(this.textModelFolder);
        await this.captions.start();
        fs.writeFileSync(this.settingsFile, [
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
            this.previews.set(id, fs.readFileSync(await writeColourPng(path.join(this.folder, 'art'), `picture-${id}`, COLOURS[id % COLOURS.length])));
        }
        this.server = await ScriptedFleetServer.start(request => this.answer(request));
    }

    /** Kills what a test left running and empties the queues. */
    reset(): void {
        this.children.splice(0).forEach(child => child.exitCode === null && child.kill('SIGKILL'));
        this.queued = { visual: [], text: [], caption: [] };
        this.commands = [];
        this.role = 'visual';
        this.server.received.splice(0);
        this.captions.mode = 'good';
    }

    async tearDown(): Promise<void> {
        await this.server.close();
        await this.captions.stop();
        fs.rmSync(this.folder, { recursive: true, force: true });
    }

    /** Starts `imageparser worker` with these arguments; stdin is a pipe the test never writes to nor closes (a worker that read it would wait forever). */
    startWorker(args: string[], options: { ipc?: boolean } = {}): WorkerProcess {
        const child = spawn(process.execPath, [CLI, 'worker', ...args], {
            stdio: ['pipe', 'pipe', 'pipe', ...options.ipc ? ['ipc' as const] : []],
            env: { ...process.env, ...this.workerEnvironment() }
        });
        this.children.push(child);
        const stderr: string[] = [];
        child.stderr!.on('data', chunk => stderr.push(String(chunk)));
        child.stdout!.on('data', chunk => stderr.push(String(chunk)));
        const exited = new Promise<number | string>(resolve => child.once('exit', (code, signal) => resolve(signal ?? code ?? -1)));
        return { child, stderr, exited };
    }

    /** A process the test started that {@link reset} kills if it still runs. */
    track(child: ChildProcess): void {
        this.children.push(child);
    }

    /** The AI settings and the settings file a worker machine has, as environment variables. */
    workerEnvironment(): Record<string, string> {
        return {
            IMAGEPARSER_VISUAL_MODEL: this.modelFolder, IMAGEPARSER_TEXT_MODEL: this.textModelFolder, IMAGEPARSER_CAPTION_ENDPOINT: this.captions.endpoint,
            IMAGEPARSER_CAPTION_MODEL: 'test-vlm', IMAGEPARSER_MODELS_MEMORY_MB: '256', IMAGEPARSER_WORKER_SETTINGS: this.settingsFile
        };
    }

    heartbeats(): HeartbeatRequest[] {
        return this.server.to(FleetApi.HEARTBEAT).map(request => request.body as HeartbeatRequest);
    }

    completions(): ReceivedRequest[] {
        return this.server.received.filter(request => request.path.endsWith('/complete'));
    }

    protected answer(request: ReceivedRequest): ScriptedAnswer {
        if (request.path === FleetApi.REGISTER) {
            this.models = (request.body as RegisterRequest).models;
            this.role = (request.body as RegisterRequest).role;
        }
        const phases = Object.entries(this.models).map(([phase, model]) => ({ phase, model }));
        if (request.path === FleetApi.REGISTER) {
            return { status: 200, body: { sessionId: `s-${this.server.to(FleetApi.REGISTER).length}`, role: this.role, phases, heartbeatMs: 250, leaseMs: 30_000 } };
        }
        if (request.path === FleetApi.HEARTBEAT) {
            const sent = this.commands.splice(0);
            sent.forEach(command => this.role = command.kind === 'change-role' ? command.role : this.role);
            return { status: 200, body: { commands: sent, role: this.role, lostLeases: [], phases } };
        }
        if (request.path.startsWith(FleetApi.CLAIM)) {
            const { max, phases: asked } = request.body as { max: number; phases: string[] };
            const phase = asked.find(each => this.queued[each]?.length) ?? asked[0];
            const jobs = (this.queued[phase] ?? []).splice(0, Math.min(max, 3)).map(assetId => ({
                jobId: assetId, assetId, phase, model: this.models[phase] ?? '', contentHash: `hash-${assetId}`,
                leaseToken: `lease-${++this.leases}`, leaseExpiresAt: Date.now() + 30_000, attempt: 0
            }));
            return { status: 200, body: { jobs } };
        }
        if (/^\/api\/v1\/assets\/\d+\/text/.test(request.path)) {
            return { status: 200, body: { text: '빨간 고양이 a red cat on a mat' } };
        }
        const image = /^\/api\/v1\/assets\/(\d+)\/image/.exec(request.path);
        if (image) {
            const bytes = this.previews.get(Number(image[1]));
            return bytes ? { status: 200, bytes } : { status: 404, body: { code: 'missing', message: 'no preview' } };
        }
        if (request.path.endsWith('/release')) {
            return { status: 204 };
        }
        return { status: 200, body: { outcome: 'done' } };
    }
}

/** Whether the pid runs (a zombie waiting for its reaper counts as gone). */
export function isAlive(pid: number): boolean {
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

/** Polls until the condition holds; throws after the time limit (a hang, not a slow machine, is what it catches). */
export async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
        if (Date.now() > deadline) {
            throw new Error(`Gave up waiting for ${what}`);
        }
        await new Promise(resolve => setTimeout(resolve, 20));
    }
}
