/**
 * The engine behind a real server: `imageparser serve` (a child process) over
 * a fresh archive whose phases are the bench's (`fleet-bench-phases.js`
 * through `IMAGEPARSER_PHASE_MODULES`), none worked by the server itself
 * (`IMAGEPARSER_LOCAL_PHASES=none`). Its sweep queues caption and visual for
 * every asset, its committer queues text after each caption; every
 * simulated worker registers its own session with a token issued by
 * `imageparser token issue`. Done counts are read from the archive file.
 */
import { ChildProcess, execFile, spawn } from 'child_process';
import * as path from 'path';
import * as readline from 'readline';
import type { JobQueue } from '@imageparser/archive-core/lib/node/jobs/job-queue';
import { SqliteJobQueue } from '@imageparser/archive-core/lib/node/jobs/sqlite-job-queue';
import type { ArchiveDatabase } from '@imageparser/archive-core/lib/node/store/database';
import { SqlitePhaseStateRepository } from '@imageparser/archive-core/lib/node/store/phase-state-repository';
import { registeredWorkerQueue } from './fleet-api-queue';
import { BENCH_MODEL, BENCH_PHASE_IDS, benchArchive, BenchFleet, FleetBenchEngine } from './fleet-bench-queue';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const CLI = path.join(root, 'extensions/archive-core/lib/node/cli/imageparser.js');
const PHASES_MODULE = path.join(__dirname, 'fleet-bench-phases.js');
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** The environment of the server and its token command: the bench's phases only, long leases (runs are short), the queue engine's own settings. */
function serverEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
    return {
        ...process.env,
        IMAGEPARSER_PHASE_MODULES: PHASES_MODULE,
        IMAGEPARSER_LOCAL_PHASES: 'none',
        IMAGEPARSER_OCR: 'off',
        IMAGEPARSER_JOB_LEASE_MS: '600000',
        IMAGEPARSER_FLEET_HEARTBEAT_MS: '200000',
        ...extra
    };
}

function issueToken(folder: string, env: NodeJS.ProcessEnv): Promise<string> {
    return new Promise((resolve, reject) => execFile(process.execPath, [CLI, 'token', 'issue', 'bench', '--archive', folder], { env, encoding: 'utf8' },
        (error, stdout, stderr) => error ? reject(new Error(`token issue failed: ${stderr}`)) : resolve(stdout.trim().split('\n').pop()!.trim())));
}

/** Starts `imageparser serve` and answers its URL once it says it serves. */
async function serve(folder: string, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; base: string }> {
    const child = spawn(process.execPath, [CLI, 'serve', '--archive', folder, '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let errors = '';
    child.stderr!.on('data', chunk => errors = (errors + chunk).slice(-4000));
    const base = await new Promise<string>((resolve, reject) => {
        readline.createInterface({ input: child.stdout! }).on('line', line => {
            const match = /serving .* at (http:\/\/\S+)$/.exec(line);
            if (match) {
                resolve(match[1]);
            }
        });
        child.once('exit', code => reject(new Error(`imageparser serve exited with ${code}: ${errors}`)));
    });
    return { child, base };
}

async function stop(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) {
        return;
    }
    const exited = new Promise(resolve => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
}

/** The queue engine behind a server: its environment, and a queue over the same jobs the bench counts them with. */
export interface ServerQueueBacking {
    env(): Promise<NodeJS.ProcessEnv>;
    counter(database: ArchiveDatabase): Promise<JobQueue & { close?(): Promise<void> }>;
    dispose(): Promise<void>;
}

/** The embedded queue: the server's jobs are in the archive file. */
export const EMBEDDED_BACKING: ServerQueueBacking = {
    env: async () => ({ IMAGEPARSER_QUEUE_ENGINE: 'embedded' }),
    counter: async database => new SqliteJobQueue(database),
    dispose: async () => undefined
};

/** A server engine over a queue engine. */
export function serverEngine(id: string, name: string, backing: ServerQueueBacking = EMBEDDED_BACKING): FleetBenchEngine {
    return {
        id,
        name,
        async open(assets): Promise<BenchFleet> {
            const archive = benchArchive(assets);
            const environment = serverEnv(await backing.env());
            const token = await issueToken(archive.folder, environment);
            const { child, base } = await serve(archive.folder, environment);
            const queue = await backing.counter(archive.database);
            try {
                // The server's first sweep queues caption and visual for every asset: the runs start once it has.
                for (let waited = 0; ; waited += 50) {
                    const [caption, visual] = [await queue.counts(BENCH_PHASE_IDS.caption), await queue.counts(BENCH_PHASE_IDS.visual)];
                    if (caption.queued === assets && visual.queued === assets) {
                        break;
                    }
                    if (waited > 60_000) {
                        throw new Error(`the server queued ${caption.queued} caption and ${visual.queued} visual jobs of ${assets} in a minute`);
                    }
                    await sleep(50);
                }
            } catch (error) {
                await stop(child);
                await queue.close?.();
                archive.remove();
                throw error;
            }
            return {
                connect: workerId => registeredWorkerQueue(base, token, workerId),
                queuesNextPhase: true,
                done: async phase => new SqlitePhaseStateRepository(archive.database).counts(BENCH_PHASE_IDS[phase], BENCH_MODEL(phase)).done,
                async close() {
                    await stop(child);
                    await queue.close?.();
                    archive.remove();
                }
            };
        },
        dispose: () => backing.dispose()
    };
}

