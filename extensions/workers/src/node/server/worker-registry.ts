import * as crypto from 'crypto';
import { inject, injectable, optional } from '@theia/core/shared/inversify';
import { Emitter, Event } from '@theia/core/lib/common/event';
import type { ClaimedJob } from '@imageparser/archive-core/lib/common/job-protocol';
import { WorkerTokenRecord, WorkerTokenRepository } from '@imageparser/archive-core/lib/node/store/worker-token-repository';
import type { HeartbeatRequest, RegisterRequest, WorkerCommand, WorkerRole } from '../../common/fleet-protocol';
import { FleetApiRefusal } from './fleet-api-refusal';
import { FleetClock, FleetServerOptions, fleetTimings, SYSTEM_FLEET_CLOCK } from './fleet-server-options';
import { WorkerRoleAssigner } from './worker-role-assigner';
import { EMPTY_COUNTERS, HeldLease, WorkerSession } from './worker-session';

/** Heartbeat periods without a call after which a session is lost. */
export const LOST_AFTER_HEARTBEATS = 3;
/** The window a session's throughput is measured over (ms). */
const THROUGHPUT_WINDOW_MS = 180_000;

export const WorkerRegistry = Symbol('WorkerRegistry');

/**
 * The worker sessions this server knows, on the server's clock alone (times
 * workers send are never compared with it): registration, heartbeats,
 * commands waiting for the next heartbeat, the leases each session holds,
 * roles (with `auto` ones re-balanced), blocked machines and per-session
 * throughput. A session with no call for {@link LOST_AFTER_HEARTBEATS}
 * heartbeat periods is lost: its calls answer 410 and its leases run out.
 */
export interface WorkerRegistry {
    /** Fires when a session registers, heartbeats, is lost, or gets a command or a role. */
    readonly onDidChange: Event<void>;
    readonly heartbeatMs: number;
    readonly leaseMs: number;
    now(): number;
    /** Refuses (403) a blocked machine. */
    register(token: WorkerTokenRecord, request: RegisterRequest, local: boolean): Promise<WorkerSession>;
    /** The live session with this id registered with this token; refuses an unknown or lost one (410) or another token's (403). */
    session(sessionId: string | undefined, tokenId: string): WorkerSession;
    /** Takes a heartbeat: state, resources, counters; answers the commands that waited for it. */
    beat(session: WorkerSession, request: HeartbeatRequest): WorkerCommand[];
    /** Re-balances an `auto` session's role; answers whether it changed. */
    rebalance(session: WorkerSession): Promise<boolean>;
    /** Queues a command for a session's next heartbeat; throws for an unknown session or a bad command. */
    command(sessionId: string, command: WorkerCommand): Promise<void>;
    /** Every session, the lost ones still listed included. */
    sessions(): WorkerSession[];
    isBlocked(hostname: string): Promise<boolean>;
    blocked(): Promise<string[]>;
    unblock(hostname: string): Promise<void>;
    /** The live session holding a lease, if one does. */
    ownerOf(leaseToken: string): WorkerSession | undefined;
    /** Records a lease a session claimed or renewed. */
    hold(session: WorkerSession, leaseToken: string, lease: HeldLease): void;
    holdJobs(session: WorkerSession, jobs: readonly ClaimedJob[]): void;
    /** Forgets a lease that ended (completed, failed, given back, or refused). */
    drop(leaseToken: string): void;
    /** Whether the session holds a live lease on a job of this asset. */
    holdsAsset(session: WorkerSession, assetId: number): boolean;
    /** Counts a job the session completed, for its throughput. */
    completed(session: WorkerSession): void;
    /** Jobs per minute the session completed over the last few minutes. */
    jobsPerMinute(session: WorkerSession): number;
    /** Drops the sessions registered with a revoked token. */
    forgetToken(tokenId: string): void;
    dispose(): void;
}

@injectable()
export class DefaultWorkerRegistry implements WorkerRegistry {

    @inject(WorkerTokenRepository)
    protected readonly repository: WorkerTokenRepository;

    @inject(WorkerRoleAssigner)
    protected readonly assigner: WorkerRoleAssigner;

    @inject(FleetServerOptions) @optional()
    protected readonly options: FleetServerOptions | undefined;

    @inject(FleetClock) @optional()
    protected readonly clock: FleetClock = SYSTEM_FLEET_CLOCK;

    protected readonly onDidChangeEmitter = new Emitter<void>();
    readonly onDidChange: Event<void> = this.onDidChangeEmitter.event;

    protected readonly byId = new Map<string, WorkerSession>();
    protected readonly owners = new Map<string, WorkerSession>();
    protected timer: NodeJS.Timeout | undefined;

    get heartbeatMs(): number {
        return fleetTimings(this.options).heartbeatMs;
    }

    get leaseMs(): number {
        return fleetTimings(this.options).leaseMs;
    }

    now(): number {
        return (this.clock ?? SYSTEM_FLEET_CLOCK).now();
    }

    async register(token: WorkerTokenRecord, request: RegisterRequest, local: boolean): Promise<WorkerSession> {
        this.checkLiveness();
        if (await this.isBlocked(request.machine.hostname)) {
            throw new FleetApiRefusal(403, 'blocked', `The machine ${request.machine.hostname} is blocked from this archive's fleet; an admin can unblock it.`);
        }
        const now = this.now();
        const session: WorkerSession = {
            id: crypto.randomUUID(), tokenId: token.id, tokenLabel: token.label, machine: request.machine, models: { ...request.models },
            startedBy: request.startedBy, registeredAt: now, requestedRole: request.role, role: request.role === 'auto' ? 'auto' : request.role,
            schedule: request.schedule, state: 'active', counters: EMPTY_COUNTERS, held: undefined, lastSeen: now, lost: false,
            commands: [], leases: new Map(), completions: [], local
        };
        this.byId.set(session.id, session);
        session.role = await this.assigner.assign(session, this.live());
        this.startTimer();
        this.onDidChangeEmitter.fire();
        return session;
    }

    session(sessionId: string | undefined, tokenId: string): WorkerSession {
        this.checkLiveness();
        const session = sessionId ? this.byId.get(sessionId) : undefined;
        if (!session || session.lost) {
            throw FleetApiRefusal.unknownSession(sessionId ?? '');
        }
        if (session.tokenId !== tokenId) {
            throw new FleetApiRefusal(403, 'foreign-session', 'This worker session was registered with another token.');
        }
        session.lastSeen = this.now();
        return session;
    }

    beat(session: WorkerSession, request: HeartbeatRequest): WorkerCommand[] {
        session.lastSeen = this.now();
        session.state = request.state;
        session.resources = request.resources;
        session.counters = request.counters;
        session.currentJob = request.currentJob;
        if (request.schedule) {
            session.schedule = request.schedule;
        }
        const commands = session.commands.splice(0);
        this.onDidChangeEmitter.fire();
        return commands;
    }

    async rebalance(session: WorkerSession): Promise<boolean> {
        if (session.requestedRole !== 'auto') {
            return false;
        }
        const role = await this.assigner.assign(session, this.live());
        if (role === session.role) {
            return false;
        }
        session.role = role;
        this.onDidChangeEmitter.fire();
        return true;
    }

    async command(sessionId: string, command: WorkerCommand): Promise<void> {
        this.checkLiveness();
        const session = this.byId.get(sessionId);
        if (!session || session.lost) {
            throw new Error(`There is no connected worker session ${JSON.stringify(sessionId)}.`);
        }
        switch (command?.kind) {
            case 'pause': case 'resume': case 'stop':
                session.commands.push({ kind: command.kind });
                // Held on the server too: a claim racing the command's heartbeat gets nothing.
                session.held = command.kind === 'pause' ? 'paused' : command.kind === 'stop' ? 'stopping' : session.held === 'stopping' ? 'stopping' : undefined;
                break;
            case 'block': {
                const hostname = session.machine.hostname;
                await this.repository.block(hostname, new Date(this.now()).toISOString());
                this.live().filter(other => other.machine.hostname === hostname).forEach(other => {
                    other.commands.push({ kind: 'block' });
                    other.held = 'stopping';
                });
                break;
            }
            case 'change-role': {
                const role: WorkerRole = command.role;
                if (!['caption', 'visual', 'text', 'ocr', 'all', 'auto'].includes(role)) {
                    throw new Error(`There is no worker role ${JSON.stringify(role)}.`);
                }
                session.requestedRole = role;
                session.role = await this.assigner.assign(session, this.live());
                session.commands.push({ kind: 'change-role', role: session.role });
                break;
            }
            default:
                throw new Error(`There is no worker command ${JSON.stringify((command as { kind?: unknown } | undefined)?.kind)}.`);
        }
        this.onDidChangeEmitter.fire();
    }

    sessions(): WorkerSession[] {
        this.checkLiveness();
        return [...this.byId.values()];
    }

    async isBlocked(hostname: string): Promise<boolean> {
        return (await this.blockedSet()).has(hostname);
    }

    async blocked(): Promise<string[]> {
        return [...await this.blockedSet()].sort();
    }

    async unblock(hostname: string): Promise<void> {
        await this.repository.unblock(hostname);
        this.onDidChangeEmitter.fire();
    }

    ownerOf(leaseToken: string): WorkerSession | undefined {
        const owner = this.owners.get(leaseToken);
        return owner && !owner.lost ? owner : undefined;
    }

    hold(session: WorkerSession, leaseToken: string, lease: HeldLease): void {
        const previous = this.owners.get(leaseToken);
        if (previous && previous !== session) {
            previous.leases.delete(leaseToken);
        }
        const known = session.leases.get(leaseToken);
        session.leases.set(leaseToken, { assetId: lease.assetId ?? known?.assetId, phase: lease.phase ?? known?.phase, expiresAt: lease.expiresAt });
        this.owners.set(leaseToken, session);
    }

    holdJobs(session: WorkerSession, jobs: readonly ClaimedJob[]): void {
        for (const job of jobs) {
            this.hold(session, job.leaseToken, { assetId: job.assetId, phase: job.phase, expiresAt: job.leaseExpiresAt });
        }
        if (jobs.length) {
            this.onDidChangeEmitter.fire();
        }
    }

    drop(leaseToken: string): void {
        this.owners.get(leaseToken)?.leases.delete(leaseToken);
        this.owners.delete(leaseToken);
    }

    holdsAsset(session: WorkerSession, assetId: number): boolean {
        const now = this.now();
        return [...session.leases.values()].some(lease => lease.assetId === assetId && lease.expiresAt > now);
    }

    completed(session: WorkerSession): void {
        const now = this.now();
        session.completions.push(now);
        while (session.completions.length && session.completions[0] < now - THROUGHPUT_WINDOW_MS) {
            session.completions.shift();
        }
        this.onDidChangeEmitter.fire();
    }

    jobsPerMinute(session: WorkerSession): number {
        const now = this.now();
        const recent = session.completions.filter(at => at >= now - THROUGHPUT_WINDOW_MS).length;
        // Over the window, or since it registered when that is shorter (at least 15 s, so a first job does not read as a burst).
        const span = Math.max(15_000, Math.min(THROUGHPUT_WINDOW_MS, now - session.registeredAt));
        return recent / (span / 60_000);
    }

    forgetToken(tokenId: string): void {
        for (const session of this.byId.values()) {
            if (session.tokenId === tokenId) {
                this.lose(session);
            }
        }
        this.onDidChangeEmitter.fire();
    }

    dispose(): void {
        clearInterval(this.timer);
        this.timer = undefined;
        this.onDidChangeEmitter.dispose();
    }

    /** The sessions not lost. */
    protected live(): WorkerSession[] {
        return [...this.byId.values()].filter(session => !session.lost);
    }

    /** Marks sessions silent for three heartbeat periods lost, and forgets those lost long ago; on the server's clock. */
    protected checkLiveness(): void {
        const now = this.now();
        const { heartbeatMs, forgetLostMs } = fleetTimings(this.options);
        let changed = false;
        for (const session of [...this.byId.values()]) {
            // Leases it let run out without a word (the queue gave their jobs to others): forgotten a lease's length after.
            for (const [token, lease] of session.leases) {
                if (lease.expiresAt < now - this.leaseMs) {
                    this.drop(token);
                }
            }
            const silent = now - session.lastSeen;
            if (!session.lost && silent > LOST_AFTER_HEARTBEATS * heartbeatMs) {
                this.lose(session);
                changed = true;
            }
            if (session.lost && silent > forgetLostMs) {
                this.byId.delete(session.id);
                changed = true;
            }
        }
        if (changed) {
            this.onDidChangeEmitter.fire();
        }
    }

    /** Its leases are no longer its own: they run out in the queue, or a worker that still holds one adopts it with a heartbeat. */
    protected lose(session: WorkerSession): void {
        session.lost = true;
        for (const token of session.leases.keys()) {
            if (this.owners.get(token) === session) {
                this.owners.delete(token);
            }
        }
        session.leases.clear();
        session.commands.length = 0;
        session.currentJob = undefined;
    }

    protected startTimer(): void {
        if (!this.timer) {
            this.timer = setInterval(() => this.checkLiveness(), this.heartbeatMs);
            this.timer.unref();
        }
    }

    /** Read from the archive each time: another process (`imageparser serve`, the app) may have changed it. */
    protected async blockedSet(): Promise<Set<string>> {
        return new Set(await this.repository.blockedHosts());
    }
}
