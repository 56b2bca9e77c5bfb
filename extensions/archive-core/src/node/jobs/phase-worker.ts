import type { ClaimedJob, JobError, ProviderHealth } from '../../common/job-protocol';
import { JobQueue, LeaseRefusedError } from './job-queue';
import { PhaseContribution, PhaseInput, PhaseOutput } from './phase-contribution';
import { PhaseJobResult } from './phase-committer';
import type { PhaseKey } from '../store/phase-state-repository';

/** What a worker needs from the pipeline that runs it. */
export interface PhaseWorkerHost {
    readonly queue: JobQueue;
    readonly workerId: string;
    /** How often a held lease is renewed at most; more often when the lease is shorter than three times this. */
    readonly heartbeatMs: number;
    /** Now on the queue's clock (ms), to read a lease's length from its expiry. */
    serverNow(): Promise<number>;
    /** How long a worker with nothing to do waits before it looks again. */
    readonly idleMs: number;
    /** The result already stored for this content, phase, model and config version, when one is (then the job is done without work). */
    storedResult(key: Omit<PhaseKey, 'assetId'>): Promise<{ readonly result: unknown } | undefined>;
    isPaused(phase: string): boolean;
    /** The key fields of a job's stored result (the phase's current config version). */
    configVersion(contribution: PhaseContribution): string;
    /** Told after each batch, for progress. */
    worked(): void;
    /** Told when the phase was switched on, got its model or changed model: what it has not done yet is to be queued. */
    demandChanged(): void;
    warn(message: string): void;
}

/** The longest a worker waits for a provider that is down before it looks again. */
const MAX_PROVIDER_WAIT_MS = 60_000;
/** The most batches one worker works at once. */
const MAX_LANES = 64;

/** One held job on its way through a batch. */
interface HeldJob {
    readonly job: ClaimedJob;
    readonly abort: AbortController;
    lost: boolean;
}

/**
 * The loop of one phase in one process: claims a batch while the phase is
 * enabled, not paused, its model is there and its provider is ready (while
 * it is down, the jobs wait and the worker looks again at its retry time or
 * when poked); renews the leases while the
 * processor works; completes or fails each job. A job whose result the store
 * already has for its content, model and config version completes from it
 * without the processor; a job of a model the phase no longer runs
 * completes as superseded. A deferred output (the provider went down) gives
 * the job back to the queue without spending an attempt. A lost lease aborts
 * that job and drops its output.
 */
export class PhaseWorker {

    protected stopping = false;
    /** The jobs every lane holds now. */
    protected readonly held = new Set<HeldJob>();
    protected readonly wakers = new Set<() => void>();
    /** The lanes running, by index, and their loops. */
    protected readonly lanes = new Map<number, Promise<void>>();
    /** What the phase wanted at the last turn (on, model there, model id). */
    protected demand: string | undefined;
    /** The provider's state at the last turn. */
    protected providerState: ProviderHealth['state'] = 'ready';
    /** When a provider that is down is tried again (its clock, ms). */
    protected retryAt: number | undefined;
    readonly finished: Promise<void>;

    constructor(protected readonly contribution: PhaseContribution, protected readonly host: PhaseWorkerHost) {
        this.finished = this.loop(0);
    }

    /** Stops claiming and aborts the batches in flight; {@link finished} settles when the worker is idle. */
    stop(): Promise<void> {
        this.stopping = true;
        this.held.forEach(held => held.abort.abort());
        this.wakers.forEach(wake => wake());
        return this.finished;
    }

    /** Looks for work now instead of after the idle wait. */
    poke(): void {
        this.wakers.forEach(wake => wake());
    }

    /** How many batches the phase wants worked at once. */
    protected wantedLanes(): number {
        const lanes = Math.floor(this.contribution.lanes ?? 1);
        return Number.isFinite(lanes) ? Math.min(MAX_LANES, Math.max(1, lanes)) : 1;
    }

    /** Starts the lanes the phase wants and that do not run yet; a lane past the wanted count ends after its turn. */
    protected startLanes(): void {
        const wanted = this.wantedLanes();
        for (let index = 1; index < wanted && !this.stopping; index++) {
            if (!this.lanes.has(index)) {
                this.lanes.set(index, this.loop(index).finally(() => this.lanes.delete(index)));
            }
        }
    }

    /**
     * One lane: claims and works batches one after another. Lane 0 runs as
     * long as the worker; it starts the others the phase asks for (a phase
     * waiting on an endpoint keeps it busy while another lane claims and
     * stores) and, when it stops, waits for them.
     */
    protected async loop(index: number): Promise<void> {
        while (!this.stopping && (index === 0 || index < this.wantedLanes())) {
            if (index === 0) {
                this.startLanes();
            }
            let worked = false;
            try {
                worked = await this.turn();
            } catch (error) {
                this.host.warn(`The ${this.contribution.id} phase stopped a batch: ${messageOf(error)}`);
            }
            if (!worked && !this.stopping) {
                const wait = this.waitMs();
                await new Promise<void>(resolve => {
                    const wake = () => {
                        clearTimeout(timer);
                        this.wakers.delete(wake);
                        resolve();
                    };
                    const timer = setTimeout(wake, wait);
                    this.wakers.add(wake);
                });
            }
        }
        if (index === 0) {
            while (this.lanes.size) {
                await Promise.all([...this.lanes.values()]);
            }
        }
    }

    /** Claims and works one batch; answers false when there was nothing to do. */
    protected async turn(): Promise<boolean> {
        const { contribution, host } = this;
        const enabled = contribution.isEnabled();
        const available = !contribution.model || contribution.model.isAvailable();
        const demand = `${enabled}:${available}:${contribution.model?.id ?? ''}`;
        if (demand !== this.demand) {
            if (this.demand !== undefined) {
                host.demandChanged();
            }
            this.demand = demand;
        }
        if (!enabled || !available || host.isPaused(contribution.id) || !this.providerReady()) {
            return false;
        }
        const jobs = await host.queue.claim([contribution.id], Math.max(1, contribution.batchSize ?? 1), host.workerId);
        if (!jobs.length) {
            return false;
        }
        const batch: HeldJob[] = jobs.map(job => ({ job, abort: new AbortController(), lost: false }));
        batch.forEach(held => this.held.add(held));
        if (this.stopping) {
            batch.forEach(held => held.abort.abort());
        }
        try {
            // A third of the lease, read on the queue's clock alone (this process's clock may be off).
            const leaseLeft = Math.min(...jobs.map(job => job.leaseExpiresAt)) - await host.serverNow();
            const heartbeat = setInterval(() => this.heartbeat(batch), Math.max(100, Math.min(host.heartbeatMs, leaseLeft / 3)));
            try {
                await this.work(batch);
            } finally {
                clearInterval(heartbeat);
            }
        } finally {
            batch.forEach(held => this.held.delete(held));
            host.worked();
        }
        return true;
    }

    /**
     * Whether the phase's provider can take work now. A change of its state
     * is told as progress (the Phases view shows a provider that went down).
     */
    protected providerReady(): boolean {
        const health = this.contribution.health?.();
        const state = health?.state ?? 'ready';
        if (state !== this.providerState) {
            this.providerState = state;
            this.host.worked();
        }
        this.retryAt = state === 'ready' ? undefined : health?.retryAt;
        return state === 'ready';
    }

    /** How long to wait before looking for work again: the idle wait, or until the provider's retry time while it is down. */
    protected waitMs(): number {
        if (this.retryAt === undefined) {
            return this.host.idleMs;
        }
        // Not past the retry time (plus a little, so the provider's clock has passed it too); poke() ends the wait sooner.
        return Math.max(this.host.idleMs, Math.min(MAX_PROVIDER_WAIT_MS, this.retryAt - Date.now() + 10));
    }

    protected async work(batch: HeldJob[]): Promise<void> {
        const model = this.contribution.model?.id ?? '';
        const configVersion = this.host.configVersion(this.contribution);
        const toProcess: HeldJob[] = [];
        for (const held of batch) {
            if (held.job.model !== model) {
                await this.finish(held, { kind: 'superseded' });
                continue;
            }
            const stored = await this.host.storedResult({ contentHash: held.job.contentHash, phase: held.job.phase, model, configVersion });
            if (stored) {
                await this.finish(held, { kind: 'done', result: stored.result });
            } else {
                toProcess.push(held);
            }
        }
        if (!toProcess.length) {
            return;
        }
        let outputs: PhaseOutput[];
        try {
            const inputs: PhaseInput[] = toProcess.map(held => ({ job: held.job, signal: held.abort.signal }));
            outputs = await this.contribution.process(inputs);
            if (outputs.length !== inputs.length) {
                throw new Error(`the processor answered ${outputs.length} outputs for ${inputs.length} jobs`);
            }
        } catch (error) {
            const failure: JobError = { code: 'internal', message: `The ${this.contribution.id} phase failed: ${messageOf(error)}` };
            outputs = toProcess.map(() => ({ kind: 'failed', error: failure, retryable: true }));
        }
        for (let i = 0; i < toProcess.length; i++) {
            const output = outputs[i];
            if (toProcess[i].abort.signal.aborted && !toProcess[i].lost && output.kind === 'failed') {
                // Aborted because this process stops or the phase was paused: the job goes back to the queue, no attempt spent.
                await this.giveBack(toProcess[i]);
                continue;
            }
            if (output.kind === 'deferred') {
                // The provider went down: the job waits in the queue for it, no attempt spent.
                await this.giveBack(toProcess[i]);
            } else if (output.kind === 'failed') {
                await this.fail(toProcess[i], output.error, output.retryable);
            } else {
                await this.finish(toProcess[i], output.kind === 'done' ? { kind: 'done', result: output.result } : { kind: 'skipped', reason: output.reason });
            }
        }
    }

    protected async finish(held: HeldJob, result: PhaseJobResult): Promise<void> {
        if (held.lost) {
            return;
        }
        try {
            await this.guard(held, () => this.host.queue.complete(held.job.leaseToken, result));
        } catch (error) {
            // Storing the result failed (its transaction rolled back): the job fails with the reason, and is retried.
            this.host.warn(`Storing the ${held.job.phase} result of asset ${held.job.assetId} failed: ${messageOf(error)}`);
            await this.fail(held, { code: 'store-failed', message: `The result could not be stored: ${messageOf(error)}` }, true);
        }
    }

    protected async giveBack(held: HeldJob): Promise<void> {
        const { queue } = this.host;
        if (queue.release) {
            await this.guard(held, () => queue.release!(held.job.leaseToken));
        }
    }

    protected async fail(held: HeldJob, error: JobError, retryable: boolean): Promise<void> {
        if (held.lost) {
            return;
        }
        await this.guard(held, () => this.host.queue.fail(held.job.leaseToken, error, retryable));
    }

    /** Runs a lease call; a refused lease means another worker has the job now: this one lets it go. */
    protected async guard(held: HeldJob, call: () => Promise<unknown>): Promise<void> {
        try {
            await call();
        } catch (error) {
            if (!(error instanceof LeaseRefusedError)) {
                throw error;
            }
            this.lose(held, error);
        }
    }

    protected heartbeat(batch: readonly HeldJob[]): void {
        if (this.host.isPaused(this.contribution.id)) {
            batch.forEach(held => held.abort.abort());
        }
        for (const held of batch) {
            if (!held.lost) {
                this.host.queue.heartbeat(held.job.leaseToken).catch(error => {
                    if (error instanceof LeaseRefusedError) {
                        this.lose(held, error);
                    } else {
                        this.host.warn(`Renewing the lease of job ${held.job.jobId} failed: ${messageOf(error)}`);
                    }
                });
            }
        }
    }

    protected lose(held: HeldJob, error: LeaseRefusedError): void {
        held.lost = true;
        held.abort.abort();
        this.host.warn(`The ${held.job.phase} job ${held.job.jobId} lost its lease (${error.reason}); its work is dropped`);
    }
}

function messageOf(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
