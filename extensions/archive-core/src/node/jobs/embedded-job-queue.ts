import type { Database } from 'better-sqlite3';
import { inject, injectable, named, optional, postConstruct } from '@theia/core/shared/inversify';
import { ContributionProvider } from '@theia/core/lib/common/contribution-provider';
import type { ClaimedJob, CompletionOutcome, JobError, PhaseId } from '../../common/job-protocol';
import { ArchiveStore } from '../store/archive-store';
import type { ArchiveDatabase } from '../store/database';
import { JobCounts, JobQueue, JobRequest } from './job-queue';
import { JobQueueTransactions, PhaseCommitter } from './phase-committer';
import { PhaseContribution } from './phase-contribution';
import { SqliteJobQueue, SqliteJobQueueOptions } from './sqlite-job-queue';

/** Sets how long a job's lease holds without a heartbeat, in milliseconds (60 s by default). */
export const JOB_LEASE_ENV = 'IMAGEPARSER_JOB_LEASE_MS';

export const EmbeddedJobQueueOptions = Symbol('EmbeddedJobQueueOptions');

/** Leases, retry cap and backoff of the embedded queue, when bound (tests and the bench shorten them); the engine's defaults otherwise. */
export type EmbeddedJobQueueOptions = Pick<SqliteJobQueueOptions, 'leaseMs' | 'maxAttempts' | 'backoffBaseMs' | 'backoffMaxMs'>;

/**
 * The job queue in the archive's own SQLite file, as the backend and the
 * command-line tool use it: a {@link SqliteJobQueue} over the open archive
 * whose completion and failure hooks commit through the {@link PhaseCommitter}
 * (result, phase state and next jobs in the transaction that ends the job).
 */
@injectable()
export class EmbeddedJobQueue implements JobQueue, JobQueueTransactions {

    @inject(ArchiveStore)
    protected readonly store: ArchiveStore;

    @inject(ContributionProvider) @named(PhaseContribution)
    protected readonly contributions: ContributionProvider<PhaseContribution>;

    @inject(EmbeddedJobQueueOptions) @optional()
    protected readonly options: EmbeddedJobQueueOptions | undefined;

    /** What every phase's end writes; the queue's hooks call it. */
    committer: PhaseCommitter;

    protected engine: { readonly database: ArchiveDatabase; readonly queue: SqliteJobQueue } | undefined;

    @postConstruct()
    protected init(): void {
        this.committer = new PhaseCommitter(this.contributions, this);
    }

    enqueue(requests: readonly JobRequest[]): Promise<number> {
        return this.withQueue(queue => queue.enqueue(requests));
    }

    /** Inside the caller's transaction on the open archive's writer. */
    enqueueIn(db: Database, requests: readonly JobRequest[]): number {
        const database = this.store.opened()?.database;
        if (!database) {
            throw new Error('The archive is not open');
        }
        return requests.length ? this.queueOf(database).enqueueIn(db, requests) : 0;
    }

    claim(phases: readonly PhaseId[], max: number, workerId: string): Promise<ClaimedJob[]> {
        return this.withQueue(queue => queue.claim(phases, max, workerId));
    }

    heartbeat(leaseToken: string): Promise<number> {
        return this.withQueue(queue => queue.heartbeat(leaseToken));
    }

    complete(leaseToken: string, result: unknown): Promise<CompletionOutcome> {
        return this.withQueue(queue => queue.complete(leaseToken, result));
    }

    fail(leaseToken: string, error: JobError, retryable: boolean): Promise<CompletionOutcome> {
        return this.withQueue(queue => queue.fail(leaseToken, error, retryable));
    }

    release(leaseToken: string): Promise<void> {
        return this.withQueue(queue => queue.release(leaseToken));
    }

    reap(): Promise<number> {
        return this.withQueue(queue => queue.reap());
    }

    counts(phase: PhaseId): Promise<JobCounts> {
        return this.withQueue(queue => queue.counts(phase));
    }

    stats(phase: PhaseId): { readonly oldestQueuedSeconds?: number } {
        const database = this.store.opened()?.database;
        return database ? this.queueOf(database).stats(phase) : {};
    }

    protected async withQueue<T>(work: (queue: SqliteJobQueue) => Promise<T>): Promise<T> {
        const { database } = await this.store.open();
        return work(this.queueOf(database));
    }

    /** The engine over this database; made again when the archive was closed and opened since. */
    protected queueOf(database: ArchiveDatabase): SqliteJobQueue {
        if (this.engine?.database !== database) {
            const leaseMs = Number(process.env[JOB_LEASE_ENV]);
            this.engine = {
                database,
                queue: new SqliteJobQueue(database, {
                    ...this.options,
                    ...(leaseMs > 0 ? { leaseMs } : {}),
                    onComplete: (db, job, result) => this.committer.completed(db, job, result),
                    onFail: (db, job, error, final) => {
                        if (final) {
                            this.committer.failed(db, job, error);
                        }
                    }
                })
            };
        }
        return this.engine.queue;
    }
}
