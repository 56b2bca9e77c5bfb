import { runCaptionBenchSection } from '../phases-caption-section';
import { PhasesBenchSection } from './bench-section';

/**
 * Caption jobs/s through the caption phase against the local test endpoint
 * with a fixed delay (`--caption-images N`, default 96; `--caption-delay MS`, default 200),
 * at concurrency 1 and 4, against the endpoint's own limit
 * (min(concurrency, its 4 slots) / delay). Target: within 5 % (0.95x).
 */
export const captionSection: PhasesBenchSection = {
    id: 'caption',
    async run(context) {
        const runs = await runCaptionBenchSection({
            images: Number(context.option('caption-images', '96')),
            delayMs: Number(context.option('caption-delay', '200')),
            data: context.data,
            log: line => context.log(line)
        });
        return runs.map(run => ({
            name: `captions through the phase, concurrency ${run.concurrency}`,
            unit: 'jobs',
            ours: { name: 'phase', count: run.images, seconds: run.phaseSeconds },
            baseline: { name: 'endpoint limit', count: run.images, seconds: run.images / run.limitPerSecond },
            target: 0.95,
            notes: [`a bare client at the same concurrency: ${(run.images / run.bareSeconds).toFixed(2)} jobs/s`]
        }));
    }
};
