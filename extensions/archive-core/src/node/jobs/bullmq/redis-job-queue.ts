import { Job } from 'bullmq';
import IORedis, { Redis } from 'ioredis';
import { Emitter, Event } from '@theia/core/lib/common/event';
import type { ClaimedJob, CompletionOutcome, JobError, PhaseId } from '../../../common/job-protocol';
import { JobCounts, JobQueue, JobRequest, LeaseRefusedError } from '../job-queue';
import { checkRequest, JobErrors } from '../job-request-checks';
import { LeaseRecord, RedisLeaseRecords } from './redis-lease-records';
import { bullJobId, JobData, RedisPhaseQueues } from './redis-phase-queues';

/** Commits a job's end to the archive before Redis hears of it (SQLite stays the truth); throwing leaves the job held. */
export type RedisJobCompletionHook = (job: ClaimedJob, result: unknown) => Promise<void>;

/** Commits a failure to the archive before Redis hears of it; `final` when the job will not be retried. */
export type RedisJobFailureHook = (job: ClaimedJob, error: JobError, final: boolean) => Promise<void>;

export interface RedisJobQueueOptions {
    /** A `redis://` URL, or a connection the caller owns (made with `maxRetriesPerRequest: null`). */
    readonly connection: string | Redis;
    /** Every key starts with it: one archive's queues never meet another's. */
    readonly prefix: string;
    /** How long a lease (BullMQ's lock) holds without a heartbeat (60 s). */
    readonly leaseMs?: number;
    /** Claims a job gets before a failure or an expired lease fails it for good (5). */
    readonly maxAttempts?: number;
    /** The wait before the first retry; it doubles with every attempt (5 s). */
    readonly backoffBaseMs?: number;
    /** The longest wait before a retry (10 min). */
    readonly backoffMaxMs?: number;
    /** How long done jobs and spent lease records are kept (1 h). */
    readonly doneRetentionMs?: number;
    readonly onComplete?: RedisJobCompletionHook;
    readonly onFail?: RedisJobFailureHook;
    /** Told of connection errors (Redis down or restarting: commands wait for it to come back); ignored when not given. */
    readonly onConnectionError?: (error: Error) => void;
}

const DEFAULTS = { leaseMs: 60_000, maxAttempts: 5, backoffBaseMs: 5_000, backoffMaxMs: 600_000, doneRetentionMs: 3_600_000 };
const MAX_CLAIM = 10_000;
const MAX_CLAIM_PHASES = 64;
/** BullMQ runs priority 1 first and takes up to 2^21; the contract's priority 0 sits in the middle. */
const BULL_PRIORITY_ZERO = 1 << 20;
const BULL_PRIORITY_MAX = 1 << 21;
/** The lock token BullMQ's scripts take as "no lock to check": only the reaper uses it, for jobs whose lock ran out. */
const NO_LOCK = '0';

/**
 * The {@link JobQueue} on Redis through BullMQ: one BullMQ queue per phase
 * under the archive's prefix, job id = the asset (one active job per asset
 * and phase: BullMQ refuses a second add of an id; a finished one is removed
 * first so a re-run can add it again). The engine holds jobs for remote
 * workers with BullMQ's manual processing: a BullMQ `Worker` without a
 * processor moves a job to active with `getNextJob(token)`, the lease token
 * is BullMQ's lock token (the lock's TTL is the lease), heartbeats
 * `extendLock`, the end is `moveToCompleted` / `moveToFailed` /
 * `moveToDelayed` (backoff) with the token, so a stale token is refused by
 * Redis itself. Lease records (`<prefix>:lease:<token>`) remember every
 * issued token, so a restarted server still knows a held lease and tells a
 * stale token from an unknown one.
 *
 * Stalled jobs (a lock that ran out: the worker died or was cut off) are
 * returned by this engine's own reaper on every claim and {@link reap}: it
 * finds active jobs without a lock, checks the attempts against the cap and
 * moves them back (or fails them with `lease-expired` after the failure hook
 * ran). BullMQ's own stalled checker is not started: it needs two passes to
 * notice a job, counts stalls apart from attempts, and fails jobs without
 * telling the archive.
 *
 * The completion and failure hooks run first (they commit to SQLite); Redis
 * is told after. Losing Redis loses queued work (a sweep of the archive
 * queues it again), never results. Times are the server's clock (this
 * process's, with BullMQ's) and Redis's lock TTLs; never a worker's.
 */
export class RedisJobQueue implements JobQueue {

    protected readonly options: Required<Omit<RedisJobQueueOptions, 'onComplete' | 'onFail' | 'onConnectionError' | 'connection'>> & RedisJobQueueOptions;
    protected readonly redis: Redis;
    protected readonly ownsConnection: boolean;
    protected readonly queues: RedisPhaseQueues;
    protected readonly leases: RedisLeaseRecords;
    /** Every change runs alone in this process: a check and the move it allows are not split by another call. */
    protected exclusive: Promise<unknown> = Promise.resolve();
    protected closed = false;
    /** Whether this engine set or saw the marker of its Redis already. */
    protected markerSeen = false;
    protected readonly onDidLoseJobsEmitter = new Emitter<void>();
    /** Fired when {@link reap} finds the queue's marker gone: Redis lost everything this engine held (flushed, or restarted empty). */
    readonly onDidLoseJobs: Event<void> = this.onDidLoseJobsEmitter.event;
    /** Per phase, when the job next in line was queued, as of the last {@link counts}. */
    protected readonly oldestQueued = new Map<PhaseId, number>();

    constructor(options: RedisJobQueueOptions) {
        const setting = (name: keyof typeof DEFAULTS) => {
            const value = options[name] ?? DEFAULTS[name];
            if (!(value >= 0) || !Number.isFinite(value)) {
                throw new RangeError(`RedisJobQueue: ${name} must be a number of 0 or more, not ${value}`);
            }
            return value;
        };
        if (typeof options.prefix !== 'string' || !options.prefix || options.prefix.includes('{')) {
            throw new TypeError(`RedisJobQueue: the prefix must be a non-empty string without braces, not ${String(options.prefix)}`);
        }
        this.options = {
            ...options, leaseMs: Math.max(1, setting('leaseMs')), maxAttempts: Math.max(1, setting('maxAttempts')), backoffBaseMs: setting('backoffBaseMs'),
            backoffMaxMs: setting('backoffMaxMs'), doneRetentionMs: setting('doneRetentionMs')
        };
        this.ownsConnection = typeof options.connection === 'string';
        this.redis = typeof options.connection === 'string' ? new IORedis(options.connection, { maxRetriesPerRequest: null }) : options.connection;
        this.queues = new RedisPhaseQueues(this.redis, this.options.prefix, this.options.leaseMs, options.onConnectionError);
        this.leases = new RedisLeaseRecords(this.redis, this.options.prefix, Math.max(this.options.doneRetentionMs, this.options.leaseMs));
        if (this.ownsConnection) {
            this.redis.on('error', error => this.queues.connectionError(error));
        }
    }

    async enqueue(requests: readonly JobRequest[]): Promise<number> {
        requests.forEach(checkRequest);
        const unique = new Map<string, JobRequest>();
        for (const request of requests) {
            const key = `${request.phase}\n${request.assetId}`;
            if (!unique.has(key)) {
                unique.set(key, request);
            }
        }
        if (!unique.size) {
            return 0;
        }
        return this.alone(async () => {
            const byPhase = new Map<PhaseId, JobRequest[]>();
            for (const request of unique.values()) {
                byPhase.set(request.phase, [...byPhase.get(request.phase) ?? [], request]);
            }
            let added = 0;
            for (const [phase, list] of byPhase) {
                added += await this.enqueuePhase(phase, list);
            }
            return added;
        });
    }

    async claim(phases: readonly PhaseId[], max: number, workerId: string): Promise<ClaimedJob[]> {
        const unique = [...new Set(phases)];
        if (unique.length > MAX_CLAIM_PHASES || unique.some(phase => typeof phase !== 'string' || !phase)) {
            throw new TypeError(`A claim names up to ${MAX_CLAIM_PHASES} phases, each a non-empty string`);
        }
        const count = Math.min(Math.floor(max), MAX_CLAIM);
        if (!unique.length || !(count > 0)) {
            return [];
        }
        return this.alone(async () => {
            const known = await this.queues.known(unique);
            await this.reapIn(known);
            for (const phase of known) {
                await this.queues.promoteDue(phase);
            }
            const claimed: ClaimedJob[] = [];
            const empty = new Set<PhaseId>();
            while (claimed.length < count) {
                const live = known.filter(phase => !empty.has(phase));
                const phase = live.length > 1 ? await this.queues.next(live) : live[0];
                if (phase === undefined) {
                    break;
                }
                const job = await this.lease(phase);
                if (job) {
                    claimed.push(job);
                } else {
                    empty.add(phase);
                }
            }
            return claimed;
        });
    }

    async heartbeat(leaseToken: string): Promise<number> {
        return this.alone(async () => {
            const record = await this.leases.read(leaseToken);
            if (record.state !== 'leased') {
                throw new LeaseRefusedError('stale-lease', leaseToken);
            }
            const job = await this.bullJob(record.job.phase, record.job.assetId);
            const expiresAt = Date.now() + this.options.leaseMs;
            if (!job || await job.extendLock(leaseToken, this.options.leaseMs) !== 1) {
                throw new LeaseRefusedError('stale-lease', leaseToken);
            }
            await this.leases.refresh(leaseToken);
            return expiresAt;
        });
    }

    async complete(leaseToken: string, result: unknown): Promise<CompletionOutcome> {
        return this.alone(async () => {
            const record = await this.leases.read(leaseToken);
            if (record.state === 'done') {
                return 'already-done';
            }
            const job = await this.heldJob(record, leaseToken);
            await this.options.onComplete?.(record.job, result);
            try {
                // The result lives in the archive: Redis keeps no copy of it.
                await job.moveToCompleted(null, leaseToken, false);
            } catch (error) {
                // The lock ran out between the check and the move: the archive has the result; the job comes back and its next run finds it done.
                throw this.refusalOf(error, leaseToken);
            }
            await this.leases.end(leaseToken, record, 'done');
            await this.leases.forgetAttempts(record.job.jobId);
            return 'done';
        });
    }

    async fail(leaseToken: string, reported: JobError, retryable: boolean): Promise<CompletionOutcome> {
        const error = JobErrors.normalize(reported);
        return this.alone(async () => {
            const record = await this.leases.read(leaseToken);
            if (record.state === 'done' || record.state === 'failed' || record.state === 'retried') {
                return 'already-done';
            }
            const job = await this.heldJob(record, leaseToken);
            const attempts = await this.leases.attempts(record.job.jobId);
            const final = retryable !== true || attempts >= this.options.maxAttempts;
            await this.options.onFail?.(record.job, error, final);
            try {
                if (final) {
                    await job.moveToFailed(this.failureOf(error), leaseToken, false);
                } else {
                    await job.moveToDelayed(Date.now() + this.backoff(attempts), leaseToken);
                }
            } catch (caught) {
                throw this.refusalOf(caught, leaseToken);
            }
            await this.leases.end(leaseToken, record, final ? 'failed' : 'retried');
            if (final) {
                await this.leases.forgetAttempts(record.job.jobId);
            }
            return 'done';
        });
    }

    /** Gives a held job back: queued again at once, the claim not counted. Throws {@link LeaseRefusedError} for a stale or unknown token. */
    async release(leaseToken: string): Promise<void> {
        await this.alone(async () => {
            const record = await this.leases.read(leaseToken);
            if (record.state !== 'leased') {
                throw new LeaseRefusedError('stale-lease', leaseToken);
            }
            const job = await this.heldJob(record, leaseToken);
            try {
                await job.moveToWait(leaseToken);
            } catch (error) {
                throw this.refusalOf(error, leaseToken);
            }
            await this.leases.end(leaseToken, record, 'released');
            await this.leases.uncountClaim(record.job.jobId);
        });
    }

    async reap(): Promise<number> {
        return this.alone(async () => {
            // The marker was set when this engine first used Redis: its absence now means Redis forgot every job and lease.
            if (await this.redis.set(this.markerKey(), new Date().toISOString(), 'NX') === 'OK') {
                this.onDidLoseJobsEmitter.fire();
            }
            return this.reapIn(this.queues.phases());
        });
    }

    async counts(phase: PhaseId): Promise<JobCounts> {
        if (!(await this.queues.known([phase])).length) {
            return { queued: 0, leased: 0, done: 0, failed: 0 };
        }
        const { queue } = this.queues.get(phase);
        const counts = await queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'completed', 'failed');
        const since = await this.queues.nextQueuedSince(phase);
        if (since === undefined) {
            this.oldestQueued.delete(phase);
        } else {
            this.oldestQueued.set(phase, since);
        }
        return {
            queued: (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.delayed ?? 0),
            leased: counts.active ?? 0,
            done: counts.completed ?? 0,
            failed: counts.failed ?? 0
        };
    }

    /** The phase's queue lag as of its last {@link counts}: the age of the job next in line (it waited longest, at equal priority). */
    stats(phase: PhaseId): { readonly oldestQueuedSeconds?: number } {
        const since = this.oldestQueued.get(phase);
        return since === undefined ? {} : { oldestQueuedSeconds: Math.max(0, Date.now() - since) / 1000 };
    }

    /** The phase's jobs that failed for good, latest first, with their reasons. */
    async failures(phase: PhaseId, limit = 100): Promise<{ assetId: number; code: string; message: string; attempts: number }[]> {
        const jobs = await this.queues.get(phase).queue.getFailed(0, Math.max(0, Math.floor(limit)) - 1);
        return jobs.filter(job => job).map(job => {
            const error = this.errorOf(job.failedReason);
            return { assetId: (job.data as JobData).assetId, code: error.code, message: error.message, attempts: job.attemptsStarted };
        });
    }

    /** Closes the queues and, when the engine made it, the connection. */
    async close(): Promise<void> {
        if (this.closed) {
            return;
        }
        this.closed = true;
        this.onDidLoseJobsEmitter.dispose();
        await this.exclusive.catch(() => undefined);
        await this.queues.close();
        if (this.ownsConnection) {
            this.redis.disconnect();
        }
    }

    protected async enqueuePhase(phase: PhaseId, requests: readonly JobRequest[]): Promise<number> {
        const { queue } = this.queues.get(phase);
        const existing = await this.queues.pipelined(requests.flatMap(request => [
            ['hget', queue.toKey(bullJobId(request.assetId)), 'finishedOn'], ['exists', queue.toKey(bullJobId(request.assetId))]
        ]));
        const fresh: JobRequest[] = [];
        for (let i = 0; i < requests.length; i++) {
            const [finishedOn, exists] = [existing[2 * i], existing[2 * i + 1]];
            if (!exists) {
                fresh.push(requests[i]);
            } else if (finishedOn) {
                // Finished (done or failed for good): the asset's phase is queued again (a re-run, a retry).
                await queue.remove(bullJobId(requests[i].assetId));
                fresh.push(requests[i]);
            }
        }
        if (!fresh.length) {
            return 0;
        }
        // Job numbers go on from the clock when Redis forgot them (flushed, restarted): a number is never handed out twice.
        await this.redis.set(this.seqKey(), String(Date.now() * 1000), 'NX');
        const last = await this.redis.incrby(this.seqKey(), fresh.length);
        const retention = Math.max(1, Math.ceil(this.options.doneRetentionMs / 1000));
        await queue.addBulk(fresh.map((request, i) => {
            const priority = request.priority ?? 0;
            const data: JobData = {
                assetId: request.assetId, phase, model: request.model, contentHash: request.contentHash, priority, seq: last - fresh.length + 1 + i
            };
            return {
                name: phase, data, opts: {
                    jobId: bullJobId(request.assetId), priority: Math.min(BULL_PRIORITY_MAX, Math.max(1, BULL_PRIORITY_ZERO - priority)),
                    removeOnComplete: { age: retention }, removeOnFail: { count: 10_000 }
                }
            };
        }));
        return fresh.length;
    }


    /** Moves the phase's next job to active under a fresh token and records the lease; undefined when none waits. */
    protected async lease(phase: PhaseId): Promise<ClaimedJob | undefined> {
        const token = RedisLeaseRecords.newToken();
        const expiresAt = Date.now() + this.options.leaseMs;
        const job = await this.queues.get(phase).worker.getNextJob(token, { block: false });
        if (!job) {
            return undefined;
        }
        const data = job.data as JobData;
        const attempts = await this.leases.countClaim(data.seq);
        const claimed: ClaimedJob = {
            jobId: data.seq, assetId: data.assetId, phase: data.phase, model: data.model, contentHash: data.contentHash,
            leaseToken: token, leaseExpiresAt: expiresAt, attempt: Math.max(0, attempts - 1)
        };
        await this.leases.hold(claimed);
        return claimed;
    }



    /**
     * Returns the jobs of these phases whose lock ran out to the queue, or
     * fails them for good (code `lease-expired`, the failure hook first)
     * once they had their attempts; answers how many.
     */
    protected async reapIn(phases: readonly PhaseId[]): Promise<number> {
        let reaped = 0;
        for (const phase of phases) {
            const { queue } = this.queues.get(phase);
            const active = await this.redis.lrange(queue.keys.active, 0, -1);
            if (!active.length) {
                continue;
            }
            const locks = await this.queues.pipelined(active.map(id => ['exists', `${queue.toKey(id)}:lock`]));
            for (let i = 0; i < active.length; i++) {
                if (locks[i]) {
                    continue;
                }
                const job = await Job.fromId(queue, active[i]);
                if (!job) {
                    continue;
                }
                const data = job.data as JobData;
                const attempts = await this.leases.attempts(data.seq);
                const final = attempts >= this.options.maxAttempts;
                if (final) {
                    const error = { code: 'lease-expired', message: `The lease ran out after ${attempts} attempts` };
                    const claimed: ClaimedJob = {
                        jobId: data.seq, assetId: data.assetId, phase: data.phase, model: data.model, contentHash: data.contentHash,
                        leaseToken: '', leaseExpiresAt: 0, attempt: Math.max(0, attempts - 1)
                    };
                    await this.options.onFail?.(claimed, error, true);
                    await job.moveToFailed(this.failureOf(error), NO_LOCK, false);
                    await this.leases.forgetAttempts(data.seq);
                } else {
                    await job.moveToWait(NO_LOCK);
                }
                reaped++;
            }
        }
        return reaped;
    }


    /** The job a live lease holds: its lock is the token's. Any other state is a stale lease. */
    protected async heldJob(record: LeaseRecord, leaseToken: string): Promise<Job> {
        if (record.state !== 'leased') {
            throw new LeaseRefusedError('stale-lease', leaseToken);
        }
        const { queue } = this.queues.get(record.job.phase);
        const id = bullJobId(record.job.assetId);
        const [lock, job] = await Promise.all([this.redis.get(`${queue.toKey(id)}:lock`), Job.fromId(queue, id)]);
        if (lock !== leaseToken || !job || (job.data as JobData).seq !== record.job.jobId) {
            throw new LeaseRefusedError('stale-lease', leaseToken);
        }
        return job;
    }

    protected async bullJob(phase: PhaseId, assetId: number): Promise<Job | undefined> {
        return Job.fromId(this.queues.get(phase).queue, bullJobId(assetId));
    }



    /** BullMQ's refusal of a token (a lock that is missing or another's) as the contract's; anything else as it came. */
    protected refusalOf(error: unknown, leaseToken: string): unknown {
        const message = error instanceof Error ? error.message : String(error);
        return /lock|not in the active state|Missing key/i.test(message) ? new LeaseRefusedError('stale-lease', leaseToken) : error;
    }

    protected failureOf(error: JobError): Error {
        const failure = new Error(JSON.stringify(error));
        failure.stack = '';
        return failure;
    }

    protected errorOf(reason: string | undefined): JobError {
        try {
            return JobErrors.normalize(JSON.parse(reason ?? ''));
        } catch {
            return { code: 'unknown', message: reason ?? '' };
        }
    }


    protected backoff(attempts: number): number {
        const { backoffBaseMs, backoffMaxMs } = this.options;
        return Math.min(backoffMaxMs, backoffBaseMs * 2 ** Math.min(Math.max(0, attempts - 1), 30));
    }








    protected markerKey(): string {
        return `${this.options.prefix}:marker`;
    }

    protected seqKey(): string {
        return `${this.options.prefix}:seq`;
    }


    protected alone<T>(work: () => Promise<T>): Promise<T> {
        const run = this.exclusive.catch(() => undefined).then(async () => {
            if (!this.markerSeen) {
                await this.redis.set(this.markerKey(), new Date().toISOString(), 'NX');
                this.markerSeen = true;
            }
            return work();
        });
        this.exclusive = run.catch(() => undefined);
        return run;
    }
}
