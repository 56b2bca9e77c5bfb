import { describe, expect, it } from 'vitest';
import type { ProviderHealth } from '../../extensions/archive-core/src/common/job-protocol';
import { RecordingPhase } from './recording-phase';
import { pipelineOf, rows, value } from './phase-test-archive';
import { usePhaseArchives } from './phase-test-suite';

const IMAGES = 4;

/** A phase that runs on a provider (an endpoint) whose health the test sets. */
class ProviderPhase extends RecordingPhase {
    providerHealth: ProviderHealth = { state: 'ready' };
    healthChecks = 0;

    health(): ProviderHealth {
        this.healthChecks++;
        return this.providerHealth;
    }
}

/**
 * The pipeline and a phase's provider: while it is not ready the phase
 * claims nothing and its jobs wait (none failed, no attempt spent), the
 * worker looks again at the provider's retry time, a deferred output gives
 * the job back without an attempt, and progress carries the provider's health.
 */
describe('phases on a provider that can be down', () => {
    const archives = usePhaseArchives({ images: IMAGES, size: 32, seed: 5 });
    const archiveWith = (phase: RecordingPhase) => archives.indexed([phase]);

    const jobStates = (folder: string) => rows(folder, "SELECT state, attempts, count(*) AS n FROM phase_jobs WHERE phase = 'words' GROUP BY state, attempts");

    it('claims nothing while the provider is down, shows it in progress, and works every job once it is ready', async () => {
        const phase = new ProviderPhase('words');
        const retryAt = Date.now() + 60_000;
        phase.providerHealth = { state: 'down', code: 'endpoint-down', message: 'http://127.0.0.1:9/v1 is not answering', retryAt };
        const { folder, container } = await archiveWith(phase);
        const pipeline = pipelineOf(container);
        pipeline.start();
        await expect.poll(() => phase.healthChecks).toBeGreaterThan(0);
        await new Promise(resolve => setTimeout(resolve, 500));
        expect(phase.executions).toHaveLength(0);
        expect(jobStates(folder)).toEqual([{ state: 'queued', attempts: 0, n: IMAGES }]);
        // Down with a retry time a minute away: the worker waits for it instead of asking every idle turn (50 ms).
        expect(phase.healthChecks).toBe(1);
        const progress = (await pipeline.progress()).find(each => each.phase === 'words')!;
        expect(progress).toMatchObject({ queued: IMAGES, failed: 0, provider: { state: 'down', code: 'endpoint-down', retryAt } });

        phase.providerHealth = { state: 'ready' };
        await pipeline.resume('words');
        await expect.poll(() => value<number>(folder, "SELECT count(*) FROM phase_states WHERE phase = 'words' AND state = 'done'")).toBe(IMAGES);
        expect((await pipeline.progress()).find(each => each.phase === 'words')!.provider).toEqual({ state: 'ready' });
    });

    it('gives a deferred job back to the queue without spending an attempt, and works it once the provider answers', async () => {
        const phase = new ProviderPhase('words', ['parse'], 'model-1', 2);
        let deferrals = 0;
        phase.behaviour = job => {
            if (deferrals < 3 * IMAGES) {
                deferrals++;
                return { kind: 'deferred', reason: 'the endpoint went down' };
            }
            return { kind: 'done', result: job.contentHash };
        };
        const { folder, container } = await archiveWith(phase);
        pipelineOf(container).start();
        await expect.poll(() => value<number>(folder, "SELECT count(*) FROM phase_states WHERE phase = 'words' AND state = 'done'")).toBe(IMAGES);
        expect(deferrals).toBe(3 * IMAGES);
        // Each job was claimed four times; three were given back, so only the last counts.
        expect(jobStates(folder)).toEqual([{ state: 'done', attempts: 1, n: IMAGES }]);
        expect(await pipelineOf(container).failures('words', 10)).toEqual([]);
    });
});
