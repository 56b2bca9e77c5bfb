import type { Database } from 'better-sqlite3';
import type { ClaimedJob, JobError, PhaseFailure, PhaseId } from '../../common/job-protocol';
import type { JobCounts, JobRequest } from '../jobs/job-queue';
import { ArchiveDatabase, prepared, selectValue } from './database';
import { assetLocation } from './asset-locations';

/** Now in milliseconds on SQLite's clock: every lease, backoff and age is set and checked on it, whichever process asks. */
const NOW_MS_SQL = "SELECT CAST(unixepoch('subsec') * 1000 AS INTEGER)";

/** The SQL function the claim statement makes lease tokens with; registered on the connection by the queue. */
export const LEASE_TOKEN_FUNCTION = 'imageparser_phase_job_token';

/** What a lease call needs to know about the job a token names. */
export interface LeaseRow {
    readonly id: number;
    readonly assetId: number;
    readonly phase: PhaseId;
    readonly model: string;
    readonly contentHash: string;
    readonly state: 'queued' | 'leased' | 'done' | 'failed';
    readonly attempts: number;
    readonly leaseSeq: number;
    readonly leaseToken: string | null;
    readonly leaseExpiresAt: number | null;
}

const LEASE_COLUMNS = `id, asset_id AS assetId, phase, model, content_hash AS contentHash, state, attempts,
    lease_seq AS leaseSeq, lease_token AS leaseToken, lease_expires_at AS leaseExpiresAt`;

/**
 * The SQL of the phases' job queue (table `phase_jobs`, migration 11). Every
 * function runs on the connection it is given, inside the caller's
 * transaction, with the caller's `now` (read from SQLite by {@link sqliteNow}).
 */
export namespace PhaseJobRepository {

    export function sqliteNow(db: Database): number {
        return selectValue<number>(db, NOW_MS_SQL);
    }

    /** The archive's secret the lease tokens are signed with. */
    export function leaseSecret(db: Database): Buffer {
        return selectValue<Buffer>(db, 'SELECT secret FROM phase_job_secret WHERE id = 1');
    }

    /** Registers {@link LEASE_TOKEN_FUNCTION} on the archive's writer, where the claim statement calls it: `sign(jobId, leaseSeq)` answers the token. */
    export function registerLeaseTokens(database: ArchiveDatabase, sign: (jobId: number, leaseSeq: number) => string): void {
        database.writer.function(LEASE_TOKEN_FUNCTION, { deterministic: true }, (id: unknown, seq: unknown) => sign(Number(id), Number(seq)));
    }

    /**
     * Runs reads outside a transaction on the connection the queue writes
     * with, so they see the queue's latest writes at once and SQLite's clock
     * of the same connection.
     */
    export function read<T>(database: ArchiveDatabase, reads: (db: Database) => T): T {
        return reads(database.writer);
    }

    /**
     * Adds the jobs no active job of the same (asset, phase) blocks; the
     * partial unique index decides, so concurrent writers cannot both add
     * one. A job for an asset that no longer exists is left out. A new job
     * removes its pair's finished rows. Answers how many were added.
     */
    export function insert(db: Database, requests: readonly JobRequest[], now: number): number {
        const add = prepared(db, `INSERT INTO phase_jobs (asset_id, phase, model, content_hash, priority, enqueued_at, state_since, not_before)
            SELECT @asset, @phase, @model, @hash, @priority, @now, @now, 0 WHERE EXISTS (SELECT 1 FROM assets WHERE id = @asset)
            ON CONFLICT DO NOTHING`);
        const clear = prepared(db, "DELETE FROM phase_jobs WHERE asset_id = ? AND phase = ? AND state IN ('done', 'failed')");
        let added = 0;
        for (const request of requests) {
            const job = { asset: request.assetId, phase: request.phase, model: request.model, hash: request.contentHash, priority: request.priority ?? 0, now };
            if (add.run(job).changes) {
                added++;
                clear.run(request.assetId, request.phase);
            }
        }
        return added;
    }

    /**
     * Leases up to `max` claimable jobs of these phases, highest priority
     * and oldest first: each phase's best candidates come from its claim
     * index, the best of all of them are updated in one `UPDATE … RETURNING`.
     */
    export function lease(db: Database, phases: readonly PhaseId[], max: number, workerId: string, now: number, leaseMs: number): ClaimedJob[] {
        const candidates = phases.map(() =>
            "SELECT * FROM (SELECT id, priority FROM phase_jobs WHERE state = 'queued' AND phase = ? AND not_before <= ? ORDER BY priority DESC, id LIMIT ?)")
            .join(' UNION ALL ');
        const rows = prepared(db, `UPDATE phase_jobs SET state = 'leased', attempts = attempts + 1, lease_seq = lease_seq + 1,
                lease_token = ${LEASE_TOKEN_FUNCTION}(id, lease_seq + 1), lease_expires_at = ?, worker_id = ?, state_since = ?
            WHERE id IN (SELECT id FROM (${candidates}) ORDER BY priority DESC, id LIMIT ?)
            RETURNING id AS jobId, asset_id AS assetId, phase, model, content_hash AS contentHash, lease_token AS leaseToken,
                lease_expires_at AS leaseExpiresAt, attempts - 1 AS attempt, priority`)
            .all(now + leaseMs, workerId, now, ...phases.flatMap(phase => [phase, now, max]), max) as (ClaimedJob & { priority: number })[];
        return rows
            .sort((a, b) => b.priority - a.priority || a.jobId - b.jobId)
            .map(({ priority, ...job }) => job);
    }

    export function find(db: Database, jobId: number): LeaseRow | undefined {
        return prepared(db, `SELECT ${LEASE_COLUMNS} FROM phase_jobs WHERE id = ?`).get(jobId) as LeaseRow | undefined;
    }

    export function extend(db: Database, jobId: number, expiresAt: number): void {
        prepared(db, 'UPDATE phase_jobs SET lease_expires_at = ? WHERE id = ?').run(expiresAt, jobId);
    }

    /** The job is done; its token stays, so a repeat of the completion is known as one. */
    export function markDone(db: Database, jobId: number, now: number): void {
        prepared(db, `UPDATE phase_jobs SET state = 'done', lease_expires_at = NULL, error_code = NULL, error_message = NULL,
            state_since = @now, finished_at = @now WHERE id = @jobId`).run({ now, jobId });
    }

    /** Queues a failed job again, not before `notBefore`; its token stays, so a repeat of the failure is known as one. */
    export function requeueAfterFailure(db: Database, jobId: number, error: JobError, notBefore: number, now: number): void {
        prepared(db, `UPDATE phase_jobs SET state = 'queued', lease_expires_at = NULL, worker_id = NULL, not_before = ?,
            error_code = ?, error_message = ?, state_since = ? WHERE id = ?`).run(notBefore, error.code, error.message, now, jobId);
    }

    /** Fails a job for good with the reason. */
    export function markFailed(db: Database, jobId: number, error: JobError, now: number): void {
        prepared(db, `UPDATE phase_jobs SET state = 'failed', lease_expires_at = NULL, error_code = @code, error_message = @message,
            state_since = @now, finished_at = @now WHERE id = @jobId`).run({ code: error.code, message: error.message, now, jobId });
    }

    /** Queues a leased job again as if it had not been claimed; the token is dropped. */
    export function giveBack(db: Database, jobId: number, now: number): void {
        prepared(db, `UPDATE phase_jobs SET state = 'queued', attempts = max(attempts - 1, 0), lease_token = NULL, lease_expires_at = NULL,
            worker_id = NULL, not_before = @now, state_since = @now WHERE id = @jobId`).run({ now, jobId });
    }

    /** The leased jobs whose lease ran out by `now`. */
    export function expired(db: Database, now: number): LeaseRow[] {
        return prepared(db, `SELECT ${LEASE_COLUMNS} FROM phase_jobs WHERE state = 'leased' AND lease_expires_at <= ?`).all(now) as LeaseRow[];
    }

    /**
     * Ends an expired lease: the job is queued again, or failed with `error`
     * when `final`. The token is dropped, so the late holder's calls are stale.
     */
    export function endExpiredLease(db: Database, jobId: number, error: JobError, final: boolean, now: number): void {
        prepared(db, `UPDATE phase_jobs SET state = @state, lease_token = NULL, lease_expires_at = NULL, worker_id = NULL, not_before = @now,
            error_code = @code, error_message = @message, state_since = @now, finished_at = CASE WHEN @state = 'failed' THEN @now END WHERE id = @jobId`)
            .run({ state: final ? 'failed' : 'queued', now, code: error.code, message: error.message, jobId });
    }

    /** Removes up to `limit` done rows finished before `before`; answers how many. */
    export function pruneDone(db: Database, before: number, limit: number): number {
        return prepared(db, "DELETE FROM phase_jobs WHERE id IN (SELECT id FROM phase_jobs WHERE state = 'done' AND state_since < ? LIMIT ?)")
            .run(before, limit).changes;
    }

    export function counts(db: Database, phase: PhaseId): JobCounts {
        const rows = prepared(db, 'SELECT state, count(*) AS count FROM phase_jobs WHERE phase = ? GROUP BY state').all(phase) as { state: keyof JobCounts; count: number }[];
        const counts = { queued: 0, leased: 0, done: 0, failed: 0 };
        rows.forEach(row => counts[row.state] = row.count);
        return counts;
    }

    /** When the job of the phase that has waited longest became queued; undefined when none waits. */
    export function oldestQueuedSince(db: Database, phase: PhaseId): number | undefined {
        return selectValue<number | null>(db, "SELECT min(state_since) FROM phase_jobs WHERE phase = ? AND state = 'queued'", phase) ?? undefined;
    }

    /** How many jobs of the phase were done since `since`. */
    export function doneSince(db: Database, phase: PhaseId, since: number): number {
        return selectValue<number>(db, "SELECT count(*) FROM phase_jobs WHERE phase = ? AND state = 'done' AND state_since >= ?", phase, since);
    }

    /** The phase's failed jobs, latest first, with where the asset's file lies when it has one. */
    export function failures(db: Database, phase: PhaseId, limit: number): PhaseFailure[] {
        const rows = prepared(db, `SELECT asset_id AS assetId, phase, error_code AS code, error_message AS message, attempts, finished_at AS finishedAt,
                (SELECT json_object('fileId', f.id, 'filePath', f.path, 'rootId', f.root_id, 'rootPath', r.path)
                    FROM files f LEFT JOIN roots r ON r.id = f.root_id WHERE f.asset_id = phase_jobs.asset_id ORDER BY f.id LIMIT 1) AS file
            FROM phase_jobs WHERE phase = ? AND state = 'failed' ORDER BY finished_at DESC, id DESC LIMIT ?`)
            .all(phase, limit) as (Omit<PhaseFailure, 'at' | 'location'> & { file: string | null; finishedAt: number })[];
        return rows.map(({ finishedAt, file, ...failure }) => ({
            ...failure, ...(file === null ? {} : { location: assetLocation(JSON.parse(file)) }), at: new Date(finishedAt).toISOString()
        }));
    }

    /**
     * Queues the phase's failed jobs again (of these assets, or all) with a
     * fresh attempt budget. A failed job whose pair got a newer active job
     * meanwhile is removed instead. Answers how many were queued.
     */
    export function requeueFailed(db: Database, phase: PhaseId, assetIds: readonly number[] | undefined, now: number): number {
        const assets = assetIds ? 'AND asset_id IN (SELECT value FROM json_each(?))' : '';
        const args: unknown[] = [phase, ...(assetIds ? [JSON.stringify(assetIds)] : [])];
        const queued = prepared(db, `UPDATE OR IGNORE phase_jobs SET state = 'queued', attempts = 0, not_before = ?, lease_token = NULL,
                worker_id = NULL, error_code = NULL, error_message = NULL, state_since = ?, finished_at = NULL
            WHERE phase = ? AND state = 'failed' ${assets}`).run(now, now, ...args).changes;
        prepared(db, `DELETE FROM phase_jobs WHERE phase = ? AND state = 'failed' ${assets}`).run(...args);
        return queued;
    }
}
