import type { ModelState, PhaseProgress } from '../../common/job-protocol';
import { DrivenPhaseCounts, PhaseContribution } from './phase-contribution';

/** done / total as a fraction 0..1 (never a percent); 1 when there is nothing to do. */
export function progressFraction(done: number, total: number): number {
    if (!(total > 0)) {
        return 1;
    }
    return Math.min(1, Math.max(0, done / total));
}

/** What a phase's model is doing, as its requirement (or the model manager behind it) says. */
export function modelStateOf(contribution: PhaseContribution): ModelState {
    const model = contribution.model;
    if (!model) {
        return 'none';
    }
    if (!model.isAvailable()) {
        return 'missing';
    }
    return model.state?.() ?? 'unloaded';
}

/**
 * A phase's progress from its counts in the store: the fraction done of
 * all it has (done, waiting, in progress, failed), the rate over the last
 * minute (over the time since the first completion in it, when work started
 * less than a minute ago, and at least 5 s), the time left at that rate, the queue lag and the
 * health of the provider it runs on (when it has one), `now` and
 * `counts.oldestQueuedAt` both on the store's clock.
 */
export function phaseProgressOf(contribution: PhaseContribution, counts: DrivenPhaseCounts, paused: boolean, now: number): PhaseProgress {
    const total = counts.done + counts.queued + counts.leased + counts.failed;
    // A paused phase works nothing: no rate and no time left (the last minute's would read as if it still worked).
    const rate = paused ? 0 : counts.doneLastMinute / Math.min(60, Math.max(5, counts.recentSpanSeconds ?? 60));
    const left = counts.queued + counts.leased;
    return {
        phase: contribution.id,
        model: contribution.model?.id ?? '',
        enabled: contribution.isEnabled(),
        paused,
        done: counts.done,
        queued: counts.queued,
        leased: counts.leased,
        failed: counts.failed,
        fraction: progressFraction(counts.done, total),
        rate,
        etaSeconds: rate > 0 && left > 0 ? left / rate : undefined,
        oldestQueuedSeconds: counts.oldestQueuedAt === undefined ? undefined : Math.max(0, (now - counts.oldestQueuedAt) / 1000),
        modelState: modelStateOf(contribution),
        provider: contribution.health?.()
    };
}
