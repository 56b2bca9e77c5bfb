import { describe, expect, it } from 'vitest';
import { failure, RecordingPhase } from './recording-phase';
import { pipelineOf, rows, value } from './phase-test-archive';
import { usePhaseArchives } from './phase-test-suite';

const IMAGES = 6;

/** A phase that works several batches at once in one worker (its lanes), as the caption phase does while it waits on an endpoint. */
class LanedPhase extends RecordingPhase {
    lanes = 3;
    readonly gates: (() => void)[] = [];
}

describe('phase worker lanes', () => {
    const archives = usePhaseArchives({ images: IMAGES, size: 32, seed: 17 });
    const archiveWith = (phase: RecordingPhase) => archives.indexed([phase]);

    function gated(phase: LanedPhase): void {
        phase.behaviour = (job, signal) => new Promise(resolve => {
            const open = () => resolve({ kind: 'done', result: job.contentHash });
            phase.gates.push(open);
            signal.addEventListener('abort', () => resolve(failure('cancelled', true)));
        });
    }

    it('works as many one-job batches at once as the phase asks lanes for, and each job once', async () => {
        const phase = new LanedPhase('words', ['parse'], 'model-1', 1);
        gated(phase);
        const { folder, container } = await archiveWith(phase);
        pipelineOf(container).start();
        await expect.poll(() => phase.executions.length).toBe(3);
        expect(value<number>(folder, "SELECT count(*) FROM phase_jobs WHERE phase = 'words' AND state = 'leased'")).toBe(3);
        while (value<number>(folder, "SELECT count(*) FROM phase_states WHERE phase = 'words' AND state = 'done'") < IMAGES) {
            phase.gates.splice(0).forEach(open => open());
            await new Promise(resolve => setTimeout(resolve, 20));
        }
        expect(phase.executions).toHaveLength(IMAGES);
        expect(new Set(phase.executions.map(job => job.assetId)).size).toBe(IMAGES);
    });

    it('gives every lane\'s job back when the worker stops, without spending an attempt', async () => {
        const phase = new LanedPhase('words', ['parse'], 'model-1', 1);
        gated(phase);
        const { folder, container } = await archiveWith(phase);
        pipelineOf(container).start();
        await expect.poll(() => phase.executions.length).toBe(3);
        await pipelineOf(container).stop();
        expect(rows(folder, "SELECT state, attempts, count(*) AS n FROM phase_jobs WHERE phase = 'words' GROUP BY state, attempts"))
            .toEqual([{ state: 'queued', attempts: 0, n: IMAGES }]);
    });
});
