import * as fs from 'fs';
import * as path from 'path';
import { Container } from '@theia/core/shared/inversify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PhaseProgress } from '../../extensions/archive-core/src/common/job-protocol';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { PhaseServiceImpl } from '../../extensions/archive-core/src/node/jobs/phase-service-impl';
import { writeNoisePngs } from '../ingest/generated-images';
import { failure, RecordingPhase } from './recording-phase';
import { disposeArchiveTestContainer, ingest, phaseContainer, pipelineOf, rows } from './phase-test-archive';

const IMAGES = 6;

/**
 * The phases RPC service as the Phases view uses it, over the real pipeline
 * on a real archive: counts in fractions 0..1 in every answer and notice,
 * notices while the workers work, failures with their codes, the controls,
 * and bad requests refused without changing anything.
 */
describe('the phases RPC service on a real archive', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let art: string;
    let containers: Container[] = [];
    let archives = 0;

    beforeAll(async () => {
        temp = makeTempFolder();
        art = path.join(temp.folder, 'art');
        await writeNoisePngs(art, IMAGES, 48, 23);
        fs.writeFileSync(path.join(art, 'broken.png'), Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(64, 7)]));
    }, 60_000);
    afterEach(async () => {
        for (const container of containers) {
            await disposeArchiveTestContainer(container);
        }
        containers = [];
    });
    afterAll(() => temp.remove());

    async function serviceOver(phase: RecordingPhase): Promise<{ service: PhaseServiceImpl; container: Container; folder: string }> {
        const folder = path.join(temp.folder, `archive-${++archives}`);
        const container = phaseContainer(folder, [phase]);
        containers.push(container);
        await ingest(container, art);
        return { service: container.get(PhaseServiceImpl), container, folder };
    }

    function expectFractions(progress: readonly PhaseProgress[]): void {
        for (const phase of progress) {
            const total = phase.done + phase.queued + phase.leased + phase.failed;
            expect(phase.fraction, `${phase.phase} is a fraction 0..1, never a percent`).toBeGreaterThanOrEqual(0);
            expect(phase.fraction).toBeLessThanOrEqual(1);
            expect(phase.fraction).toBeCloseTo(total ? phase.done / total : 1, 6);
        }
    }

    it('answers the counts of parse and the next phase in fractions, and tells its client as the workers finish the jobs', async () => {
        const { service, container } = await serviceOver(new RecordingPhase('words'));
        const before = await service.progress();
        expectFractions(before);
        expect(before.map(({ phase, done, queued, failed }) => ({ phase, done, queued, failed }))).toEqual([
            { phase: 'parse', done: IMAGES, queued: 0, failed: 1 },
            { phase: 'words', done: 0, queued: IMAGES, failed: 0 }
        ]);
        expect(before[0].fraction).toBeCloseTo(6 / 7, 6);

        const told: PhaseProgress[][] = [];
        service.setClient({ onPhaseProgress: progress => told.push(progress) });
        pipelineOf(container).start();
        await expect.poll(() => told.at(-1)?.find(each => each.phase === 'words')?.done).toBe(IMAGES);
        told.forEach(expectFractions);
        expect(told.at(-1)?.find(each => each.phase === 'words')).toMatchObject({ queued: 0, leased: 0, fraction: 1 });
        service.dispose();
    });

    it('lists failures with their codes, queues them again on retry, re-runs chosen assets, and pauses in the store', async () => {
        const phase = new RecordingPhase('words');
        phase.behaviour = () => failure('decode-failed', false);
        const { service, container, folder } = await serviceOver(phase);
        pipelineOf(container).start();
        await expect.poll(async () => (await service.progress()).find(each => each.phase === 'words')?.failed).toBe(IMAGES);

        const failures = await service.failures('words', 3);
        expect(failures).toHaveLength(3);
        expect(failures[0]).toMatchObject({ phase: 'words', code: 'decode-failed', message: 'the test phase failed with decode-failed' });
        expect((await service.failures('parse', 10)).map(each => each.location?.relativePath)).toEqual(['broken.png']);

        phase.behaviour = job => ({ kind: 'done', result: job.contentHash });
        expect(await service.retryFailed('words')).toBe(IMAGES);
        await expect.poll(async () => (await service.progress()).find(each => each.phase === 'words')?.done).toBe(IMAGES);

        const chosen = rows<{ id: number }>(folder, 'SELECT id FROM assets ORDER BY id LIMIT 2').map(each => each.id);
        expect(await service.rerun('words', [...chosen, chosen[0]])).toBe(2);

        await service.pause('words');
        expect((await service.progress()).find(each => each.phase === 'words')?.paused).toBe(true);
        await service.resume('words');
        expect((await service.progress()).find(each => each.phase === 'words')?.paused).toBe(false);
    });

    it('refuses an unknown phase and bad asset ids with a clear error, changing nothing', async () => {
        const { service, folder } = await serviceOver(new RecordingPhase('words'));
        const jobs = () => rows(folder, 'SELECT * FROM phase_jobs ORDER BY id');
        const before = jobs();
        await expect(service.rerun('captions', [1])).rejects.toThrow('Unknown phase "captions"; the phases are: parse, words');
        await expect(service.rerun('words', [1.5])).rejects.toThrow('asset ids');
        await expect(service.pause('../parse')).rejects.toThrow('Unknown phase');
        expect(jobs()).toEqual(before);
        expect((await service.progress()).every(each => !each.paused)).toBe(true);
    });
});
