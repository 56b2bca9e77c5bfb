/**
 * The queue the simulated workers talk to: a real engine behind
 * archive-core's `JobQueue`, in this process (the embedded SQLite queue on
 * a fresh archive file, BullMQ on a real `redis-server`) or behind a real
 * server's worker API (`imageparser serve`, each worker its own session).
 * Every call is timed: the sum is the scheduling overhead the bench prints
 * per job.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ClaimedJob, PhaseId } from '@imageparser/archive-core/lib/common/job-protocol';
import type { JobQueue, JobRequest } from '@imageparser/archive-core/lib/node/jobs/job-queue';
import { SqliteJobQueue } from '@imageparser/archive-core/lib/node/jobs/sqlite-job-queue';
import { ArchiveDatabase } from '@imageparser/archive-core/lib/node/store/database';
import { FleetPhase, FLEET_PHASES } from './fleet-timings';

/** The queue's phase id of each simulated phase (the server's bench phases have these ids too). */
export const BENCH_PHASE_IDS: Readonly<Record<FleetPhase, PhaseId>> = { caption: 'bench-caption', visual: 'bench-visual', text: 'bench-text' };
export const BENCH_MODEL = (phase: FleetPhase) => `${BENCH_PHASE_IDS[phase]}-model`;

/** A queue engine the bench can open, fresh, for one run. */
export interface FleetBenchEngine {
    /** The name `--engines` selects it by. */
    readonly id: string;
    readonly name: string;
    /** A fresh, empty fleet over `assets` assets (ids 1..assets) whose first phases (caption, visual) are queued. */
    open(assets: number): Promise<BenchFleet>;
    /** Stops what the engine started for all its runs (a redis-server). */
    dispose(): Promise<void>;
}

/** One run's queue. */
export interface BenchFleet {
    /** The queue one worker sees (over HTTP: its own registered session). */
    connect(workerId: string): Promise<JobQueue>;
    /** Whether completing a caption queues the asset's text job by itself (a server's committer does; a bare engine does not). */
    readonly queuesNextPhase: boolean;
    /** How many of the phase's jobs are done, from the queue or the archive. */
    done(phase: FleetPhase): Promise<number>;
    close(): Promise<void>;
}

/** What the timed queues of one run add up. */
export class QueueCallStats {
    /** Milliseconds in calls that moved work (claims that answered jobs, completions, enqueues), and how many. */
    spentMs = 0;
    calls = 0;
    /** Milliseconds in claims that answered nothing (a worker polling an empty queue), and how many. */
    emptySpentMs = 0;
    emptyClaims = 0;
}

/** A worker's queue whose calls are timed into shared {@link QueueCallStats}. */
export class TimedQueue {
    constructor(readonly queue: JobQueue, protected readonly stats: QueueCallStats) { }

    async claim(phase: FleetPhase, max: number, worker: string): Promise<ClaimedJob[]> {
        const started = process.hrtime.bigint();
        const jobs = await this.queue.claim([BENCH_PHASE_IDS[phase]], max, worker);
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        if (jobs.length) {
            this.stats.spentMs += ms;
            this.stats.calls++;
        } else {
            this.stats.emptySpentMs += ms;
            this.stats.emptyClaims++;
        }
        return jobs;
    }

    complete(job: ClaimedJob): Promise<unknown> {
        return this.timed(() => this.queue.complete(job.leaseToken, { kind: 'done', result: { bench: job.phase } }));
    }

    enqueue(requests: readonly JobRequest[]): Promise<number> {
        return this.timed(() => this.queue.enqueue(requests));
    }

    protected async timed<T>(call: () => Promise<T>): Promise<T> {
        const started = process.hrtime.bigint();
        try {
            return await call();
        } finally {
            this.stats.spentMs += Number(process.hrtime.bigint() - started) / 1e6;
            this.stats.calls++;
        }
    }
}

/** The first phases' jobs (caption, visual) of assets 1..assets. */
export function firstJobs(assets: number): JobRequest[] {
    return Array.from({ length: assets }, (_, i) => i + 1).flatMap(assetId => (['caption', 'visual'] as const).map(phase =>
        ({ assetId, phase: BENCH_PHASE_IDS[phase], model: BENCH_MODEL(phase), contentHash: `content-${assetId}` })));
}

/** A fresh archive folder whose file holds `assets` bare assets (the queue refuses jobs of assets it does not have). */
export function benchArchive(assets: number): { readonly folder: string; readonly database: ArchiveDatabase; remove(): void } {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'imageparser-bench-fleet-'));
    const database = ArchiveDatabase.open(path.join(folder, 'archive.sqlite'));
    database.write(db => db.prepare(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
        INSERT INTO assets (id, content_hash, kind, registered_at) SELECT i, 'content-' || i, 'png', '2026-01-01T00:00:00.000Z' FROM n`).run(assets));
    return {
        folder,
        database,
        remove: () => {
            database.close();
            fs.rmSync(folder, { recursive: true, force: true });
        }
    };
}

/** A bare engine in this process, shared by every simulated worker. */
export function inProcessFleet(queue: JobQueue, close: () => Promise<void>): BenchFleet {
    return {
        connect: async () => queue,
        queuesNextPhase: false,
        done: async phase => (await queue.counts(BENCH_PHASE_IDS[phase])).done,
        close
    };
}

/** The embedded engine: jobs in the archive's own SQLite file. */
export const embeddedEngine: FleetBenchEngine = {
    id: 'embedded',
    name: 'embedded (SQLite), in process',
    async open(assets) {
        const archive = benchArchive(assets);
        const queue = new SqliteJobQueue(archive.database);
        await queue.enqueue(firstJobs(assets));
        return inProcessFleet(queue, async () => archive.remove());
    },
    dispose: async () => undefined
};

export { FLEET_PHASES };
