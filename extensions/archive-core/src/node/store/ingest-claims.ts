import * as crypto from 'crypto';
import * as os from 'os';
import type { Database } from 'better-sqlite3';
import { ArchiveDatabase, prepared, selectValue } from './database';
import { abandonPendingFiles, PendingFile } from './ingest-repository';
import { isProcessAlive } from './process-alive';

/** How long a worker's claims hold without a renewal: longer than any stall of a live process, short enough that a dead one on another machine is not waited for long. */
export const WORKER_LEASE_MS = 30_000;

/** Now in milliseconds on SQLite's clock: every lease is set and checked on this one clock, whichever process asks. */
const NOW_MS = "CAST(unixepoch('subsec') * 1000 AS INTEGER)";

/** One process working on one run. */
export interface IngestWorker {
    readonly id: string;
    readonly runId: number;
}

/** How a worker's part in a run ended. */
export type WorkEnd =
    /** No file of the run is pending: the run is done. */
    | 'done'
    /** This worker was cancelled and no other worker is on the run: the run is cancelled. */
    | 'cancelled'
    /** This worker was cancelled; other processes go on with the run. */
    | 'left';

/**
 * Durable claims on the files of ingest runs, so several processes (the
 * app, the command-line tool) can index one folder together: each claims
 * pending files one at a time under a lease, cancelling one process releases
 * only its claims, and a run is finished by the last worker on it. The job
 * queue of the phases replaces this.
 */
export class SqliteIngestClaims {

    constructor(protected readonly database: ArchiveDatabase, protected readonly leaseMs = WORKER_LEASE_MS) { }

    /** Registers this process as a worker of the run, under a lease it renews with {@link renew}. */
    join(runId: number): IngestWorker {
        const worker = { id: `${os.hostname()}:${process.pid}:${crypto.randomBytes(6).toString('hex')}`, runId };
        this.database.write(db => this.register(db, worker));
        return worker;
    }

    /** Renews the worker's lease; registers it again when another process reaped it meanwhile (its claims went back to the pool then). */
    renew(worker: IngestWorker): void {
        this.database.write(db => {
            if (!prepared(db, `UPDATE ingest_workers SET lease_until = ${NOW_MS} + ? WHERE id = ?`).run(this.leaseMs, worker.id).changes) {
                this.register(db, worker);
            }
        });
    }

    /** Claims the next pending file of the run that no worker holds; undefined when there is none. */
    claimNext(worker: IngestWorker): PendingFile | undefined {
        return this.database.write(db => {
            prepared(db, `UPDATE ingest_workers SET lease_until = ${NOW_MS} + ? WHERE id = ?`).run(this.leaseMs, worker.id);
            return prepared(db, `UPDATE files SET claimed_by = ? WHERE id = (
                    SELECT id FROM files WHERE run_id = ? AND state = 'pending' AND claimed_by IS NULL ORDER BY id LIMIT 1
                ) RETURNING id, path, size`).get(worker.id, worker.runId) as PendingFile | undefined;
        });
    }

    /** Gives a file back (done with it, or stopping). */
    release(worker: IngestWorker, fileId: number): void {
        this.database.write(db => prepared(db, 'UPDATE files SET claimed_by = NULL WHERE id = ? AND claimed_by = ?').run(fileId, worker.id));
    }

    /** Pending files of the run, whoever holds them. */
    pendingCount(runId: number): number {
        return selectValue<number>(this.database.writer, "SELECT count(*) FROM files WHERE run_id = ? AND state = 'pending'", runId);
    }

    /**
     * Removes workers whose lease ran out or whose process on this machine
     * has ended; their files go back to the pool. Answers how many went.
     */
    reap(): number {
        return this.database.write(db => this.reapIn(db));
    }

    /**
     * Finishes the run when no file of it is pending (answers true); a file
     * another worker holds keeps it going. Dead workers are reaped first, so
     * their files count as pending for the caller to take.
     */
    finishIfComplete(worker: IngestWorker): boolean {
        return this.database.write(db => {
            this.reapIn(db);
            if (selectValue<number>(db, "SELECT count(*) FROM files WHERE run_id = ? AND state = 'pending'", worker.runId) > 0) {
                return false;
            }
            prepared(db, "UPDATE ingest_runs SET state = 'done', finished_at = ? WHERE id = ? AND state = 'running'").run(new Date().toISOString(), worker.runId);
            return true;
        });
    }

    /**
     * The worker stops (cancelled, or its process is closing): its claims go
     * back to the pool. The run is cancelled only when no other live worker
     * is on it; then its pending files leave it and keep their old state (a
     * later run takes them up).
     */
    leave(worker: IngestWorker): WorkEnd {
        return this.database.write(db => {
            prepared(db, 'DELETE FROM ingest_workers WHERE id = ?').run(worker.id);
            this.reapIn(db);
            const state = selectValue<string | undefined>(db, 'SELECT state FROM ingest_runs WHERE id = ?', worker.runId);
            if (state !== 'running') {
                return state === 'done' ? 'done' : 'cancelled';
            }
            if (selectValue<number>(db, 'SELECT count(*) FROM ingest_workers WHERE run_id = ?', worker.runId) > 0) {
                return 'left';
            }
            abandonPendingFiles(db, worker.runId);
            prepared(db, "UPDATE ingest_runs SET state = 'cancelled', finished_at = ? WHERE id = ?").run(new Date().toISOString(), worker.runId);
            return 'cancelled';
        });
    }

    /** The worker is done with a finished run: it leaves without changing the run. */
    retire(worker: IngestWorker): void {
        this.database.write(db => prepared(db, 'DELETE FROM ingest_workers WHERE id = ?').run(worker.id));
    }

    protected register(db: Database, worker: IngestWorker): void {
        prepared(db, `INSERT INTO ingest_workers (id, run_id, host, pid, lease_until) VALUES (?, ?, ?, ?, ${NOW_MS} + ?)
            ON CONFLICT (id) DO UPDATE SET lease_until = excluded.lease_until`).run(worker.id, worker.runId, os.hostname(), process.pid, this.leaseMs);
    }

    protected reapIn(db: Database): number {
        const host = os.hostname();
        const workers = prepared(db, `SELECT id, host, pid, lease_until < ${NOW_MS} AS expired FROM ingest_workers`).all() as
            { id: string; host: string; pid: number; expired: number }[];
        let reaped = 0;
        for (const worker of workers) {
            if (worker.expired || (worker.host === host && !isProcessAlive(worker.pid))) {
                reaped += prepared(db, 'DELETE FROM ingest_workers WHERE id = ?').run(worker.id).changes;
            }
        }
        return reaped;
    }
}
