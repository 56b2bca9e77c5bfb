import { inject, injectable } from '@theia/core/shared/inversify';
import { Emitter, Event } from '@theia/core/lib/common/event';
import { nls } from '@theia/core/lib/common/nls';
import type { WorkerCommand, WorkerRole } from '../common/fleet-protocol';
import {
    FleetOverview, FleetPhaseQueue, FleetService, FleetWorker, IssuedWorkerToken, WorkerTokenInfo
} from '../common/fleet-service';
import { FleetEvents } from './fleet-events';

/** `loading` until the first overview arrives; `unavailable` when the backend could not answer (see {@link FleetModel.error}). */
export type FleetModelState = 'loading' | 'ready' | 'unavailable';

const EMPTY: FleetOverview = { workers: [], phases: [], engine: '', blocked: [] };

/**
 * What the fleet panel and the fleet commands show and do: the workers and
 * the per-phase queues from the backend (kept current by its notices), the
 * worker tokens, the secret of the token issued last (held here only, until
 * dismissed: the backend keeps its hash), and which workers have a command
 * in flight. Commands go through here and answer what the backend answered.
 */
@injectable()
export class FleetModel {

    @inject(FleetService)
    protected readonly service: FleetService;

    @inject(FleetEvents)
    protected readonly events: FleetEvents;

    protected readonly onDidChangeEmitter = new Emitter<void>();
    /** Fires when anything the model holds changed: the overview, the tokens, the issued secret, busy workers. */
    readonly onDidChange: Event<void> = this.onDidChangeEmitter.event;

    protected _state: FleetModelState = 'loading';
    protected _error = '';
    protected _overview: FleetOverview = EMPTY;
    /** When the overview arrived, on this page's clock: heartbeat ages grow from there until the next one. */
    protected receivedAt = 0;
    /** Counts the overviews that arrived, so an answer to an older request never replaces a newer notice. */
    protected arrivals = 0;
    protected _tokens: WorkerTokenInfo[] = [];
    protected _issued: IssuedWorkerToken | undefined;
    protected readonly busy = new Set<string>();
    protected contributing = false;
    protected started = false;

    /** Starts following the fleet (idempotent). */
    start(): void {
        if (this.started) {
            return;
        }
        this.started = true;
        this.events.onDidChange(overview => this.setOverview(overview));
        this.refresh();
        this.refreshTokens().catch(() => undefined);
    }

    get state(): FleetModelState {
        return this._state;
    }

    /** Why the backend could not answer, when {@link state} is `unavailable`. */
    get error(): string {
        return this._error;
    }

    get workers(): readonly FleetWorker[] {
        return this._overview.workers;
    }

    get phases(): readonly FleetPhaseQueue[] {
        return this._overview.phases;
    }

    /** The queue engine behind the server (`embedded` or `bullmq`); '' until known. */
    get engine(): string {
        return this._overview.engine;
    }

    /** Hostnames blocked from registering. */
    get blocked(): readonly string[] {
        return this._overview.blocked;
    }

    /** The worker this machine contributes, if one runs. */
    get localWorker(): FleetOverview['localWorker'] {
        return this._overview.localWorker;
    }

    get tokens(): readonly WorkerTokenInfo[] {
        return this._tokens;
    }

    /** The token issued last with its secret, until {@link dismissIssued}; the secret cannot be had again. */
    get issued(): IssuedWorkerToken | undefined {
        return this._issued;
    }

    find(sessionId: string): FleetWorker | undefined {
        return this.workers.find(worker => worker.sessionId === sessionId);
    }

    /** Whether a command to this worker is on its way. */
    isBusy(sessionId: string): boolean {
        return this.busy.has(sessionId);
    }

    /** Whether Contribute or Stop Contributing is on its way. */
    get contributionBusy(): boolean {
        return this.contributing;
    }

    /**
     * A worker's last heartbeat age (ms) now: the age the server measured on
     * its own clock, plus the time since that overview arrived on this page.
     * Only differences of this page's clock are used, never its time of day.
     */
    heartbeatAgeMs(worker: FleetWorker): number {
        return worker.lastHeartbeatAgeMs + Math.max(0, this.now() - this.receivedAt);
    }

    async refresh(): Promise<void> {
        const before = this.arrivals;
        try {
            const overview = await this.service.overview();
            if (this.arrivals === before) {
                this.setOverview(overview);
            }
        } catch (error) {
            this._state = 'unavailable';
            this._error = messageOf(error);
            this.fire();
        }
    }

    async refreshTokens(): Promise<void> {
        this._tokens = await this.service.tokens();
        this.fire();
    }

    pause(sessionId: string): Promise<void> {
        return this.command(sessionId, { kind: 'pause' });
    }

    resume(sessionId: string): Promise<void> {
        return this.command(sessionId, { kind: 'resume' });
    }

    stop(sessionId: string): Promise<void> {
        return this.command(sessionId, { kind: 'stop' });
    }

    block(sessionId: string): Promise<void> {
        return this.command(sessionId, { kind: 'block' });
    }

    changeRole(sessionId: string, role: WorkerRole): Promise<void> {
        return this.command(sessionId, { kind: 'change-role', role });
    }

    /** Queues a command for a worker; it reaches the worker with its next heartbeat. Rejects as the backend did (an unknown session). */
    async command(sessionId: string, command: WorkerCommand): Promise<void> {
        this.busy.add(sessionId);
        this.fire();
        try {
            await this.service.command(sessionId, command);
        } finally {
            this.busy.delete(sessionId);
            await this.refresh();
        }
    }

    async unblock(hostname: string): Promise<void> {
        await this.service.unblock(hostname);
        await this.refresh();
    }

    /** Issues a token; its secret is held in {@link issued} to be shown once. */
    async issueToken(label: string): Promise<IssuedWorkerToken> {
        const trimmed = label.trim();
        if (!trimmed) {
            throw new Error(nls.localize('imageparser/workers/tokenLabelRequired', 'A worker token needs a label.'));
        }
        this._issued = await this.service.issueToken(trimmed);
        await this.refreshTokens();
        return this._issued;
    }

    /** Forgets the issued token's secret (the panel shows it no more). */
    dismissIssued(): void {
        if (this._issued) {
            this._issued = undefined;
            this.fire();
        }
    }

    async revokeToken(id: string): Promise<void> {
        await this.service.revokeToken(id);
        if (this._issued?.id === id) {
            this._issued = undefined;
        }
        await this.refreshTokens();
    }

    contribute(role: WorkerRole): Promise<void> {
        return this.contribution(() => this.service.contributeThisMachine(role));
    }

    stopContributing(): Promise<void> {
        return this.contribution(() => this.service.stopContributing());
    }

    protected async contribution(action: () => Promise<void>): Promise<void> {
        this.contributing = true;
        this.fire();
        try {
            await action();
        } finally {
            this.contributing = false;
            await this.refresh();
        }
    }

    protected setOverview(overview: FleetOverview): void {
        const sessionsChanged = this._state === 'ready' && !sameSessions(this._overview, overview);
        this._overview = overview;
        this.receivedAt = this.now();
        this.arrivals++;
        this._state = 'ready';
        this._error = '';
        this.fire();
        // A token's session count changes as workers come and go.
        if (sessionsChanged) {
            this.refreshTokens().catch(() => undefined);
        }
    }

    protected now(): number {
        return Date.now();
    }

    protected fire(): void {
        this.onDidChangeEmitter.fire();
    }
}

function sameSessions(before: FleetOverview, after: FleetOverview): boolean {
    const ids = (overview: FleetOverview) => overview.workers.map(worker => worker.sessionId).sort().join(' ');
    return ids(before) === ids(after);
}

function messageOf(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
