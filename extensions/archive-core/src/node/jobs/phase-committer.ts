import type { Database } from 'better-sqlite3';
import { ContributionProvider } from '@theia/core/lib/common/contribution-provider';
import type { ClaimedJob, JobError, PhaseId } from '../../common/job-protocol';
import { JobRequest } from './job-queue';
import { PhaseContribution } from './phase-contribution';
import {
    assetContentHash, keepPhaseResult, missingPhaseWork, MissingWork, needsDone, PhaseKey, phaseStateOf, writePhaseState
} from '../store/phase-state-repository';

/**
 * What the pipeline hands {@link JobQueue.complete} for a job: the phase's
 * output, so the commit knows what to write. `superseded`: the job was
 * queued for a model the phase no longer runs; it writes nothing.
 */
export type PhaseJobResult =
    | { readonly kind: 'done'; readonly result: unknown }
    | { readonly kind: 'skipped'; readonly reason: string }
    | { readonly kind: 'superseded' };

export namespace PhaseJobResult {
    /** A completion's result as the pipeline sent it; anything else (a worker speaking the plain protocol) is the phase's result itself. */
    export function of(value: unknown): PhaseJobResult {
        const kind = (value as { kind?: unknown } | null)?.kind;
        if (kind === 'done' && 'result' in (value as object)) {
            return value as PhaseJobResult;
        }
        if (kind === 'skipped' && typeof (value as { reason?: unknown }).reason === 'string') {
            return value as PhaseJobResult;
        }
        return kind === 'superseded' ? { kind } : { kind: 'done', result: value };
    }
}

/**
 * The part of an embedded job queue that works inside a transaction the
 * caller already holds on the archive's writer, so a phase's state and the
 * jobs it makes commit together.
 */
export interface JobQueueTransactions {
    /** {@link JobQueue.enqueue} inside the caller's transaction; answers how many were added. */
    enqueueIn(db: Database, requests: readonly JobRequest[]): number;
}

/**
 * Everything a phase's end writes, inside the transaction that ends it: the
 * result (through the phase's own `store` and the reusable results table),
 * the phase state keyed by (asset, phase, model), and the jobs of the phases
 * that were waiting for this one. Used by the queue's completion hook and by
 * the ingester's commit of a parsed asset. The embedded queue makes it
 * (its hooks call it), so it is bound through the queue.
 */
export class PhaseCommitter {

    constructor(protected readonly contributions: ContributionProvider<PhaseContribution>, protected readonly jobs: JobQueueTransactions) { }

    /** The contributed phase with this id, if any. */
    phase(id: PhaseId): PhaseContribution | undefined {
        return this.contributions.getContributions().find(contribution => contribution.id === id);
    }

    /** The key a job's work is stored under, with the phase's current config version. */
    keyOf(job: Pick<ClaimedJob, 'assetId' | 'phase' | 'model' | 'contentHash'>): PhaseKey {
        return { assetId: job.assetId, phase: job.phase, model: job.model, contentHash: job.contentHash, configVersion: this.phase(job.phase)?.configVersion ?? '' };
    }

    /** A job completed: its result, its state and the next phases' jobs. */
    completed(db: Database, job: ClaimedJob, result: unknown): void {
        const outcome = PhaseJobResult.of(result);
        const contribution = this.phase(job.phase);
        if (outcome.kind === 'superseded' || !contribution || assetContentHash(db, job.assetId) !== job.contentHash) {
            // A job of a model the phase left, of a phase no longer contributed, or of an asset that is gone: nothing of it is kept.
            if (contribution) {
                this.jobs.enqueueIn(db, this.requestsFor(db, job.assetId, [contribution]));
            }
            return;
        }
        const key = this.keyOf(job);
        if (phaseStateOf(db, job.assetId, job.phase, job.model) === 'done') {
            // Another job of this asset, phase and model already stored its result (a re-queue raced it): nothing is written twice.
            return;
        }
        if (outcome.kind === 'skipped') {
            writePhaseState(db, key, 'skipped', { code: 'skipped', message: outcome.reason });
        } else {
            contribution.store?.(db, job, outcome.result);
            keepPhaseResult(db, key, outcome.result);
            writePhaseState(db, key, 'done');
        }
        this.queueNext(db, job.assetId, job.phase);
    }

    /** A job failed for good (not retryable, or past the retry cap): the asset's state says why. */
    failed(db: Database, job: ClaimedJob, error: JobError): void {
        if (this.phase(job.phase) && assetContentHash(db, job.assetId) === job.contentHash) {
            writePhaseState(db, this.keyOf(job), 'failed', error, job.attempt + 1);
        }
    }

    /** Queues the jobs of the enabled phases that need `done` and whose other needs are met too. */
    queueNext(db: Database, assetId: number, done: PhaseId): number {
        const waiting = this.contributions.getContributions().filter(contribution => contribution.needs.includes(done));
        return this.jobs.enqueueIn(db, this.requestsFor(db, assetId, waiting));
    }

    /**
     * Queues, inside the caller's transaction, the phase's jobs for the
     * assets after `afterAssetId` the store says are missing (up to `limit`
     * of them); answers how many were added and the last asset looked at.
     */
    queueMissing(db: Database, phase: PhaseContribution, afterAssetId: number, limit: number): { added: number; last?: number } {
        const demand = { phase: phase.id, model: phase.model?.id ?? '', needs: this.needsOf(phase) };
        const work = missingPhaseWork(db, demand, afterAssetId, limit);
        const added = this.jobs.enqueueIn(db, work.map(each => ({ ...each, phase: demand.phase, model: demand.model })));
        return { added, last: work.length ? work[work.length - 1].assetId : undefined };
    }

    /** Queues, inside the caller's transaction, the phase's jobs for these assets where its needs are done; answers how many were added. */
    queueFor(db: Database, phase: PhaseContribution, assets: readonly MissingWork[]): number {
        return this.jobs.enqueueIn(db, assets.flatMap(asset => this.requestsFor(db, asset.assetId, [phase])));
    }

    /** Job requests for those of these phases that are queue-driven, enabled and have their needs done on the asset. */
    requestsFor(db: Database, assetId: number, phases: readonly PhaseContribution[]): JobRequest[] {
        const contentHash = assetContentHash(db, assetId);
        if (contentHash === undefined) {
            return [];
        }
        return phases
            .filter(phase => !phase.driver && phase.isEnabled() && needsDone(db, assetId, this.needsOf(phase)))
            .map(phase => ({ assetId, phase: phase.id, model: phase.model?.id ?? '', contentHash }));
    }

    /** A phase's needs, each with the model its phase runs now. */
    needsOf(phase: PhaseContribution): { phase: PhaseId; model: string }[] {
        return phase.needs.map(need => ({ phase: need, model: this.phase(need)?.model?.id ?? '' }));
    }
}
