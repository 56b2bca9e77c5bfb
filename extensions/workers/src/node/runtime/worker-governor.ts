import type { ThrottleLevel, WorkerResources, WorkerState } from '../../common/fleet-protocol';
import type { WorkerSettings } from '../../common/worker-settings';

/** Metrics as sampled, before a level is put on them. */
export type ResourceSample = Omit<WorkerResources, 'throttle'>;

export const ResourceMonitor = Symbol('ResourceMonitor');

/**
 * Samples the machine: GPU temperature, memory and utilization through
 * `nvidia-smi --query-gpu=… --format=csv,noheader,nounits` when it is there
 * (the hottest / fullest GPU counts), CPU and system memory through
 * `systeminformation`. Never throws: a metric it cannot read is left out.
 */
export interface ResourceMonitor {
    sample(): Promise<ResourceSample>;
}

/** What the worker loop tells the governor before each turn. */
export interface GovernorInput {
    /** Now, from the injected clock (ms since the epoch). */
    readonly now: number;
    readonly resources: ResourceSample;
    /** When the worker last had a job (ms), undefined when never since start. */
    readonly lastWorkAt?: number;
    /**
     * When the worker started (ms): the idle timeout counts from it while it
     * has had no job yet. Without either time, a model loaded with an empty
     * queue counts as past the idle timeout.
     */
    readonly startedAt?: number;
    /** Whether the queue answered work at the last claim. */
    readonly queueHadWork: boolean;
    /** Whether an admin paused it (pause command until resume). */
    readonly pausedByAdmin: boolean;
    readonly modelLoaded: boolean;
}

/** What the worker loop does next. */
export interface GovernorDecision {
    readonly state: WorkerState;
    readonly throttle: ThrottleLevel;
    /** Whether it may claim now. */
    readonly claim: boolean;
    /** Share of the phase's batch size to claim (1 normal, smaller at warning). */
    readonly batchScale: number;
    /** How long to wait before the next turn (ms): warning's pause, danger's rest, idle's heartbeat-only wait. */
    readonly waitMs: number;
    /** Unload the model now (idle: outside the schedule, or no work for the idle timeout). */
    readonly unloadModel: boolean;
    /** Load it again now (became active with work to do). */
    readonly loadModel: boolean;
    /** Tell the server "paused" (critical level) in the next heartbeat. */
    readonly reportPaused: boolean;
}

export const WorkerGovernor = Symbol('WorkerGovernor');

/**
 * The seed's worker state machine (active / resting / idle) and throttle
 * levels as one pure decision over an injected clock and metrics: outside
 * the schedule → idle (unload, heartbeats only); no work for
 * `idleUnloadMinutes` → idle (unload), new work → active (reload); warning →
 * smaller batches and pauses; danger → resting (model kept, rest, re-check);
 * critical → paused and reported.
 */
export interface WorkerGovernor {
    decide(input: GovernorInput, settings: WorkerSettings): GovernorDecision;
}
