import type { WorkerResources, WorkerState } from '../../common/fleet-protocol';
import type { WorkerSettings } from '../../common/worker-settings';
import type { ClaimGate } from './governed-job-queue';
import type { GovernorDecision, ResourceMonitor, WorkerGovernor } from './worker-governor';
import type { WorkerModelManager } from './worker-model-manager';

/** Resources are sampled at most this often while the governor keeps saying "claim". */
const SAMPLE_MS = 1000;

/** What the turns tell the runtime. */
export interface WorkerTurnsHost {
    log(message: string): void;
    /** The governor says "claim" again after it said not to: the phases look for work now. */
    claimAgain(): void;
}

/**
 * A worker machine's turns: before each claim (every phase's loop) and each
 * heartbeat, the {@link WorkerGovernor} decides over fresh metrics, the
 * machine's settings and what the worker knows (last work, whether the
 * queue had work, an admin's pause, whether a model is loaded). Its word
 * becomes the worker's state and throttle level for the heartbeat, the batch
 * share a claim takes (none while idle, resting or paused; smaller at
 * warning, after its pause), and the unload of models no batch is using.
 * A decision not to claim holds until its wait is over.
 */
export class WorkerTurns implements ClaimGate {

    /** Paused by an admin's command until resumed. */
    protected pausedByAdmin = false;
    protected stopping = false;
    protected currentState: WorkerState = 'active';
    protected currentResources: WorkerResources = { cpuPercent: 0, memoryPercent: 0, throttle: 'normal' };
    protected readonly startedAt = Date.now();
    protected lastWorkAt: number | undefined;
    protected queueHadWork = true;
    protected decision: GovernorDecision | undefined;
    protected decisionUntil = 0;
    protected deciding: Promise<GovernorDecision> | undefined;
    protected readonly sleepers = new Set<() => void>();

    constructor(
        protected readonly governor: WorkerGovernor,
        protected readonly monitor: ResourceMonitor,
        protected readonly manager: WorkerModelManager,
        protected readonly settings: WorkerSettings,
        protected readonly host: WorkerTurnsHost
    ) { }

    /** The state to report now. */
    get state(): WorkerState {
        return this.currentState;
    }

    /** The metrics of the last turn, with their level. */
    get resources(): WorkerResources {
        return this.currentResources;
    }

    /** An admin's pause or resume: at once, not at the next turn. */
    setPaused(paused: boolean): void {
        this.pausedByAdmin = paused;
        this.currentState = paused ? 'paused' : 'active';
        this.decision = undefined;
        this.wakeSleepers();
    }

    /** No claim from now on. */
    stop(): void {
        this.stopping = true;
        this.currentState = 'stopping';
        this.wakeSleepers();
    }

    async beforeClaim(): Promise<number> {
        const decision = await this.turn();
        if (!this.mayClaim(decision)) {
            return 0;
        }
        if (decision.waitMs > 0) {
            await this.sleep(decision.waitMs);
            if (!this.mayClaim(this.decision ?? decision)) {
                return 0;
            }
        }
        return decision.batchScale;
    }

    claimed(jobs: number): void {
        this.queueHadWork = jobs > 0;
        if (jobs > 0) {
            this.lastWorkAt = Date.now();
        }
    }

    /** The governor's decision for now: asked again after {@link SAMPLE_MS}, or after its wait when it said not to claim. */
    turn(): Promise<GovernorDecision> {
        if (this.decision && Date.now() < this.decisionUntil) {
            return Promise.resolve(this.decision);
        }
        if (!this.deciding) {
            this.deciding = this.decide().finally(() => this.deciding = undefined);
        }
        return this.deciding;
    }

    protected mayClaim(decision: GovernorDecision): boolean {
        return decision.claim && !this.pausedByAdmin && !this.stopping;
    }

    protected async decide(): Promise<GovernorDecision> {
        const sample = await this.monitor.sample().catch(() => ({ cpuPercent: 0, memoryPercent: 0 }));
        const decision = this.governor.decide({
            now: Date.now(), resources: sample, lastWorkAt: this.lastWorkAt, startedAt: this.startedAt, queueHadWork: this.queueHadWork,
            pausedByAdmin: this.pausedByAdmin, modelLoaded: this.manager.anyLoaded()
        }, this.settings);
        this.currentResources = { ...sample, throttle: decision.throttle };
        const state: WorkerState = this.stopping ? 'stopping' : this.pausedByAdmin || decision.reportPaused ? 'paused' : decision.state;
        if (state !== this.currentState) {
            this.host.log(`The worker is ${state} now (was ${this.currentState}; resources at ${decision.throttle})`);
            this.currentState = state;
        }
        if (decision.unloadModel) {
            // Only a model no batch is working with: one in use unloads at a later turn.
            await this.manager.unloadIdle();
        }
        const wasClaiming = this.decision?.claim;
        this.decision = decision;
        this.decisionUntil = Date.now() + (decision.claim ? SAMPLE_MS : Math.max(SAMPLE_MS, decision.waitMs));
        if (decision.claim && wasClaiming === false) {
            this.host.claimAgain();
        }
        return decision;
    }

    /** Waits, ending early when the worker stops or is paused or resumed. */
    protected sleep(ms: number): Promise<void> {
        return new Promise(resolve => {
            const wake = () => {
                clearTimeout(timer);
                this.sleepers.delete(wake);
                resolve();
            };
            const timer = setTimeout(wake, ms);
            this.sleepers.add(wake);
        });
    }

    protected wakeSleepers(): void {
        [...this.sleepers].forEach(wake => wake());
    }
}
