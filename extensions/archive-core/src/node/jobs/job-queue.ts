import type { Event } from '@theia/core/lib/common/event';
import type { ClaimedJob, CompletionOutcome, JobError, LeaseRefusal, PhaseId } from '../../common/job-protocol';

/** One job to add: a phase to run on an asset's content with a model. */
export interface JobRequest {
    readonly assetId: number;
    readonly phase: PhaseId;
    readonly model: string;
    readonly contentHash: string;
    /** Higher runs first; 0 by default. */
    readonly priority?: number;
}

/** A refused lease call: a stale or unknown token. Nothing changed. */
export class LeaseRefusedError extends Error {
    constructor(readonly reason: LeaseRefusal, readonly leaseToken: string) {
        super(reason === 'stale-lease'
            ? `The lease ${leaseToken} is no longer held: it expired or the job was claimed again`
            : `No job was ever leased with ${leaseToken}`);
        this.name = 'LeaseRefusedError';
    }
}

/** How many jobs a queue holds per phase and state. */
export interface JobCounts {
    readonly queued: number;
    readonly leased: number;
    readonly done: number;
    readonly failed: number;
}

export const JobQueue = Symbol('JobQueue');

/**
 * The durable job queue phases claim their work from. Leases are set and
 * checked on the engine's clock, never a worker's. Two engines implement it
 * (the archive's own SQLite file; BullMQ on Redis for a fleet) and pass one
 * contract test suite.
 */
export interface JobQueue {
    /**
     * Adds jobs; a job for an (asset, phase) that already has an active one
     * (queued or leased) is left out. Answers how many were added.
     */
    enqueue(requests: readonly JobRequest[]): Promise<number>;
    /** Leases up to `max` queued jobs of these phases to a worker, highest priority and oldest first. */
    claim(phases: readonly PhaseId[], max: number, workerId: string): Promise<ClaimedJob[]>;
    /** Extends a lease; answers the new expiry (server clock, ms). Throws {@link LeaseRefusedError}. */
    heartbeat(leaseToken: string): Promise<number>;
    /**
     * Finishes a leased job with its result. Completing it again with the same
     * token changes nothing and answers `already-done`. Throws
     * {@link LeaseRefusedError} for a stale or unknown token.
     */
    complete(leaseToken: string, result: unknown): Promise<CompletionOutcome>;
    /**
     * Fails a leased job: a retryable error queues it again after a backoff
     * until the retry cap, then fails it for good with the reason.
     */
    fail(leaseToken: string, error: JobError, retryable: boolean): Promise<CompletionOutcome>;
    /**
     * Gives a held job back unfinished (its worker stops, or its phase was
     * paused): queued again at once, the claim not counted as an attempt.
     * Engines without it let the lease run out instead.
     */
    release?(leaseToken: string): Promise<void>;
    /** Returns jobs whose lease expired to the queue (or fails them past the cap); answers how many. */
    reap(): Promise<number>;
    counts(phase: PhaseId): Promise<JobCounts>;
    /** The phase's queue lag (age in seconds of the job waiting longest), when the engine tracks it. */
    stats?(phase: PhaseId): { readonly oldestQueuedSeconds?: number };
    /**
     * Fired when an engine whose storage lives outside the archive finds it
     * lost its jobs (Redis flushed, or restarted empty): the pipeline then
     * sweeps the archive to queue what is missing again.
     */
    readonly onDidLoseJobs?: Event<void>;
}
