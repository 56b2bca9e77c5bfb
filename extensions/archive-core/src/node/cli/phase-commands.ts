import { Container } from '@theia/core/shared/inversify';
import { MultiBar, Presets, SingleBar } from 'cli-progress';
import type { PhaseProgress } from '../../common/job-protocol';
import { DefaultPhasePipeline } from '../jobs/default-phase-pipeline';
import { PhaseContribution } from '../jobs/phase-contribution';
import { ContributionProvider } from '@theia/core/lib/common/contribution-provider';
import { AiModels } from '../inference/ai-models';
import { phaseLine, phaseTable } from './phase-table';

const POLL_MS = 250;
const PLAIN_LINE_MS = 2000;

/** `imageparser phases`: every phase's counts, as the app's Phases view shows them. */
export async function printPhases(container: Container): Promise<number> {
    const progress = await container.get(DefaultPhasePipeline).progress();
    process.stdout.write(`${phaseTable(progress)}\n`);
    return 0;
}

/**
 * `imageparser run`: queues what the archive is missing, then works the
 * queued jobs of every phase that can run (enabled, not paused, its model
 * there) until none is left, also those another process (the app) holds;
 * a bar per phase on a terminal, a line every two seconds otherwise.
 * Ctrl+C stops after the jobs in hand (their leases run out otherwise).
 */
export async function runPhases(container: Container): Promise<number> {
    const pipeline = container.get(DefaultPhasePipeline);
    const contributions = container.getNamed<ContributionProvider<PhaseContribution>>(ContributionProvider, PhaseContribution).getContributions();
    const runnable = (phase: PhaseProgress) => {
        const contribution = contributions.find(each => each.id === phase.phase);
        return !!contribution && !contribution.driver && phase.enabled && !phase.paused && phase.modelState !== 'missing';
    };
    let interrupted = false;
    const onInterrupt = () => interrupted = true;
    process.once('SIGINT', onInterrupt);
    // The AI phases are on once their models' settings are checked (a folder read, an endpoint asked): before that they read as off.
    await container.get<AiModels>(AiModels).refresh();
    pipeline.start();
    await pipeline.sweep();
    const view = process.stderr.isTTY ? new BarView() : new LineView();
    let progress = await pipeline.progress();
    try {
        while (!interrupted) {
            progress = await pipeline.progress();
            view.show(progress.filter(phase => runnable(phase)));
            if (progress.filter(runnable).every(phase => phase.queued + phase.leased === 0)) {
                break;
            }
            await new Promise(resolve => setTimeout(resolve, POLL_MS));
        }
    } finally {
        view.stop();
        process.removeListener('SIGINT', onInterrupt);
        await pipeline.stop();
    }
    progress = await pipeline.progress();
    process.stdout.write(`${phaseTable(progress)}\n`);
    for (const phase of progress.filter(each => !runnable(each) && each.queued > 0 && !contributions.find(c => c.id === each.phase)?.driver)) {
        const why = !phase.enabled ? 'it is off' : phase.paused ? 'it is paused' : 'its model is missing';
        process.stdout.write(`${phase.phase}: ${phase.queued} ${phase.queued === 1 ? 'job waits' : 'jobs wait'}: ${why}\n`);
    }
    return interrupted ? 130 : 0;
}

interface ProgressView {
    show(phases: readonly PhaseProgress[]): void;
    stop(): void;
}

/** One bar per phase on a terminal. */
class BarView implements ProgressView {
    protected readonly bars = new MultiBar({
        format: '{phase} {bar} {value}/{total} | {rate}/s | {left} left | {failed} failed',
        stream: process.stderr,
        hideCursor: true,
        clearOnComplete: false
    }, Presets.shades_classic);
    protected readonly byPhase = new Map<string, SingleBar>();

    show(phases: readonly PhaseProgress[]): void {
        const width = Math.max(...phases.map(phase => phase.phase.length), 0);
        for (const phase of phases) {
            const total = phase.done + phase.queued + phase.leased + phase.failed;
            const payload = {
                phase: phase.phase.padEnd(width), rate: phase.rate.toFixed(1), failed: phase.failed,
                left: phase.etaSeconds === undefined ? '-' : `${Math.ceil(phase.etaSeconds)}s`
            };
            let bar = this.byPhase.get(phase.phase);
            if (!bar) {
                bar = this.bars.create(total, phase.done + phase.failed, payload);
                this.byPhase.set(phase.phase, bar);
            }
            bar.setTotal(total);
            bar.update(phase.done + phase.failed, payload);
        }
    }

    stop(): void {
        this.bars.stop();
    }
}

/** A line per phase every two seconds when its counts changed, for logs and pipes. */
class LineView implements ProgressView {
    protected lastLines = new Map<string, string>();
    protected lastAt = 0;

    show(phases: readonly PhaseProgress[]): void {
        if (Date.now() - this.lastAt < PLAIN_LINE_MS) {
            return;
        }
        this.lastAt = Date.now();
        for (const phase of phases) {
            const line = phaseLine(phase);
            const counts = line.replace(/, [\d.]+\/s.*$/, '');
            if (this.lastLines.get(phase.phase) !== counts) {
                this.lastLines.set(phase.phase, counts);
                process.stderr.write(`${line}\n`);
            }
        }
    }

    stop(): void {
        this.lastAt = 0;
    }
}
