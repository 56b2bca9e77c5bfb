import * as crypto from 'crypto';
import type { Database } from 'better-sqlite3';
import type { ClaimedJob, CompletionOutcome, JobError, PhaseFailure, PhaseId } from '../../common/job-protocol';
import { ArchiveDatabase } from '../store/database';
import { LeaseRow, PhaseJobRepository } from '../store/phase-job-repository';
import { JobCounts, JobQueue, JobRequest, LeaseRefusedError } from './job-queue';
import { checkRequest, JobErrors } from './job-request-checks';

/** Runs inside the transaction that completes a job: writes its result, phase state and next jobs. Throwing rolls all of it back. */
export type JobCompletionHook = (db: Database, job: ClaimedJob, result: unknown) => void;

/** Runs inside the transaction that fails a job; `final` when it will not be retried. Throwing rolls all of it back. */
export type JobFailureHook = (db: Database, job: ClaimedJob, error: JobError, final: boolean) => void;

export interface SqliteJobQueueOptions {
    /** How long a lease holds without a heartbeat (60 s). */
    readonly leaseMs?: number;
    /** Claims a job gets before a failure or an expired lease fails it for good (5). */
    readonly maxAttempts?: number;
    /** The wait before the first retry; it doubles with every attempt (5 s). */
    readonly backoffBaseMs?: number;
    /** The longest wait before a retry (10 min). */
    readonly backoffMaxMs?: number;
    /** How long done jobs are kept (for the rate and for repeated completions) before {@link SqliteJobQueue.reap} prunes them (1 h). */
    readonly doneRetentionMs?: number;
    readonly onComplete?: JobCompletionHook;
    readonly onFail?: JobFailureHook;
}

/** What the Phases view shows of one phase's queue. */
export interface PhaseQueueStats {
    readonly counts: JobCounts;
    /** Age in seconds of the job that has waited longest to be claimed, when one waits. */
    readonly oldestQueuedSeconds?: number;
    /** Jobs done in the last `windowSeconds`. */
    readonly doneInWindow: number;
    readonly windowSeconds: number;
}

const DEFAULTS = { leaseMs: 60_000, maxAttempts: 5, backoffBaseMs: 5_000, backoffMaxMs: 600_000, doneRetentionMs: 3_600_000 };
const PRUNE_BATCH = 10_000;
/** The most jobs one claim leases. */
const MAX_CLAIM = 10_000;
/** The most phases one claim names (each is a subquery of the claim). */
const MAX_CLAIM_PHASES = 64;
const TOKEN = /^(\d{1,15})\.(\d{1,15})\.([A-Za-z0-9_-]{22})$/;

/**
 * The embedded engine of the {@link JobQueue}: jobs in the archive's own
 * SQLite file (table `phase_jobs`), written through the archive's writer
 * connection in `BEGIN IMMEDIATE` transactions, so any number of processes
 * on one archive share it. Every time is read from SQLite's clock inside the
 * transaction that uses it. See docs/adr-0007-job-queue.md.
 *
 * A lease token is `<job id>.<lease sequence>.<signature>`, signed with the
 * archive's secret: a token this archive issued and that no longer holds its
 * job is stale, any other is unknown; both are refused and change nothing.
 */
export class SqliteJobQueue implements JobQueue {

    protected readonly options: Required<Omit<SqliteJobQueueOptions, 'onComplete' | 'onFail'>> & SqliteJobQueueOptions;
    protected readonly secret: Buffer;

    constructor(protected readonly database: ArchiveDatabase, options: SqliteJobQueueOptions = {}) {
        const setting = (name: keyof typeof DEFAULTS) => {
            const value = options[name] ?? DEFAULTS[name];
            if (!(value >= 0) || !Number.isFinite(value)) {
                throw new RangeError(`SqliteJobQueue: ${name} must be a number of 0 or more, not ${value}`);
            }
            return value;
        };
        this.options = {
            ...options, leaseMs: setting('leaseMs'), maxAttempts: Math.max(1, setting('maxAttempts')), backoffBaseMs: setting('backoffBaseMs'),
            backoffMaxMs: setting('backoffMaxMs'), doneRetentionMs: setting('doneRetentionMs')
        };
        this.secret = PhaseJobRepository.read(database, db => PhaseJobRepository.leaseSecret(db));
        PhaseJobRepository.registerLeaseTokens(database, (jobId, seq) => this.token(jobId, seq));
    }

    async enqueue(requests: readonly JobRequest[]): Promise<number> {
        return this.database.write(db => this.enqueueIn(db, requests));
    }

    /** Enqueues inside a transaction the caller holds (e.g. a completion hook queuing the next phase). */
    enqueueIn(db: Database, requests: readonly JobRequest[]): number {
        requests.forEach(checkRequest);
        return PhaseJobRepository.insert(db, requests, this.now(db));
    }

    async claim(phases: readonly PhaseId[], max: number, workerId: string): Promise<ClaimedJob[]> {
        const unique = [...new Set(phases)];
        if (unique.length > MAX_CLAIM_PHASES || unique.some(phase => typeof phase !== 'string')) {
            throw new TypeError(`A claim names up to ${MAX_CLAIM_PHASES} phases, each a string`);
        }
        const count = Math.min(Math.floor(max), MAX_CLAIM);
        if (!unique.length || !(count > 0)) {
            return [];
        }
        return this.database.write(db => {
            const now = this.now(db);
            this.reapIn(db, now);
            return PhaseJobRepository.lease(db, unique, count, String(workerId), now, this.options.leaseMs);
        });
    }

    async heartbeat(leaseToken: string): Promise<number> {
        return this.database.write(db => {
            const now = this.now(db);
            const job = this.heldJob(db, leaseToken, now);
            if (!job) {
                throw new LeaseRefusedError('stale-lease', leaseToken);
            }
            const expiresAt = now + this.options.leaseMs;
            PhaseJobRepository.extend(db, job.id, expiresAt);
            return expiresAt;
        });
    }

    async complete(leaseToken: string, result: unknown): Promise<CompletionOutcome> {
        return this.database.write(db => {
            const now = this.now(db);
            const job = this.heldJob(db, leaseToken, now, 'done');
            if (!job) {
                return 'already-done';
            }
            this.options.onComplete?.(db, this.claimed(job), result);
            PhaseJobRepository.markDone(db, job.id, now);
            return 'done';
        });
    }

    async fail(leaseToken: string, reported: JobError, retryable: boolean): Promise<CompletionOutcome> {
        const error = JobErrors.normalize(reported);
        return this.database.write(db => {
            const now = this.now(db);
            const job = this.heldJob(db, leaseToken, now, 'failed');
            if (!job) {
                return 'already-done';
            }
            const final = retryable !== true || job.attempts >= this.options.maxAttempts;
            this.options.onFail?.(db, this.claimed(job), error, final);
            if (final) {
                PhaseJobRepository.markFailed(db, job.id, error, now);
            } else {
                PhaseJobRepository.requeueAfterFailure(db, job.id, error, now + this.backoff(job.attempts), now);
            }
            return 'done';
        });
    }

    /**
     * Gives a held job back unfinished (the worker stops or its phase is
     * paused): it is queued again at once and the claim does not count as
     * an attempt. The token is spent: any later call with it is stale.
     * Throws {@link LeaseRefusedError} for a stale or unknown token.
     */
    async release(leaseToken: string): Promise<void> {
        this.database.write(db => {
            const now = this.now(db);
            const job = this.heldJob(db, leaseToken, now);
            if (!job) {
                throw new LeaseRefusedError('stale-lease', leaseToken);
            }
            PhaseJobRepository.giveBack(db, job.id, now);
        });
    }

    async reap(): Promise<number> {
        return this.database.write(db => {
            const now = this.now(db);
            const reaped = this.reapIn(db, now);
            PhaseJobRepository.pruneDone(db, now - this.options.doneRetentionMs, PRUNE_BATCH);
            return reaped;
        });
    }

    async counts(phase: PhaseId): Promise<JobCounts> {
        return PhaseJobRepository.read(this.database, db => PhaseJobRepository.counts(db, phase));
    }

    /** The phase's counts, queue lag and recent throughput, for the Phases view. */
    stats(phase: PhaseId, windowSeconds = 60): PhaseQueueStats {
        return PhaseJobRepository.read(this.database, db => {
            const now = this.now(db);
            const oldest = PhaseJobRepository.oldestQueuedSince(db, phase);
            return {
                counts: PhaseJobRepository.counts(db, phase),
                ...(oldest === undefined ? {} : { oldestQueuedSeconds: Math.max(0, now - oldest) / 1000 }),
                doneInWindow: PhaseJobRepository.doneSince(db, phase, now - windowSeconds * 1000),
                windowSeconds
            };
        });
    }

    /** The phase's failed jobs with their reasons, latest first. */
    failures(phase: PhaseId, limit = 100): PhaseFailure[] {
        return PhaseJobRepository.read(this.database, db => PhaseJobRepository.failures(db, phase, Math.max(0, Math.floor(limit))));
    }

    /** Queues the phase's failed jobs again (of these assets, or all) with a fresh attempt budget; answers how many. */
    retryFailed(phase: PhaseId, assetIds?: readonly number[]): number {
        return this.database.write(db => PhaseJobRepository.requeueFailed(db, phase, assetIds, this.now(db)));
    }

    /** Now on the engine's clock: SQLite's, read inside the caller's transaction. */
    protected now(db: Database): number {
        return PhaseJobRepository.sqliteNow(db);
    }

    /** The wait before the retry after `attempts` claims: base doubled per earlier attempt, up to the maximum. */
    protected backoff(attempts: number): number {
        const { backoffBaseMs, backoffMaxMs } = this.options;
        return Math.min(backoffMaxMs, backoffBaseMs * 2 ** Math.min(Math.max(0, attempts - 1), 30));
    }

    /**
     * The job the token holds now; undefined when the token's lease already
     * ended in `finished` (a repeated call: a no-op). Any other token is
     * refused: a signed one this archive issued as stale, the rest as unknown.
     */
    protected heldJob(db: Database, leaseToken: string, now: number, finished?: 'done' | 'failed'): LeaseRow | undefined {
        const parsed = this.parse(leaseToken);
        if (!parsed) {
            throw new LeaseRefusedError('unknown-lease', leaseToken);
        }
        const job = PhaseJobRepository.find(db, parsed.jobId);
        if (job?.leaseToken === leaseToken) {
            if (job.state === 'leased' && job.leaseExpiresAt !== null && job.leaseExpiresAt > now) {
                return job;
            }
            if (finished && (job.state === 'done' || (finished === 'failed' && job.state !== 'leased'))) {
                return undefined;
            }
        }
        throw new LeaseRefusedError('stale-lease', leaseToken);
    }

    protected parse(leaseToken: unknown): { jobId: number; seq: number } | undefined {
        const match = typeof leaseToken === 'string' ? TOKEN.exec(leaseToken) : null;
        if (!match) {
            return undefined;
        }
        const jobId = Number(match[1]);
        const seq = Number(match[2]);
        const expected = Buffer.from(this.token(jobId, seq));
        const given = Buffer.from(leaseToken as string);
        return expected.length === given.length && crypto.timingSafeEqual(expected, given) ? { jobId, seq } : undefined;
    }

    protected token(jobId: number, seq: number): string {
        const signature = crypto.createHmac('sha256', this.secret).update(`${jobId}.${seq}`).digest('base64url').slice(0, 22);
        return `${jobId}.${seq}.${signature}`;
    }

    protected reapIn(db: Database, now: number): number {
        const expired = PhaseJobRepository.expired(db, now);
        for (const job of expired) {
            const final = job.attempts >= this.options.maxAttempts;
            const error = { code: 'lease-expired', message: `The lease ran out ${final ? `after ${job.attempts} attempts` : 'before the job finished'}` };
            PhaseJobRepository.endExpiredLease(db, job.id, error, final, now);
            if (final) {
                this.options.onFail?.(db, this.claimed(job), error, true);
            }
        }
        return expired.length;
    }

    protected claimed(job: LeaseRow): ClaimedJob {
        return {
            jobId: job.id, assetId: job.assetId, phase: job.phase, model: job.model, contentHash: job.contentHash,
            leaseToken: job.leaseToken ?? '', leaseExpiresAt: job.leaseExpiresAt ?? 0, attempt: Math.max(0, job.attempts - 1)
        };
    }
}
