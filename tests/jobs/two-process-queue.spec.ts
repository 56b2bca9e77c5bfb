import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import * as readline from 'readline';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteJobQueue } from '../../extensions/archive-core/src/node/jobs/sqlite-job-queue';
import { openJobArchive } from './job-test-archive';

/** `queue-process.js` runs the compiled engine (`bash scripts/setup.sh` builds it). */
const SCRIPT = path.join(__dirname, 'queue-process.js');

interface Worker {
    readonly child: ChildProcess;
    readonly ready: Promise<void>;
    /** The JSON line it printed last, once it exited with 0. */
    readonly result: Promise<unknown>;
}

function startWorker(args: string[]): Worker {
    const child = spawn(process.execPath, [SCRIPT, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const lines: string[] = [];
    const errors: string[] = [];
    child.stderr!.on('data', chunk => errors.push(String(chunk)));
    let ready!: () => void;
    const readyPromise = new Promise<void>(resolve => ready = resolve);
    readline.createInterface({ input: child.stdout! }).on('line', line => line === 'ready' ? ready() : lines.push(line));
    const result = new Promise<unknown>((resolve, reject) => child.once('exit', code => code === 0
        ? resolve(JSON.parse(lines[lines.length - 1]))
        : reject(new Error(`queue-process ${args[0]} exited with ${code}: ${errors.join('')}`))));
    return { child, ready: readyPromise, result };
}

/** Starts the processes, lets them all go at once once each has opened the archive, and answers what each did. */
async function raceProcesses<T>(argsPerProcess: string[][]): Promise<T[]> {
    running = argsPerProcess.map(startWorker);
    await Promise.all(running.map(worker => worker.ready));
    running.forEach(worker => worker.child.stdin!.write('go\n'));
    return Promise.all(running.map(worker => worker.result as Promise<T>));
}

let running: Worker[] = [];

/**
 * Two real processes on one archive file, as the app's backend and the
 * command-line tool are: concurrent enqueues of the same jobs leave one
 * active job per (asset, phase); concurrent claims never hand one job out twice.
 */
describe('the SQLite job queue shared by two processes', () => {
    let archive: ReturnType<typeof openJobArchive> | undefined;
    afterEach(() => {
        running.forEach(worker => worker.child.kill('SIGKILL'));
        running = [];
        archive?.dispose();
        archive = undefined;
    });

    it('keeps exactly one active job per asset and phase when both enqueue the same jobs at once', async () => {
        archive = openJobArchive(1500);
        const args = ['enqueue', archive.file, String(archive.assets[0]), '1500', 'parse,ocr'];
        const results = await raceProcesses<{ added: number }>([args, args]);
        const db = archive.database.writer;
        expect(db.prepare('SELECT count(*) FROM phase_jobs').pluck().get()).toBe(3000);
        expect(db.prepare(`SELECT count(*) FROM (SELECT asset_id, phase FROM phase_jobs WHERE state IN ('queued', 'leased')
            GROUP BY asset_id, phase HAVING count(*) > 1)`).pluck().get()).toBe(0);
        console.log(`two processes enqueuing the same 3000 jobs at once: one added ${results[0].added}, the other ${results[1].added}`);
        expect(results[0].added + results[1].added).toBe(3000);
        const queue = new SqliteJobQueue(archive.database);
        expect(await queue.counts('parse')).toEqual({ queued: 1500, leased: 0, done: 0, failed: 0 });
        expect(await queue.counts('ocr')).toEqual({ queued: 1500, leased: 0, done: 0, failed: 0 });
    });

    it('hands every job to exactly one of two processes claiming at once', async () => {
        archive = openJobArchive(1500);
        const queue = new SqliteJobQueue(archive.database);
        const requests = archive.assets.flatMap(assetId => ['parse', 'ocr'].map(phase => ({ assetId, phase, model: '', contentHash: `content-${assetId}` })));
        expect(await queue.enqueue(requests)).toBe(3000);
        const args = ['claim', archive.file, 'parse,ocr', '7'];
        const [first, second] = await raceProcesses<{ claimed: number[]; refused: number }>([args, args]);

        console.log(`two processes claiming 3000 jobs at once, 7 per claim: one completed ${first.claimed.length}, the other ${second.claimed.length}`);
        const all = [...first.claimed, ...second.claimed];
        expect(all).toHaveLength(3000);
        expect(new Set(all).size).toBe(3000);
        expect(first.claimed.filter(id => second.claimed.includes(id))).toEqual([]);
        expect(first.refused + second.refused).toBe(0);
        const db = archive.database.writer;
        expect(db.prepare('SELECT count(*) FROM phase_jobs WHERE attempts = 1 AND state = ?').pluck().get('done')).toBe(3000);
        // Both took part: the claims really ran side by side.
        expect(first.claimed.length).toBeGreaterThan(0);
        expect(second.claimed.length).toBeGreaterThan(0);
    });
});
