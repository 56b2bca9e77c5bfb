import { injectable } from '@theia/core/shared/inversify';
import type { ThrottleLevel, WorkerState } from '../../common/fleet-protocol';
import type { WorkerSettings } from '../../common/worker-settings';
import type { GovernorDecision, GovernorInput, WorkerGovernor } from './worker-governor';
import { isWithinSchedule } from './worker-schedule';
import { throttleLevelOf } from './worker-throttle';

const MINUTE_MS = 60_000;

/**
 * The seed's state machine, checked in this order each turn:
 * 1. paused by an admin → `paused`, no claims (the model is unloaded when the
 *    machine is also outside its hours, critical, or past the idle timeout);
 * 2. critical → `paused`, model unloaded (GPU memory returned), "paused"
 *    reported, re-checked after `dangerRestMs`;
 * 3. outside the schedule → `idle`: model unloaded, no claims, heartbeats
 *    only, re-checked at the next minute (hours are whole minutes);
 * 4. danger → `resting`: model kept, no claims, re-checked after `dangerRestMs`;
 * 5. no work for `idleUnloadMinutes` → `idle`: model unloaded, claims go
 *    on at the worker loop's pace so new work is found;
 * 6. otherwise `active`: claims (batches scaled by `warningBatchScale` and
 *    spaced by `warningPauseMs` at warning; no wait otherwise) and loads the
 *    model again once the queue answered work.
 * `waitMs` is a wait before the next claim (warning's pause) or, without a
 * claim, until the decision is worth asking again.
 */
@injectable()
export class DefaultWorkerGovernor implements WorkerGovernor {
    /** How long a paused worker waits before it is asked again (ms); a resume wakes the worker loop anyway. */
    protected readonly pausedWaitMs = 2000;

    decide(input: GovernorInput, settings: WorkerSettings): GovernorDecision {
        const throttle = throttleLevelOf(input.resources, settings.throttle);
        const inSchedule = isWithinSchedule(settings.schedule, input.now);
        const timedOut = this.idleTimedOut(input, settings);
        const rest = settings.throttle.dangerRestMs;
        if (input.pausedByAdmin) {
            return this.still('paused', throttle, input, this.pausedWaitMs, throttle === 'critical' || !inSchedule || timedOut);
        }
        if (throttle === 'critical') {
            return this.still('paused', throttle, input, rest, true);
        }
        if (!inSchedule) {
            return this.still('idle', throttle, input, MINUTE_MS - input.now % MINUTE_MS, true);
        }
        if (throttle === 'danger') {
            return this.still('resting', throttle, input, rest, timedOut);
        }
        // An empty queue is polled at the worker loop's own pace (PhaseWorker's idle wait): nothing to add here.
        const warning = throttle === 'warning';
        return {
            state: timedOut ? 'idle' : 'active',
            throttle,
            claim: true,
            batchScale: warning ? settings.throttle.warningBatchScale : 1,
            waitMs: warning ? settings.throttle.warningPauseMs : 0,
            unloadModel: timedOut && input.modelLoaded,
            loadModel: !input.modelLoaded && input.queueHadWork,
            reportPaused: false
        };
    }

    /** No work for the schedule's `idleUnloadMinutes` (0: never) and the queue answered none at the last claim. */
    protected idleTimedOut(input: GovernorInput, settings: WorkerSettings): boolean {
        const minutes = settings.schedule.idleUnloadMinutes;
        if (minutes <= 0 || input.queueHadWork) {
            return false;
        }
        const since = input.lastWorkAt ?? input.startedAt;
        return since === undefined || input.now - since >= minutes * MINUTE_MS;
    }

    /** A turn without claims. */
    protected still(state: WorkerState, throttle: ThrottleLevel, input: GovernorInput, waitMs: number, unload: boolean): GovernorDecision {
        return {
            state,
            throttle,
            claim: false,
            batchScale: 0,
            waitMs,
            unloadModel: unload && input.modelLoaded,
            loadModel: false,
            reportPaused: throttle === 'critical'
        };
    }
}
