import type { Event } from '@theia/core/lib/common/event';
import type { PhaseFailure, PhaseId, PhaseProgress } from '../../common/job-protocol';

export const PhasePipeline = Symbol('PhasePipeline');

/**
 * Runs the contributed phases on this process: queues what the store says
 * is missing, claims jobs from the {@link JobQueue}, runs the processors and
 * commits their results. Progress is counted from the store.
 */
export interface PhasePipeline {
    /** Fires when counts may have changed (throttled by the implementation). */
    readonly onDidChangeProgress: Event<void>;
    /** Starts the in-process workers (idempotent). */
    start(): void;
    /** Stops claiming, gives held jobs back; resolves when the workers are idle. */
    stop(): Promise<void>;
    /** Per contributed phase, its counts from the store (fractions 0..1). */
    progress(): Promise<PhaseProgress[]>;
    /** The phase's assets that failed (for parse: files), newest first. */
    failures(phase: PhaseId, limit: number): Promise<PhaseFailure[]>;
    /** Pauses a phase for every process on the archive (kept in the store); jobs in flight finish. */
    pause(phase: PhaseId): Promise<void>;
    resume(phase: PhaseId): Promise<void>;
    /** Queues the phase's failed assets again; answers how many. */
    retryFailed(phase: PhaseId): Promise<number>;
    /** Runs the phase again on these assets, computing their results anew; answers how many jobs were queued. */
    rerun(phase: PhaseId, assetIds: readonly number[]): Promise<number>;
    /**
     * Queues every (asset, enabled phase) the store says is missing and whose
     * needs are done (a lost job costs time, never a result); answers how
     * many jobs were added. Runs at start and after each ingest run.
     */
    sweep(): Promise<number>;
}
