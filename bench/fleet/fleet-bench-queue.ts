/**
 * The queue the simulated workers talk to: a real engine behind
 * archive-core's `JobQueue` (the embedded SQLite queue on a fresh archive
 * file, or BullMQ on a real `redis-server`), seen through the few calls a
 * remote worker makes. Every call is timed: the sum is the scheduling
 * overhead the bench prints per job.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ClaimedJob } from '@imageparser/archive-core/lib/common/job-protocol';
import type { JobQueue, JobRequest } from '@imageparser/archive-core/lib/node/jobs/job-queue';
import { SqliteJobQueue } from '@imageparser/archive-core/lib/node/jobs/sqlite-job-queue';
import { ArchiveDatabase } from '@imageparser/archive-core/lib/node/store/database';

/** A queue engine the bench can open, fresh, for one run. */
export interface FleetBenchEngine {
    readonly name: string;
    /** A fresh, empty queue over `assets` assets (ids 1..assets). */
    open(assets: number): Promise<OpenedQueue>;
}

export interface OpenedQueue {
    readonly queue: JobQueue;
    close(): Promise<void>;
}

/** A queue whose calls are timed. */
export class TimedQueue {
    /** Milliseconds spent in queue calls that moved work (claims that answered jobs, completions, enqueues), and how many. */
    spentMs = 0;
    calls = 0;
    /** Milliseconds spent in claims that answered nothing (a worker polling an empty queue), and how many. */
    emptySpentMs = 0;
    emptyClaims = 0;

    constructor(readonly queue: JobQueue) { }

    async claim(phases: readonly string[], max: number, worker: string): Promise<ClaimedJob[]> {
        const started = process.hrtime.bigint();
        const jobs = await this.queue.claim(phases, max, worker);
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        if (jobs.length) {
            this.spentMs += ms;
            this.calls++;
        } else {
            this.emptySpentMs += ms;
            this.emptyClaims++;
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
            this.spentMs += Number(process.hrtime.bigint() - started) / 1e6;
            this.calls++;
        }
    }
}

/** A fresh archive file with `assets` bare assets (the queue refuses jobs of assets it does not have). */
export function benchArchive(assets: number): { readonly database: ArchiveDatabase; remove(): void } {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'imageparser-bench-fleet-'));
    const database = ArchiveDatabase.open(path.join(folder, 'archive.sqlite'));
    database.write(db => db.prepare(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
        INSERT INTO assets (id, content_hash, kind, registered_at) SELECT i, 'content-' || i, 'png', '2026-01-01T00:00:00.000Z' FROM n`).run(assets));
    return {
        database,
        remove: () => {
            database.close();
            fs.rmSync(folder, { recursive: true, force: true });
        }
    };
}

/** The embedded engine: jobs in the archive's own SQLite file. */
export const embeddedEngine: FleetBenchEngine = {
    name: 'embedded (SQLite)',
    async open(assets) {
        const archive = benchArchive(assets);
        return { queue: new SqliteJobQueue(archive.database), close: async () => archive.remove() };
    }
};
