/**
 * The embedded job queue alone: claim + complete of no-op jobs on one
 * archive file, one worker process per core against one process, in the
 * same run (`--jobs`, default 100,000; `--batch`, jobs per claim, default 32;
 * `--rounds`, default 1, the two take turns and medians are printed).
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as readline from 'readline';
import { ArchiveDatabase } from '@imageparser/archive-core/lib/node/store/database';
import { SqliteJobQueue } from '@imageparser/archive-core/lib/node/jobs/sqlite-job-queue';
import { BenchMeasure, PhasesBenchContext, PhasesBenchSection } from './bench-section';

const PHASE = 'bench';
const WORKER = path.join(__dirname, 'queue-bench-worker.js');

interface QueueRun extends BenchMeasure {
    readonly enqueueSeconds: number;
}

/** A fresh archive holding `jobs` queued no-op jobs, one per asset. */
function makeArchive(jobs: number): { file: string; enqueueSeconds: number; remove: () => void } {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'imageparser-bench-queue-'));
    const file = path.join(folder, 'archive.sqlite');
    const database = ArchiveDatabase.open(file);
    try {
        database.write(db => db.prepare(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
            INSERT INTO assets (id, content_hash, kind, registered_at) SELECT i, 'content-' || i, 'png', '2026-01-01T00:00:00.000Z' FROM n`).run(jobs));
        const queue = new SqliteJobQueue(database);
        const started = process.hrtime.bigint();
        for (let first = 1; first <= jobs; first += 10_000) {
            const count = Math.min(10_000, jobs - first + 1);
            database.write(db => queue.enqueueIn(db, Array.from({ length: count }, (_, i) =>
                ({ assetId: first + i, phase: PHASE, model: '', contentHash: `content-${first + i}` }))));
        }
        const enqueueSeconds = Number(process.hrtime.bigint() - started) / 1e9;
        return { file, enqueueSeconds, remove: () => fs.rmSync(folder, { recursive: true, force: true }) };
    } finally {
        database.close();
    }
}

/** Starts the workers, lets them go at once and answers how long until the last one finished the queue. */
async function drain(file: string, processes: number, batch: number): Promise<{ done: number; seconds: number }> {
    const workers = Array.from({ length: processes }, () => {
        const child = spawn(process.execPath, [WORKER, file, PHASE, String(batch)], { stdio: ['pipe', 'pipe', 'inherit'] });
        const lines: string[] = [];
        let ready!: () => void;
        const isReady = new Promise<void>(resolve => ready = resolve);
        readline.createInterface({ input: child.stdout! }).on('line', line => line === 'ready' ? ready() : lines.push(line));
        const exited = new Promise<number>((resolve, reject) => child.once('exit', code => code === 0
            ? resolve((JSON.parse(lines[lines.length - 1]) as { done: number }).done)
            : reject(new Error(`a queue bench worker exited with ${code}`))));
        return { child, isReady, exited };
    });
    await Promise.all(workers.map(worker => worker.isReady));
    const started = process.hrtime.bigint();
    workers.forEach(worker => worker.child.stdin!.end('go\n'));
    const done = (await Promise.all(workers.map(worker => worker.exited))).reduce((sum, each) => sum + each, 0);
    return { done, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

async function measure(name: string, jobs: number, processes: number, batch: number): Promise<QueueRun> {
    const archive = makeArchive(jobs);
    try {
        const { done, seconds } = await drain(archive.file, processes, batch);
        const database = ArchiveDatabase.open(archive.file);
        try {
            const counts = await new SqliteJobQueue(database).counts(PHASE);
            if (done !== jobs || counts.done !== jobs) {
                throw new Error(`${name}: ${jobs} jobs queued, but the workers completed ${done} and the archive counts ${counts.done} done`);
            }
        } finally {
            database.close();
        }
        return { name, count: done, seconds, enqueueSeconds: archive.enqueueSeconds };
    } finally {
        archive.remove();
    }
}

function median(runs: QueueRun[]): QueueRun {
    return [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)];
}

export const queueSection: PhasesBenchSection = {
    id: 'queue',
    async run(context: PhasesBenchContext) {
        const jobs = Number(context.option('jobs', '100000'));
        const batch = Number(context.option('batch', '32'));
        const rounds = Number(context.option('rounds', '1'));
        const ours: QueueRun[] = [];
        const baseline: QueueRun[] = [];
        for (let round = 1; round <= rounds; round++) {
            baseline.push(await measure('1 process', jobs, 1, batch));
            ours.push(await measure(`${context.processes} processes`, jobs, context.processes, batch));
            context.log(`  queue round ${round}/${rounds}: ${context.processes} processes ${ours[round - 1].seconds.toFixed(1)} s, `
                + `1 process ${baseline[round - 1].seconds.toFixed(1)} s`);
        }
        const multi = median(ours);
        const single = median(baseline);
        return [{
            name: `queue: claim + complete, ${jobs} no-op jobs`,
            unit: 'jobs',
            ours: multi,
            baseline: single,
            notes: [`${batch} jobs per claim; enqueue (10,000 per transaction): ${(jobs / single.enqueueSeconds).toFixed(0)} jobs/s; `
                + `each job is one claim share and one complete transaction on the archive file`]
        }];
    }
};
