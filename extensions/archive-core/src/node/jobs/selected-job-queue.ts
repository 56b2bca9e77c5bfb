import type { Database } from 'better-sqlite3';
import { inject, injectable, named, optional, postConstruct } from '@theia/core/shared/inversify';
import { ContributionProvider } from '@theia/core/lib/common/contribution-provider';
import { Emitter, Event } from '@theia/core/lib/common/event';
import { ILogger } from '@theia/core/lib/common/logger';
import { PreferenceService } from '@theia/core/lib/common/preferences';
import type { ClaimedJob, CompletionOutcome, JobError, PhaseId } from '../../common/job-protocol';
import { ArchiveStore } from '../store/archive-store';
import { JobOutboxRepository } from '../store/job-outbox-repository';
import { BullmqJobQueue } from './bullmq/bullmq-job-queue';
import { EmbeddedJobQueue } from './embedded-job-queue';
import { chooseJobEngine, JOB_ENGINE_ENV, JobEngineChoice } from './job-engine-choice';
import { JobCounts, JobQueue, JobRequest } from './job-queue';
import { checkRequest } from './job-request-checks';
import { JobQueueTransactions, PhaseCommitter } from './phase-committer';
import { PhaseContribution } from './phase-contribution';

/** How long the choice waits for the user's preferences to be read before it takes the environment and the defaults. */
const PREFERENCES_WAIT_MS = 10_000;
const OUTBOX_BATCH = 500;

/**
 * The {@link JobQueue} the process runs: the embedded engine or BullMQ on
 * Redis, as {@link chooseJobEngine} says (a bound {@link JobEngineChoice}
 * wins, then `IMAGEPARSER_QUEUE_ENGINE`, then the `imageparser.jobs.engine`
 * preference). The backend reads its user preferences asynchronously, so
 * the choice is made on the first queue call, once they are read; jobs a
 * transaction queues before that wait in the archive's outbox and go to
 * the chosen engine then. The choice holds until the process ends.
 */
@injectable()
export class SelectedJobQueue implements JobQueue, JobQueueTransactions {

    @inject(EmbeddedJobQueue)
    protected readonly embedded: EmbeddedJobQueue;

    @inject(BullmqJobQueue)
    protected readonly bullmq: BullmqJobQueue;

    @inject(ArchiveStore)
    protected readonly store: ArchiveStore;

    @inject(ContributionProvider) @named(PhaseContribution)
    protected readonly contributions: ContributionProvider<PhaseContribution>;

    @inject(JobEngineChoice) @optional()
    protected readonly fixed: JobEngineChoice | undefined;

    @inject(PreferenceService) @optional()
    protected readonly preferences: PreferenceService | undefined;

    @inject(ILogger) @named('archive-core:JobQueue')
    protected readonly logger: ILogger;

    /** What every phase's end writes, for the ingester and the pipeline. */
    committer: PhaseCommitter;

    protected chosen: (JobQueue & JobQueueTransactions) | undefined;
    protected choosing: Promise<JobQueue & JobQueueTransactions> | undefined;
    protected readonly onDidLoseJobsEmitter = new Emitter<void>();
    readonly onDidLoseJobs: Event<void> = this.onDidLoseJobsEmitter.event;

    @postConstruct()
    protected init(): void {
        this.committer = new PhaseCommitter(this.contributions, this);
        this.bullmq.onDidLoseJobs(() => this.onDidLoseJobsEmitter.fire());
    }

    /** The engine in use, chosen on the first call. */
    engine(): Promise<JobQueue & JobQueueTransactions> {
        if (this.chosen) {
            return Promise.resolve(this.chosen);
        }
        this.choosing ??= (async () => {
            if (!this.canChooseNow()) {
                await Promise.race([this.preferences?.ready, new Promise(resolve => setTimeout(resolve, PREFERENCES_WAIT_MS).unref())]);
            }
            return this.chooseNow();
        })();
        return this.choosing;
    }

    enqueueIn(db: Database, requests: readonly JobRequest[]): number {
        if (this.chosen || this.canChooseNow()) {
            return this.chooseNow().enqueueIn(db, requests);
        }
        requests.forEach(checkRequest);
        if (!requests.length) {
            return 0;
        }
        const added = JobOutboxRepository.add(db, requests);
        // By the next turn the caller's transaction has committed (or rolled back, and the entries with it).
        setImmediate(() => this.engine().then(() => this.flushOutbox()).catch(error => this.logger.warn(`Queueing jobs from the outbox failed: ${messageOf(error)}`)));
        return added;
    }

    async enqueue(requests: readonly JobRequest[]): Promise<number> {
        return (await this.engine()).enqueue(requests);
    }

    async claim(phases: readonly PhaseId[], max: number, workerId: string): Promise<ClaimedJob[]> {
        return (await this.engine()).claim(phases, max, workerId);
    }

    async heartbeat(leaseToken: string): Promise<number> {
        return (await this.engine()).heartbeat(leaseToken);
    }

    async complete(leaseToken: string, result: unknown): Promise<CompletionOutcome> {
        return (await this.engine()).complete(leaseToken, result);
    }

    async fail(leaseToken: string, error: JobError, retryable: boolean): Promise<CompletionOutcome> {
        return (await this.engine()).fail(leaseToken, error, retryable);
    }

    async release(leaseToken: string): Promise<void> {
        const engine = await this.engine();
        await engine.release?.(leaseToken);
    }

    async reap(): Promise<number> {
        return (await this.engine()).reap();
    }

    async counts(phase: PhaseId): Promise<JobCounts> {
        return (await this.engine()).counts(phase);
    }

    stats(phase: PhaseId): { readonly oldestQueuedSeconds?: number } {
        return this.chosen?.stats?.(phase) ?? {};
    }

    /** Whether nothing is left to wait for: a bound choice, the environment's, or preferences that are read (or absent: the command-line tool). */
    protected canChooseNow(): boolean {
        return !!this.fixed || !!process.env[JOB_ENGINE_ENV]?.trim() || !this.preferences || this.preferences.isReady;
    }

    protected chooseNow(): JobQueue & JobQueueTransactions {
        if (!this.chosen) {
            const choice = this.fixed ?? chooseJobEngine(process.env, this.preferences);
            if (choice.engine === 'bullmq') {
                this.bullmq.useRedis(choice.redisUrl);
                this.chosen = this.bullmq;
            } else {
                this.chosen = this.embedded;
            }
            this.logger.info(`Phase jobs use the ${choice.engine} engine`);
            // Entries a crash (or a run on the other engine) left in the outbox.
            setImmediate(() => this.flushOutbox().catch(error => this.logger.warn(`Queueing jobs from the outbox failed: ${messageOf(error)}`)));
        }
        return this.chosen;
    }

    /** Hands what waited in the outbox to the chosen engine. */
    protected async flushOutbox(): Promise<void> {
        if (this.chosen === this.bullmq) {
            return this.bullmq.flush();
        }
        const database = this.store.opened()?.database;
        for (;;) {
            if (!database) {
                return;
            }
            // The embedded engine queues inside the archive: taking the entries out and queueing them is one transaction.
            const moved = database.write(db => {
                const entries = JobOutboxRepository.oldest(db, OUTBOX_BATCH);
                this.embedded.enqueueIn(db, entries.map(({ assetId, phase, model, contentHash, priority }) => ({ assetId, phase, model, contentHash, priority })));
                JobOutboxRepository.remove(db, entries.map(entry => entry.id));
                return entries.length;
            });
            if (moved < OUTBOX_BATCH) {
                return;
            }
        }
    }
}

function messageOf(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
