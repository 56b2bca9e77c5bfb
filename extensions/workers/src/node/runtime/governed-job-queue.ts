import type { ClaimedJob, CompletionOutcome, JobError, PhaseId } from '@imageparser/archive-core/lib/common/job-protocol';
import type { JobCounts, JobQueue, JobRequest } from '@imageparser/archive-core/lib/node/jobs/job-queue';

/** What decides, before each claim, whether the worker claims and how much. */
export interface ClaimGate {
    /** The share of the batch to claim now (0..1), or 0 to claim nothing this turn; may wait first (a pause between batches). */
    beforeClaim(): Promise<number>;
    /** Told how many jobs a claim brought. */
    claimed(jobs: number): void;
}

/**
 * The job queue a worker machine's `PhaseWorker`s see: the remote queue,
 * with each claim (each turn of a phase's loop) going through the
 * {@link ClaimGate} first, so the governor decides every turn (no claim
 * while idle, resting or paused; smaller batches and pauses at warning).
 * Lease calls pass straight through: a job already held is always finished.
 */
export class GovernedJobQueue implements JobQueue {

    constructor(protected readonly inner: JobQueue, protected readonly gate: ClaimGate) { }

    async claim(phases: readonly PhaseId[], max: number, workerId: string): Promise<ClaimedJob[]> {
        const scale = await this.gate.beforeClaim();
        if (!(scale > 0)) {
            return [];
        }
        const jobs = await this.inner.claim(phases, Math.max(1, Math.floor(max * Math.min(1, scale))), workerId);
        this.gate.claimed(jobs.length);
        return jobs;
    }

    enqueue(requests: readonly JobRequest[]): Promise<number> {
        return this.inner.enqueue(requests);
    }

    heartbeat(leaseToken: string): Promise<number> {
        return this.inner.heartbeat(leaseToken);
    }

    complete(leaseToken: string, result: unknown): Promise<CompletionOutcome> {
        return this.inner.complete(leaseToken, result);
    }

    fail(leaseToken: string, error: JobError, retryable: boolean): Promise<CompletionOutcome> {
        return this.inner.fail(leaseToken, error, retryable);
    }

    async release(leaseToken: string): Promise<void> {
        await this.inner.release?.(leaseToken);
    }

    reap(): Promise<number> {
        return this.inner.reap();
    }

    counts(phase: PhaseId): Promise<JobCounts> {
        return this.inner.counts(phase);
    }
}
