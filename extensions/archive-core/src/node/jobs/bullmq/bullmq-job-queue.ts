import type { Database } from 'better-sqlite3';
import { inject, injectable, named, optional, postConstruct } from '@theia/core/shared/inversify';
import { ILogger } from '@theia/core/lib/common/logger';
import { Emitter, Event } from '@theia/core/lib/common/event';
import { ContributionProvider } from '@theia/core/lib/common/contribution-provider';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import type { ClaimedJob, CompletionOutcome, JobError, PhaseId } from '../../../common/job-protocol';
import { ArchiveStore } from '../../store/archive-store';
import type { ArchiveDatabase } from '../../store/database';
import { JobOutboxRepository } from '../../store/job-outbox-repository';
import { EmbeddedJobQueueOptions, JOB_LEASE_ENV } from '../embedded-job-queue';
import { chooseJobEngine, JobEngineChoice } from '../job-engine-choice';
import { JobCounts, JobQueue, JobRequest } from '../job-queue';
import { checkRequest } from '../job-request-checks';
import { JobQueueTransactions, PhaseCommitter } from '../phase-committer';
import { PhaseContribution } from '../phase-contribution';
import { RedisJobQueue } from './redis-job-queue';

/** Outbox entries handed to Redis per round. */
const FLUSH_BATCH = 500;

/**
 * The job queue on Redis through BullMQ (a {@link RedisJobQueue} under the
 * open archive's identity), as the backend and `imageparser serve` use it
 * when `imageparser.jobs.engine` (or `IMAGEPARSER_QUEUE_ENGINE`) is
 * `bullmq`. The archive stays the truth: a job's end commits its result,
 * phase state and next jobs to SQLite through the {@link PhaseCommitter}
 * first, then Redis is told. Jobs queued inside an archive transaction
 * ({@link enqueueIn}) go to the archive's outbox in that transaction and
 * are handed to Redis once it committed (a rolled-back transaction queues
 * nothing; a crash in between leaves them for the next flush). Leases,
 * retry cap and backoff are the embedded engine's options.
 */
@injectable()
export class BullmqJobQueue implements JobQueue, JobQueueTransactions, BackendApplicationContribution {

    @inject(ArchiveStore)
    protected readonly store: ArchiveStore;

    @inject(ContributionProvider) @named(PhaseContribution)
    protected readonly contributions: ContributionProvider<PhaseContribution>;

    @inject(JobEngineChoice) @optional()
    protected readonly fixed: JobEngineChoice | undefined;

    @inject(EmbeddedJobQueueOptions) @optional()
    protected readonly options: EmbeddedJobQueueOptions | undefined;

    @inject(ILogger) @named('archive-core:BullmqJobQueue')
    protected readonly logger: ILogger;

    /** What every phase's end writes to the archive, before Redis hears of it. */
    committer: PhaseCommitter;

    protected engine: { readonly database: ArchiveDatabase; readonly queue: RedisJobQueue } | undefined;
    protected flushing: Promise<void> | undefined;
    protected flushAgain = false;
    protected closed = false;
    protected url: string | undefined;
    protected readonly onDidLoseJobsEmitter = new Emitter<void>();
    /** Redis lost the jobs (flushed, or restarted empty): the pipeline sweeps the archive again. */
    readonly onDidLoseJobs: Event<void> = this.onDidLoseJobsEmitter.event;

    @postConstruct()
    protected init(): void {
        this.committer = new PhaseCommitter(this.contributions, this);
    }

    /** The Redis server to use (the engine's choice names it); before its first call only. */
    useRedis(url: string): void {
        this.url = url;
    }

    enqueue(requests: readonly JobRequest[]): Promise<number> {
        return this.withQueue(queue => queue.enqueue(requests));
    }

    /** Inside the caller's archive transaction: the jobs go to the outbox, and to Redis once the transaction committed. Answers how many were put there. */
    enqueueIn(db: Database, requests: readonly JobRequest[]): number {
        requests.forEach(checkRequest);
        if (!requests.length) {
            return 0;
        }
        const added = JobOutboxRepository.add(db, requests);
        // better-sqlite3's transactions are synchronous: by the next turn the caller's has committed or rolled back.
        setImmediate(() => this.flush().catch(error => this.logger.warn(`Handing queued jobs to Redis failed; they wait in the archive's outbox: ${messageOf(error)}`)));
        return added;
    }

    claim(phases: readonly PhaseId[], max: number, workerId: string): Promise<ClaimedJob[]> {
        return this.withQueue(queue => queue.claim(phases, max, workerId));
    }

    heartbeat(leaseToken: string): Promise<number> {
        return this.withQueue(queue => queue.heartbeat(leaseToken));
    }

    async complete(leaseToken: string, result: unknown): Promise<CompletionOutcome> {
        const outcome = await this.withQueue(queue => queue.complete(leaseToken, result));
        await this.flush();
        return outcome;
    }

    async fail(leaseToken: string, error: JobError, retryable: boolean): Promise<CompletionOutcome> {
        const outcome = await this.withQueue(queue => queue.fail(leaseToken, error, retryable));
        await this.flush();
        return outcome;
    }

    release(leaseToken: string): Promise<void> {
        return this.withQueue(queue => queue.release(leaseToken));
    }

    async reap(): Promise<number> {
        const reaped = await this.withQueue(queue => queue.reap());
        // Entries left by a crash or an unreachable Redis go out now.
        await this.flush();
        return reaped;
    }

    counts(phase: PhaseId): Promise<JobCounts> {
        return this.withQueue(queue => queue.counts(phase));
    }

    stats(phase: PhaseId): { readonly oldestQueuedSeconds?: number } {
        return this.engine?.queue.stats(phase) ?? {};
    }

    /** The phase's jobs that failed for good, latest first. */
    failures(phase: PhaseId, limit = 100): Promise<{ assetId: number; code: string; message: string; attempts: number }[]> {
        return this.withQueue(queue => queue.failures(phase, limit));
    }

    /**
     * Hands the outbox to Redis: every entry committed by now is queued
     * (BullMQ refuses a job already active) and then removed from the
     * outbox. One flush at a time; one asked for during a flush runs after it.
     */
    flush(): Promise<void> {
        if (this.flushing) {
            this.flushAgain = true;
            return this.flushing;
        }
        this.flushing = (async () => {
            try {
                do {
                    this.flushAgain = false;
                    await this.flushAll();
                } while (this.flushAgain);
            } finally {
                this.flushing = undefined;
            }
        })();
        return this.flushing;
    }

    onStop(): void {
        this.close().catch(error => this.logger.warn(`Closing the Redis job queue failed: ${messageOf(error)}`));
    }

    /** Closes the Redis connections; the archive is the store's to close. */
    async close(): Promise<void> {
        this.closed = true;
        await this.flushing?.catch(() => undefined);
        const engine = this.engine;
        this.engine = undefined;
        await engine?.queue.close();
    }

    protected async flushAll(): Promise<void> {
        const database = this.store.opened()?.database;
        if (!database || this.closed) {
            return;
        }
        const queue = this.queueOf(database);
        for (;;) {
            const entries = database.write(db => JobOutboxRepository.oldest(db, FLUSH_BATCH));
            if (!entries.length) {
                return;
            }
            await queue.enqueue(entries.map(({ assetId, phase, model, contentHash, priority }) => ({ assetId, phase, model, contentHash, priority })));
            database.write(db => JobOutboxRepository.remove(db, entries.map(entry => entry.id)));
        }
    }

    /** The Redis server: the one set by {@link useRedis}, a bound choice's, or the environment's. */
    protected redisUrl(): string {
        this.url ??= this.fixed?.redisUrl ?? chooseJobEngine(process.env).redisUrl;
        return this.url;
    }

    protected async withQueue<T>(work: (queue: RedisJobQueue) => Promise<T>): Promise<T> {
        if (this.closed) {
            throw new Error('The BullMQ job queue is closed');
        }
        const { database } = await this.store.open();
        return work(this.queueOf(database));
    }

    /** The engine over this archive's prefix; made again when another archive was opened since. */
    protected queueOf(database: ArchiveDatabase): RedisJobQueue {
        if (this.engine?.database !== database) {
            this.engine?.queue.close().catch(error => this.logger.warn(`Closing the Redis queue of the previous archive failed: ${messageOf(error)}`));
            const leaseMs = Number(process.env[JOB_LEASE_ENV]);
            const identity = database.write(db => JobOutboxRepository.archiveIdentity(db));
            this.engine = {
                database,
                queue: new RedisJobQueue({
                    ...this.options,
                    ...(leaseMs > 0 ? { leaseMs } : {}),
                    connection: this.redisUrl(),
                    onConnectionError: error => this.logger.warn(`Redis at ${redacted(this.redisUrl())}: ${error.message}; the phase jobs wait for it`),
                    prefix: `imageparser:${identity}`,
                    onComplete: async (job, result) => database.write(db => this.committer.completed(db, job, result)),
                    onFail: async (job, error, final) => {
                        if (final) {
                            database.write(db => this.committer.failed(db, job, error));
                        }
                    }
                })
            };
            this.engine.queue.onDidLoseJobs(() => this.onDidLoseJobsEmitter.fire());
            this.logger.info(`Phase jobs wait in Redis at ${redacted(this.redisUrl())} under imageparser:${identity}`);
        }
        return this.engine.queue;
    }
}

function messageOf(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}

/** The URL without its password, for the log. */
function redacted(url: string): string {
    return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
