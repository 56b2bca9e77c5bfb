import { inject, injectable, named } from '@theia/core/shared/inversify';
import { ILogger } from '@theia/core/lib/common/logger';
import { JobQueue } from '@imageparser/archive-core/lib/node/jobs/job-queue';
import { WorkerLeaseRepository } from '@imageparser/archive-core/lib/node/store/worker-lease-repository';
import type { WorkerTokenRecord } from '@imageparser/archive-core/lib/node/store/worker-token-repository';
import {
    ClaimResponse, CompleteResponse, HeartbeatResponse, LeaseResponse, phasesOfRole, RegisterResponse
} from '../../common/fleet-protocol';
import { FleetApiRefusal } from './fleet-api-refusal';
import { FleetPhases } from './fleet-phases';
import { FleetRequestChecks } from './fleet-request-checks';
import { LocalWorkerTokens } from './local-worker-tokens';
import { WorkerRegistry } from './worker-registry';
import type { WorkerSession } from './worker-session';

/** How long a claimed lease's record is kept (a lease renewed longer than this is not served sources after a server restart). */
const LEASE_RECORD_KEPT_MS = 6 * 3_600_000;
const PRUNE_EVERY_MS = 600_000;

/** Who calls: the token it presented and the session it names (absent when it registers). */
export interface FleetCaller {
    readonly token: WorkerTokenRecord;
    readonly sessionId?: string;
}

export const FleetApiService = Symbol('FleetApiService');

/**
 * What the worker API routes do, apart from HTTP: each call checks its body
 * ({@link FleetRequestChecks}), its session ({@link WorkerRegistry}), and the
 * ownership of the lease it names, then asks the bound {@link JobQueue}
 * (whichever engine it is). A lease held by another live session is
 * refused with 409 `foreign-lease`; a lease the registry lost track of (the
 * server restarted) is judged by the queue alone and adopted by the session
 * that proves it holds it.
 */
export interface FleetApiService {
    register(caller: FleetCaller, body: unknown): Promise<RegisterResponse>;
    heartbeat(caller: FleetCaller, body: unknown): Promise<HeartbeatResponse>;
    claim(caller: FleetCaller, body: unknown, queryPhase: unknown): Promise<ClaimResponse>;
    renewLease(caller: FleetCaller, leaseToken: string): Promise<LeaseResponse>;
    complete(caller: FleetCaller, leaseToken: string, body: unknown): Promise<CompleteResponse>;
    fail(caller: FleetCaller, leaseToken: string, body: unknown): Promise<CompleteResponse>;
    release(caller: FleetCaller, leaseToken: string): Promise<void>;
    /**
     * Refuses (403) a session that holds no live lease on a job of the asset.
     * After a server restart, a lease on the asset claimed with the caller's
     * worker token, live in the queue and held by no other live session, is
     * taken as the caller's (it asks before its heartbeat re-adopted it).
     */
    checkSourceAccess(caller: FleetCaller, assetId: number): Promise<void>;
}

@injectable()
export class DefaultFleetApiService implements FleetApiService {

    @inject(JobQueue)
    protected readonly queue: JobQueue;

    @inject(WorkerRegistry)
    protected readonly registry: WorkerRegistry;

    @inject(FleetPhases)
    protected readonly phases: FleetPhases;

    @inject(LocalWorkerTokens)
    protected readonly localTokens: LocalWorkerTokens;

    @inject(WorkerLeaseRepository)
    protected readonly leases: WorkerLeaseRepository;

    @inject(ILogger) @named('workers:FleetApi')
    protected readonly logger: ILogger;

    protected lastPrune = 0;

    async register(caller: FleetCaller, body: unknown): Promise<RegisterResponse> {
        const request = FleetRequestChecks.register(body);
        const session = await this.registry.register(caller.token, request, this.localTokens.isLocal(caller.token.id));
        this.logger.info(`Worker ${session.machine.hostname} registered as ${session.role} (session ${session.id}, token ${caller.token.label})`);
        return { sessionId: session.id, role: session.role, phases: this.phases.running(), heartbeatMs: this.registry.heartbeatMs, leaseMs: this.registry.leaseMs };
    }

    async heartbeat(caller: FleetCaller, body: unknown): Promise<HeartbeatResponse> {
        const session = this.session(caller);
        const request = FleetRequestChecks.heartbeat(body);
        const lostLeases: string[] = [];
        for (const token of new Set(request.leaseTokens)) {
            if (!await this.renew(session, token)) {
                lostLeases.push(token);
            }
        }
        const commands = this.registry.beat(session, request);
        await this.registry.rebalance(session);
        return { commands, role: session.role, lostLeases, phases: this.phases.running() };
    }

    async claim(caller: FleetCaller, body: unknown, queryPhase: unknown): Promise<ClaimResponse> {
        const session = this.session(caller);
        const request = FleetRequestChecks.claim(body, queryPhase);
        if (await this.registry.isBlocked(session.machine.hostname)) {
            throw new FleetApiRefusal(403, 'blocked', `The machine ${session.machine.hostname} is blocked from this archive's fleet.`);
        }
        if (session.held) {
            return { jobs: [] };
        }
        const allowed = phasesOfRole(session.role, this.phases.running().map(phase => phase.phase));
        const wanted = request.phases.length ? request.phases.filter(phase => allowed.includes(phase)) : allowed;
        const phases = [];
        for (const phase of wanted) {
            if (!await this.phases.isPaused(phase)) {
                phases.push(phase);
            }
        }
        if (!phases.length) {
            return { jobs: [] };
        }
        const jobs = await this.queue.claim(phases, request.max, session.id);
        this.registry.holdJobs(session, jobs);
        await this.remember(caller, jobs);
        return { jobs };
    }

    async renewLease(caller: FleetCaller, leaseToken: string): Promise<LeaseResponse> {
        const session = this.session(caller);
        this.checkOwner(session, leaseToken);
        const leaseExpiresAt = await this.leaseCall(leaseToken, () => this.queue.heartbeat(leaseToken));
        this.registry.hold(session, leaseToken, { expiresAt: leaseExpiresAt });
        return { leaseExpiresAt };
    }

    async complete(caller: FleetCaller, leaseToken: string, body: unknown): Promise<CompleteResponse> {
        const session = this.session(caller);
        const result = FleetRequestChecks.completion(body);
        this.checkOwner(session, leaseToken);
        let outcome;
        try {
            outcome = await this.leaseCall(leaseToken, () => this.queue.complete(leaseToken, result));
        } catch (error) {
            if (error instanceof FleetApiRefusal) {
                throw error;
            }
            // Storing the result failed (its transaction rolled back): the lease still holds, the worker may fail the job.
            throw new FleetApiRefusal(422, 'result-refused', `The result could not be stored: ${messageOf(error)}`);
        }
        this.registry.drop(leaseToken);
        if (outcome === 'done') {
            this.registry.completed(session);
        }
        return { outcome };
    }

    async fail(caller: FleetCaller, leaseToken: string, body: unknown): Promise<CompleteResponse> {
        const session = this.session(caller);
        const request = FleetRequestChecks.fail(body);
        this.checkOwner(session, leaseToken);
        const outcome = await this.leaseCall(leaseToken, () => this.queue.fail(leaseToken, request.error, request.retryable));
        this.registry.drop(leaseToken);
        return { outcome };
    }

    async release(caller: FleetCaller, leaseToken: string): Promise<void> {
        const session = this.session(caller);
        this.checkOwner(session, leaseToken);
        const release = this.queue.release?.bind(this.queue);
        if (release) {
            await this.leaseCall(leaseToken, () => release(leaseToken));
        }
        this.registry.drop(leaseToken);
    }

    async checkSourceAccess(caller: FleetCaller, assetId: number): Promise<void> {
        const session = this.session(caller);
        if (this.registry.holdsAsset(session, assetId)) {
            return;
        }
        for (const lease of await this.leases.ofAsset(assetId, caller.token.id).catch(() => [])) {
            const owner = this.registry.ownerOf(lease.leaseToken);
            if ((!owner || owner === session) && await this.renew(session, lease.leaseToken, false)) {
                return;
            }
        }
        throw new FleetApiRefusal(403, 'no-lease', `This worker session holds no lease on a job of asset ${assetId}: sources are served only for jobs it holds.`);
    }

    protected session(caller: FleetCaller): WorkerSession {
        return this.registry.session(caller.sessionId, caller.token.id);
    }

    protected checkOwner(session: WorkerSession, leaseToken: string): void {
        const owner = this.registry.ownerOf(leaseToken);
        if (owner && owner !== session) {
            throw FleetApiRefusal.foreignLease();
        }
    }

    /**
     * Renews one lease for a session; answers false when it is no longer held
     * (another session's, stale or unknown). A lease the registry lost track of
     * (the server restarted) is adopted with the asset and phase recorded when
     * it was claimed. `assumeHeldOnError`: whether a queue that cannot be
     * reached counts as held (a heartbeat keeps its leases; a source is refused).
     */
    protected async renew(session: WorkerSession, leaseToken: string, assumeHeldOnError = true): Promise<boolean> {
        const owner = this.registry.ownerOf(leaseToken);
        if (owner && owner !== session) {
            return false;
        }
        try {
            const expiresAt = await this.queue.heartbeat(leaseToken);
            const known = owner === session && session.leases.get(leaseToken)?.assetId !== undefined;
            const recorded = known ? undefined : await this.leases.find(leaseToken).catch(() => undefined);
            this.registry.hold(session, leaseToken, { expiresAt, assetId: recorded?.assetId, phase: recorded?.phase });
            return true;
        } catch (error) {
            if (FleetApiRefusal.ofLease(error)) {
                this.registry.drop(leaseToken);
                return false;
            }
            // The queue could not be reached (the archive is busy, Redis restarts): the lease is not known lost; the worker keeps it.
            this.logger.warn(`Renewing a lease of worker ${session.machine.hostname} failed: ${messageOf(error)}`);
            return assumeHeldOnError;
        }
    }

    /** Records the leases just claimed (kept across a restart of this server), and forgets old ones now and then. */
    protected async remember(caller: FleetCaller, jobs: readonly { leaseToken: string; assetId: number; phase: string }[]): Promise<void> {
        const now = this.registry.now();
        try {
            await this.leases.record(jobs.map(job => ({ leaseToken: job.leaseToken, assetId: job.assetId, phase: job.phase, tokenId: caller.token.id })), now);
            if (now - this.lastPrune > PRUNE_EVERY_MS) {
                this.lastPrune = now;
                await this.leases.prune(now - LEASE_RECORD_KEPT_MS);
            }
        } catch (error) {
            // Only a restarted server's source checks need them: the claim stands.
            this.logger.warn(`Recording the leases of a claim failed: ${messageOf(error)}`);
        }
    }

    /** Runs a queue call on a lease; a refused lease becomes 409, the token forgotten. */
    protected async leaseCall<T>(leaseToken: string, call: () => Promise<T>): Promise<T> {
        try {
            return await call();
        } catch (error) {
            const refusal = FleetApiRefusal.ofLease(error);
            if (refusal) {
                this.registry.drop(leaseToken);
                throw refusal;
            }
            throw error;
        }
    }
}

function messageOf(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
