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
    progress(): PhaseProgress[];
    failures(phase: PhaseId, limit: number): PhaseFailure[];
    /** Pauses a phase for every process on the archive (kept in the store). */
    pause(phase: PhaseId): void;
    resume(phase: PhaseId): void;
    retryFailed(phase: PhaseId): number;
    rerun(phase: PhaseId, assetIds: readonly number[]): number;
}
