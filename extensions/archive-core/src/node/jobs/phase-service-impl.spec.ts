import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Container } from '@theia/core/shared/inversify';
import { Emitter } from '@theia/core/lib/common/event';
import { ILogger } from '@theia/core/lib/common/logger';
import { MockLogger } from '@theia/core/lib/common/test/mock-logger';
import { PhaseFailure, PhaseId, PhaseProgress } from '../../common/job-protocol';
import { PhasePipeline } from './phase-pipeline';
import { PhaseServiceImpl } from './phase-service-impl';

/** A pipeline of two phases whose counts the test sets; records what the service asked of it. */
class CountingPipeline implements PhasePipeline {
    readonly changes = new Emitter<void>();
    readonly onDidChangeProgress = this.changes.event;
    readonly calls: string[] = [];
    done = 0;

    start(): void { }
    async stop(): Promise<void> { }
    async sweep(): Promise<number> {
        return 0;
    }

    async progress(): Promise<PhaseProgress[]> {
        const total = 40;
        return ['parse', 'ocr'].map(phase => ({
            phase, model: phase === 'ocr' ? 'tesseract-kor+eng' : '', enabled: true, paused: false,
            done: this.done, queued: total - this.done, leased: 0, failed: 0, fraction: this.done / total, rate: 2,
            etaSeconds: (total - this.done) / 2, oldestQueuedSeconds: 7, modelState: phase === 'ocr' ? 'loaded' : 'none'
        }));
    }

    async failures(phase: PhaseId, limit: number): Promise<PhaseFailure[]> {
        this.calls.push(`failures ${phase} ${limit}`);
        return [];
    }

    async pause(phase: PhaseId): Promise<void> {
        this.calls.push(`pause ${phase}`);
    }

    async resume(phase: PhaseId): Promise<void> {
        this.calls.push(`resume ${phase}`);
    }

    async retryFailed(phase: PhaseId): Promise<number> {
        this.calls.push(`retryFailed ${phase}`);
        return 3;
    }

    async rerun(phase: PhaseId, assetIds: readonly number[]): Promise<number> {
        this.calls.push(`rerun ${phase} ${assetIds.join(',')}`);
        return assetIds.length;
    }
}

describe('PhaseServiceImpl', () => {
    let pipeline: CountingPipeline;
    let service: PhaseServiceImpl;

    beforeEach(() => {
        const container = new Container();
        container.bind(ILogger).to(MockLogger).inSingletonScope();
        pipeline = new CountingPipeline();
        container.bind(PhasePipeline).toConstantValue(pipeline);
        container.bind(PhaseServiceImpl).toSelf();
        service = container.get(PhaseServiceImpl);
    });

    afterEach(() => {
        service.dispose();
        vi.useRealTimers();
    });

    it('answers the pipeline\'s counts with fractions 0..1, never a percent', async () => {
        pipeline.done = 30;
        const [parse] = await service.progress();
        expect(parse).toMatchObject({ phase: 'parse', done: 30, queued: 10, fraction: 0.75 });
    });

    it('passes the controls on and answers how many jobs were queued', async () => {
        await service.pause('ocr');
        await service.resume('ocr');
        expect(await service.retryFailed('ocr')).toBe(3);
        expect(await service.rerun('ocr', [5, 7, 5])).toBe(2);
        expect(await service.rerun('ocr', [])).toBe(0);
        await service.failures('parse', 100_000);
        expect(pipeline.calls).toEqual(['pause ocr', 'resume ocr', 'retryFailed ocr', 'rerun ocr 5,7', 'failures parse 500']);
    });

    it('refuses an unknown phase, a bad asset list or a bad limit with a clear error, and changes nothing', async () => {
        await expect(service.pause('captions')).rejects.toThrow('Unknown phase "captions"; the phases are: parse, ocr');
        await expect(service.retryFailed(42 as unknown as string)).rejects.toThrow('Unknown phase 42');
        await expect(service.rerun('ocr', [1, -2])).rejects.toThrow('asset ids');
        await expect(service.rerun('ocr', '1,2' as unknown as number[])).rejects.toThrow('asset ids');
        await expect(service.failures('ocr', 0)).rejects.toThrow('at least 1');
        expect(pipeline.calls).toEqual([]);
    });

    it('tells its client the latest counts after a burst of changes, once, and nothing after disposal', async () => {
        vi.useFakeTimers();
        const told: PhaseProgress[][] = [];
        service.setClient({ onPhaseProgress: progress => told.push(progress) });
        for (let done = 1; done <= 40; done++) {
            pipeline.done = done;
            pipeline.changes.fire();
        }
        expect(told).toEqual([]);
        await vi.advanceTimersByTimeAsync(PhaseServiceImpl.NOTIFY_INTERVAL_MS);
        expect(told.map(progress => progress[0].done)).toEqual([40]);

        pipeline.done = 20;
        pipeline.changes.fire();
        service.dispose();
        await vi.advanceTimersByTimeAsync(PhaseServiceImpl.NOTIFY_INTERVAL_MS * 4);
        expect(told).toHaveLength(1);
    });
});
