import type { ClaimedJob, JobError, ModelState, PhaseFailure, PhaseId, ProviderHealth } from '../../common/job-protocol';

/** What a phase's processor gets for one job. */
export interface PhaseInput {
    readonly job: ClaimedJob;
    /** Aborted when the lease is lost or the phase is paused: stop and give the job back. */
    readonly signal: AbortSignal;
}

/** What a processor answers for one job. */
export type PhaseOutput =
    | { readonly kind: 'done'; readonly result: unknown }
    | { readonly kind: 'skipped'; readonly reason: string }
    | { readonly kind: 'failed'; readonly error: JobError; readonly retryable: boolean }
    /** The provider went down while the job waited or ran: the job goes back to the queue, not counted as an attempt. */
    | { readonly kind: 'deferred'; readonly reason: string };

/** The model a phase needs, if any. */
export interface PhaseModelRequirement {
    /** The model id results are keyed by (e.g. `tesseract-kor+eng`). */
    readonly id: string;
    /** Whether the model's files or data are there; a phase without them is not run. */
    isAvailable(): boolean;
    /** Whether it is in memory now, as its model manager knows; `unloaded` when omitted and available. */
    state?(): ModelState;
}

export const PhaseContribution = Symbol('PhaseContribution');

/**
 * A phase every asset goes through, contributed by a package (bound as a
 * `PhaseContribution` in its backend module; archive-core collects them with
 * a root contribution provider). Parse is the first; OCR, captions and
 * embeddings follow through the same point.
 */
export interface PhaseContribution {
    readonly id: PhaseId;
    /** Phases whose results this one needs: its job is queued when they are done. */
    readonly needs: readonly PhaseId[];
    /** The model it runs, or undefined for a phase without one. */
    readonly model?: PhaseModelRequirement;
    /**
     * The version of the phase's settings that change its results (languages,
     * thresholds): results are reused only for the same content, model and
     * config version. '' when omitted.
     */
    readonly configVersion?: string;
    /** How many jobs one claim takes (the processor's batch); 1 when omitted. */
    readonly batchSize?: number;
    /**
     * How many batches one worker works at once; 1 when omitted. A phase that
     * waits on a remote endpoint asks for more, so one batch is claimed,
     * prepared and stored while others wait for their answers.
     */
    readonly lanes?: number;
    /**
     * Set for a phase another service drives (parse: the ingester, per file,
     * since parse creates the asset): the pipeline never queues or claims its
     * jobs and asks the driver for its counts, failures, retries and re-runs.
     */
    readonly driver?: PhaseDriver;
    /** Whether the phase runs now (its preference); a disabled phase queues nothing. */
    isEnabled(): boolean;
    /**
     * The health of the provider the phase runs on (an endpoint, a model
     * folder). While it is not `ready` the phase claims nothing: its jobs
     * wait, none is failed, and the Phases view shows why. Always ready when omitted.
     */
    health?(): ProviderHealth;
    /** Processes a batch of claimed jobs; answers one output per job, in order. */
    process(batch: readonly PhaseInput[]): Promise<PhaseOutput[]>;
    /**
     * Writes a done job's result into the store inside the transaction that
     * completes the job, so result, phase state and the next jobs commit
     * together. Writing the same result twice changes nothing.
     */
    store?(db: import('better-sqlite3').Database, job: ClaimedJob, result: unknown): void;
}

/** What a phase driven outside the queue counts, from the store. */
export interface DrivenPhaseCounts {
    readonly done: number;
    readonly queued: number;
    readonly leased: number;
    readonly failed: number;
    /** How many reached done over the last minute. */
    readonly doneLastMinute: number;
    /** Seconds from the first of those to now (the span the rate is measured over), when there is one. */
    readonly recentSpanSeconds?: number;
    /** Server time (ms) the oldest waiting item has waited since, when one waits. */
    readonly oldestQueuedAt?: number;
}

/** The service that drives a phase outside the job queue (see {@link PhaseContribution.driver}). */
export interface PhaseDriver {
    counts(): DrivenPhaseCounts;
    failures(limit: number): PhaseFailure[];
    /** Runs the failed items again; answers how many. */
    retryFailed(): Promise<number>;
    /** Runs the phase again on these assets; answers how many items were queued. */
    rerun(assetIds: readonly number[]): Promise<number>;
}
