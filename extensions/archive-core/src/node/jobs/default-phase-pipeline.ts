import * as crypto from 'crypto';
import * as os from 'os';
import { inject, injectable, named, optional, postConstruct } from '@theia/core/shared/inversify';
import { ContributionProvider } from '@theia/core/lib/common/contribution-provider';
import { Emitter, Event } from '@theia/core/lib/common/event';
import { ILogger } from '@theia/core/lib/common/logger';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import type { PhaseFailure, PhaseId, PhaseProgress } from '../../common/job-protocol';
import { ArchiveStore } from '../store/archive-store';
import { ArchiveChangeWatcher } from '../store/archive-change-watcher';
import type { Database } from 'better-sqlite3';
import { reopenFailedPhase, reopenPhase, SqlitePhaseStateRepository } from '../store/phase-state-repository';
import { ArchiveIngester } from '../ingest/archive-ingester';
import { JobQueue } from './job-queue';
import { PhaseCommitter } from './phase-committer';
import { DrivenPhaseCounts, PhaseContribution } from './phase-contribution';
import { PhasePipeline } from './phase-pipeline';
import { PhaseWorker, PhaseWorkerHost } from './phase-worker';
import { phaseProgressOf } from './phase-progress';
import { runsLocally } from './local-phases';

export const PhasePipelineOptions = Symbol('PhasePipelineOptions');

/** How the pipeline's workers pace themselves. */
export interface PhasePipelineOptions {
    /** How often held leases are renewed; well inside the queue's lease. */
    readonly heartbeatMs?: number;
    /** How long an idle worker waits before it looks for work again. */
    readonly idleMs?: number;
    /** How often expired leases are returned to the queue. */
    readonly reapMs?: number;
}

/** Assets queued per sweep step: one short transaction each, so ingest and search are not held up. */
const SWEEP_CHUNK = 1000;
const PROGRESS_THROTTLE_MS = 250;

/**
 * Runs the contributed phases in this process (the app's backend, or
 * `imageparser run`): a sweep queues what the store says is missing, one
 * {@link PhaseWorker} per queue-driven phase claims and works batches, and
 * the queue's completion hook commits each job through {@link PhaseCommitter}.
 * Pause flags live in the store, so every process honours them.
 */
@injectable()
export class DefaultPhasePipeline implements PhasePipeline, BackendApplicationContribution {

    @inject(ContributionProvider) @named(PhaseContribution)
    protected readonly contributions: ContributionProvider<PhaseContribution>;

    @inject(JobQueue)
    protected readonly queue: JobQueue;

    @inject(PhaseCommitter)
    protected readonly committer: PhaseCommitter;

    @inject(ArchiveStore)
    protected readonly store: ArchiveStore;

    @inject(ArchiveIngester) @optional()
    protected readonly ingester: ArchiveIngester | undefined;

    @inject(ArchiveChangeWatcher) @optional()
    protected readonly changes: ArchiveChangeWatcher | undefined;

    @inject(PhasePipelineOptions) @optional()
    protected readonly options: PhasePipelineOptions | undefined;

    @inject(ILogger) @named('archive-core:PhasePipeline')
    protected readonly logger: ILogger;

    protected readonly onDidChangeProgressEmitter = new Emitter<void>();
    readonly onDidChangeProgress: Event<void> = this.onDidChangeProgressEmitter.event;

    readonly workerId = `${os.hostname()}:${process.pid}:${crypto.randomBytes(6).toString('hex')}`;
    protected workers: PhaseWorker[] = [];
    protected running = false;
    protected reaper: NodeJS.Timeout | undefined;
    protected demandWatch: NodeJS.Timeout | undefined;
    protected lastFired = 0;
    protected pendingFire: NodeJS.Timeout | undefined;
    protected sweeping: Promise<number> | undefined;
    protected nextSweep: Promise<number> | undefined;

    @postConstruct()
    protected init(): void {
        this.ingester?.onProgress(progress => {
            if (progress.state === 'done' || progress.state === 'cancelled') {
                this.sweepSoon();
            }
        });
        this.changes?.onDidChange(() => this.fireProgress());
        this.queue.onDidLoseJobs?.(() => {
            this.logger.warn('The job queue lost its jobs: queueing what the archive still misses again');
            this.sweepSoon();
        });
    }

    onStart(): void {
        this.start();
    }

    onStop(): Promise<void> {
        return this.stop();
    }

    start(): void {
        if (this.running) {
            return;
        }
        this.running = true;
        this.store.open().then(() => {
            if (!this.running) {
                return;
            }
            const host = this.workerHost();
            // Phases left to worker machines (IMAGEPARSER_LOCAL_PHASES) get no worker here; their jobs are still swept and reaped.
            this.workers = this.queuedPhases().filter(contribution => runsLocally(contribution.id)).map(contribution => new PhaseWorker(contribution, host));
            this.reaper = setInterval(() => this.queue.reap().catch(error => this.logger.warn(`Returning expired leases failed: ${messageOf(error)}`)),
                this.options?.reapMs ?? 10_000);
            this.reaper.unref();
            this.watchRemoteDemand();
            this.sweepSoon();
        }, error => {
            this.running = false;
            this.logger.error(`The phases did not start: ${messageOf(error)}`);
        });
    }

    async stop(): Promise<void> {
        this.running = false;
        clearInterval(this.reaper);
        this.reaper = undefined;
        clearInterval(this.demandWatch);
        this.demandWatch = undefined;
        const workers = this.workers;
        this.workers = [];
        await Promise.all(workers.map(worker => worker.stop()));
        await this.nextSweep?.catch(() => undefined);
        await this.sweeping?.catch(() => undefined);
    }

    async progress(): Promise<PhaseProgress[]> {
        const repository = await this.repository();
        const now = repository.now();
        const result: PhaseProgress[] = [];
        for (const contribution of this.contributions.getContributions()) {
            const model = contribution.model?.id ?? '';
            const counts = contribution.driver ? contribution.driver.counts() : await this.queuedCounts(repository, contribution.id, model);
            result.push(phaseProgressOf(contribution, counts, repository.isPaused(contribution.id), now));
        }
        return result;
    }

    async failures(phase: PhaseId, limit: number): Promise<PhaseFailure[]> {
        const contribution = this.contribution(phase);
        const bounded = Math.min(1000, Math.max(1, Math.floor(Number(limit)) || 1));
        if (contribution.driver) {
            return contribution.driver.failures(bounded);
        }
        return (await this.repository()).failures(phase, contribution.model?.id ?? '', bounded);
    }

    async pause(phase: PhaseId): Promise<void> {
        this.contribution(phase);
        (await this.repository()).setPaused(phase, true);
        this.fireProgress();
    }

    async resume(phase: PhaseId): Promise<void> {
        this.contribution(phase);
        (await this.repository()).setPaused(phase, false);
        this.workers.forEach(worker => worker.poke());
        this.fireProgress();
    }

    async retryFailed(phase: PhaseId): Promise<number> {
        const contribution = this.contribution(phase);
        if (contribution.driver) {
            return contribution.driver.retryFailed();
        }
        const model = contribution.model?.id ?? '';
        return this.queueInStore(db => this.committer.queueFor(db, contribution, reopenFailedPhase(db, phase, model)));
    }

    async rerun(phase: PhaseId, assetIds: readonly number[]): Promise<number> {
        if (!Array.isArray(assetIds)) {
            throw new Error('A re-run needs a list of asset ids');
        }
        const contribution = this.contribution(phase);
        if (contribution.driver) {
            return contribution.driver.rerun(assetIds);
        }
        const model = contribution.model?.id ?? '';
        return this.queueInStore(db => this.committer.queueFor(db, contribution, reopenPhase(db, phase, model, contribution.configVersion ?? '', assetIds)));
    }

    sweep(): Promise<number> {
        if (!this.sweeping) {
            this.sweeping = this.doSweep().finally(() => this.sweeping = undefined);
            return this.sweeping;
        }
        // A sweep is under way: the one asked for now starts after it (it may have read the store before the caller's change).
        if (!this.nextSweep) {
            this.nextSweep = this.sweeping.catch(() => 0).then(() => {
                this.nextSweep = undefined;
                return this.sweep();
            });
        }
        return this.nextSweep;
    }

    protected async doSweep(): Promise<number> {
        const { database } = await this.store.open();
        let added = 0;
        // In the order the phases need each other, so a sweep reaches as far as the store allows.
        for (const contribution of this.queuedPhases().filter(each => each.isEnabled())) {
            let after: number | undefined = 0;
            while (after !== undefined) {
                // What is missing is read in the transaction that queues it: a job another process completes meanwhile is not queued again.
                const step: { added: number; last?: number } = database.write(db => this.committer.queueMissing(db, contribution, after!, SWEEP_CHUNK));
                added += step.added;
                after = step.last;
                // Short transactions with a turn of the event loop between them: ingest and the workers go on.
                await new Promise(resolve => setImmediate(resolve));
            }
        }
        if (added) {
            this.logger.info(`Queued ${added} phase jobs the archive was missing`);
            this.workers.forEach(worker => worker.poke());
            this.fireProgress();
        }
        return added;
    }

    /**
     * A phase left to worker machines has no local worker to notice that it
     * was turned on, that its model became available (the AI models are
     * checked after start) or that its model changed: without this its jobs
     * would never be queued and the workers would find nothing to claim.
     */
    protected watchRemoteDemand(): void {
        const remote = this.queuedPhases().filter(contribution => !runsLocally(contribution.id));
        if (!remote.length) {
            return;
        }
        const demandOf = (contribution: PhaseContribution) =>
            `${contribution.isEnabled()}:${!contribution.model || contribution.model.isAvailable()}:${contribution.model?.id ?? ''}`;
        const demands = new Map(remote.map(contribution => [contribution.id, demandOf(contribution)]));
        this.demandWatch = setInterval(() => {
            let changed = false;
            for (const contribution of remote) {
                const demand = demandOf(contribution);
                changed = changed || demand !== demands.get(contribution.id);
                demands.set(contribution.id, demand);
            }
            if (changed) {
                this.sweepSoon();
            }
        }, this.options?.idleMs ?? 1_000);
        this.demandWatch.unref();
    }

    protected sweepSoon(): void {
        this.sweep().catch(error => this.logger.error(`Queueing the missing phase jobs failed: ${messageOf(error)}`));
    }

    /** Runs `queue` in one write transaction on the archive; answers how many jobs it added and wakes the workers. */
    protected async queueInStore(queue: (db: Database) => number): Promise<number> {
        const { database } = await this.store.open();
        const added = database.write(queue);
        this.workers.forEach(worker => worker.poke());
        this.fireProgress();
        return added;
    }

    protected async queuedCounts(repository: SqlitePhaseStateRepository, phase: PhaseId, model: string): Promise<DrivenPhaseCounts> {
        const states = repository.counts(phase, model);
        const jobs = await this.queue.counts(phase);
        const lag = jobs.queued ? this.queue.stats?.(phase).oldestQueuedSeconds : undefined;
        return {
            done: states.done + states.skipped, queued: jobs.queued, leased: jobs.leased, failed: states.failed,
            doneLastMinute: states.doneLastMinute, recentSpanSeconds: states.recentSpanSeconds, oldestQueuedAt: lag === undefined ? undefined : repository.now() - lag * 1000
        };
    }

    /** The phases this pipeline claims jobs for, those a phase needs before it. */
    protected queuedPhases(): PhaseContribution[] {
        const all = this.contributions.getContributions();
        const ordered: PhaseContribution[] = [];
        const visit = (contribution: PhaseContribution, path: Set<PhaseId>) => {
            if (ordered.includes(contribution) || path.has(contribution.id)) {
                return;
            }
            path.add(contribution.id);
            contribution.needs.forEach(need => {
                const needed = all.find(each => each.id === need);
                if (needed) {
                    visit(needed, path);
                }
            });
            ordered.push(contribution);
        };
        all.forEach(contribution => visit(contribution, new Set()));
        return ordered.filter(contribution => !contribution.driver);
    }

    protected contribution(phase: PhaseId): PhaseContribution {
        const contribution = this.contributions.getContributions().find(each => each.id === phase);
        if (!contribution) {
            throw new Error(`No phase ${String(phase)}`);
        }
        return contribution;
    }

    protected async repository(): Promise<SqlitePhaseStateRepository> {
        const { database } = await this.store.open();
        return new SqlitePhaseStateRepository(database);
    }

    protected workerHost(): PhaseWorkerHost {
        return {
            queue: this.queue,
            workerId: this.workerId,
            heartbeatMs: this.options?.heartbeatMs ?? 5_000,
            idleMs: this.options?.idleMs ?? 1_000,
            storedResult: async key => (await this.repository()).storedResult(key),
            serverNow: async () => (await this.repository()).now(),
            isPaused: phase => {
                const database = this.store.opened()?.database;
                return !database || new SqlitePhaseStateRepository(database).isPaused(phase);
            },
            configVersion: contribution => contribution.configVersion ?? '',
            worked: () => this.fireProgress(),
            demandChanged: () => this.sweepSoon(),
            warn: message => this.logger.warn(message)
        };
    }

    /** Tells listeners at most every quarter second, the last change always included. */
    protected fireProgress(): void {
        const wait = this.lastFired + PROGRESS_THROTTLE_MS - Date.now();
        if (wait <= 0) {
            this.lastFired = Date.now();
            this.onDidChangeProgressEmitter.fire();
        } else if (!this.pendingFire) {
            this.pendingFire = setTimeout(() => {
                this.pendingFire = undefined;
                this.fireProgress();
            }, wait);
            this.pendingFire.unref();
        }
    }
}

function messageOf(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
