import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveIngester } from '../ingest/archive-ingester';
import { createArchiveTestContainer, disposeArchiveTestContainer, makeTempFolder } from '../test/archive-test-container';
import { DefaultPhasePipeline, PhasePipelineOptions } from './default-phase-pipeline';
import { phaseProgressOf, progressFraction } from './phase-progress';
import { PhaseContribution, PhaseInput, PhaseOutput } from './phase-contribution';

/**
 * The unit of progress: every fraction the pipeline answers is 0..1 (the
 * views multiply by 100 where they show a percent), counted from the store.
 */
describe('phase progress fractions', () => {
    let temp: ReturnType<typeof makeTempFolder>;

    beforeAll(() => {
        temp = makeTempFolder();
    });
    afterAll(() => temp.remove());

    it('is done over all, 1 when there is nothing to do, and never outside 0..1', () => {
        expect(progressFraction(3, 4)).toBe(0.75);
        expect(progressFraction(0, 0)).toBe(1);
        expect(progressFraction(0, 7)).toBe(0);
        expect(progressFraction(9, 4)).toBe(1);
        expect(progressFraction(-1, 4)).toBe(0);
    });

    it('measures the rate over the time work has run when it started less than a minute ago', () => {
        const phase: PhaseContribution = { id: 'count', needs: [], isEnabled: () => true, process: async () => [] };
        const counts = { done: 10, queued: 290, leased: 0, failed: 0, doneLastMinute: 10 };
        // 10 done in the 2 s since work began: 2 per second (over at least 5 s), not 10 per minute and 29 minutes left.
        const starting = phaseProgressOf(phase, { ...counts, recentSpanSeconds: 2 }, false, 0);
        expect(starting.rate).toBe(2);
        expect(starting.etaSeconds).toBe(145);
        expect(phaseProgressOf(phase, { ...counts, recentSpanSeconds: 20 }, false, 0).rate).toBe(0.5);
        expect(phaseProgressOf(phase, { ...counts, recentSpanSeconds: 59.5 }, false, 0).rate).toBeCloseTo(10 / 59.5);
        expect(phaseProgressOf(phase, counts, false, 0).rate).toBeCloseTo(10 / 60);
        // Paused: nothing is worked, so no rate and no time left.
        expect(phaseProgressOf(phase, { ...counts, recentSpanSeconds: 2 }, true, 0)).toMatchObject({ paused: true, rate: 0, etaSeconds: undefined });
    });

    it('answers 0.75, not 75, for a phase done on three assets of four', async () => {
        const art = path.join(temp.folder, 'art');
        fs.mkdirSync(art, { recursive: true });
        for (let i = 0; i < 4; i++) {
            await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 60 * i, g: 10, b: 200 - 40 * i } } }).png().toFile(path.join(art, `${i}.png`));
        }
        let calls = 0;
        const phase: PhaseContribution = {
            id: 'count', needs: ['parse'], isEnabled: () => true,
            process: async (batch: readonly PhaseInput[]): Promise<PhaseOutput[]> => batch.map(() => ++calls === 4
                ? { kind: 'failed', error: { code: 'unreadable', message: 'the fourth one fails' }, retryable: false }
                : { kind: 'done', result: calls })
        };
        const container = createArchiveTestContainer(path.join(temp.folder, 'archive'), { threads: 1 });
        container.bind(PhaseContribution).toConstantValue(phase);
        container.bind(PhasePipelineOptions).toConstantValue({ idleMs: 20 });
        try {
            const ingester = container.get<ArchiveIngester>(ArchiveIngester);
            await ingester.finished(await ingester.start(art));
            const pipeline = container.get(DefaultPhasePipeline);
            pipeline.start();
            await expect.poll(async () => (await pipeline.progress()).find(each => each.phase === 'count')?.failed).toBe(1);
            const progress = await pipeline.progress();
            expect(progress.find(each => each.phase === 'count')).toMatchObject({ done: 3, failed: 1, queued: 0, leased: 0, fraction: 0.75 });
            expect(progress.find(each => each.phase === 'parse')).toMatchObject({ done: 4, fraction: 1 });
            for (const each of progress) {
                expect(each.fraction).toBeGreaterThanOrEqual(0);
                expect(each.fraction).toBeLessThanOrEqual(1);
            }
        } finally {
            await disposeArchiveTestContainer(container);
        }
    });
});
