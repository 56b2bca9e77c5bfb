import type { Database } from 'better-sqlite3';
import type { ClaimedJob, JobError, ModelState, PhaseId } from '../../extensions/archive-core/src/common/job-protocol';
import type { PhaseContribution, PhaseInput, PhaseModelRequirement, PhaseOutput } from '../../extensions/archive-core/src/node/jobs/phase-contribution';

/** What the recording phase does with a job, decided per call. */
export type RecordingBehaviour = (job: ClaimedJob, signal: AbortSignal) => Promise<PhaseOutput> | PhaseOutput;

/**
 * A phase contributed by a test: it answers the content hash's first 8
 * characters as its result and records each execution (in memory) and each
 * stored result (in its own table, one row per store call, in the
 * completing transaction). Only its "model" is a test double.
 */
export class RecordingPhase implements PhaseContribution {

    readonly executions: ClaimedJob[] = [];
    enabled = true;
    modelId: string;
    modelAvailable = true;
    modelState: ModelState = 'loaded';
    behaviour: RecordingBehaviour = job => ({ kind: 'done', result: { text: job.contentHash.slice(0, 8), model: job.model } });

    constructor(readonly id: PhaseId, readonly needs: readonly PhaseId[] = ['parse'], model = 'model-1', readonly batchSize = 4) {
        this.modelId = model;
    }

    get model(): PhaseModelRequirement {
        return { id: this.modelId, isAvailable: () => this.modelAvailable, state: () => this.modelState };
    }

    isEnabled(): boolean {
        return this.enabled;
    }

    async process(batch: readonly PhaseInput[]): Promise<PhaseOutput[]> {
        const outputs: PhaseOutput[] = [];
        for (const input of batch) {
            this.executions.push(input.job);
            outputs.push(await this.behaviour(input.job, input.signal));
        }
        return outputs;
    }

    store(db: Database, job: ClaimedJob, result: unknown): void {
        db.prepare(`CREATE TABLE IF NOT EXISTS test_phase_results (phase TEXT, asset_id INTEGER, model TEXT, job_id INTEGER, result TEXT)`).run();
        db.prepare('INSERT INTO test_phase_results (phase, asset_id, model, job_id, result) VALUES (?, ?, ?, ?, ?)')
            .run(this.id, job.assetId, job.model, job.jobId, JSON.stringify(result));
    }
}

/** A failure a processor answers. */
export function failure(code: string, retryable: boolean): PhaseOutput {
    const error: JobError = { code, message: `the test phase failed with ${code}` };
    return { kind: 'failed', error, retryable };
}
