import type { ClaimedJob, CompletionOutcome, JobError, PhaseId } from '@imageparser/archive-core/lib/common/job-protocol';
import { JobCounts, JobQueue, JobRequest, LeaseRefusedError } from '@imageparser/archive-core/lib/node/jobs/job-queue';
import {
    ClaimRequest, ClaimResponse, CompleteRequest, CompleteResponse, FailRequest, FleetApi, LeaseResponse, WorkerCounters
} from '../../common/fleet-protocol';
import { FleetHttpClient, FleetRequestError, FleetUnreachableError } from './fleet-http-client';

/** The longest wait between two tries of a lease call while the server cannot be reached. */
const MAX_RETRY_WAIT_MS = 2000;

/** A lease this worker holds, with what its jobs are about. */
interface HeldLease {
    readonly job: ClaimedJob;
    /** The lease's expiry on the server's clock, as last answered. */
    expiresAt: number;
}

/**
 * A {@link JobQueue} over the worker API, so archive-core's `PhaseWorker`
 * runs unchanged on a worker machine: claim, heartbeat, complete, fail and
 * release are calls to the server, which answers from its own queue (the
 * embedded SQLite one or BullMQ) and commits results there. A 409 (a stale,
 * unknown or foreign lease) becomes a {@link LeaseRefusedError}, so the
 * worker drops that job as it would in-process. Lease calls are idempotent
 * on the server: while the server cannot be reached (or answers 5xx) they
 * are tried again until the lease would have run out, so a short network
 * cut loses no result. Claims are not repeated (a claim whose answer was
 * lost leaves jobs that come back when their lease runs out).
 *
 * The server's clock is estimated from its lease expiries (expiry minus
 * the lease's length, at the middle of the call): the worker's own clock
 * may be off, and only the server's counts for leases.
 */
export class RemoteJobQueue implements JobQueue {

    protected readonly held = new Map<string, HeldLease>();
    /** Server clock minus this machine's, as last estimated (ms). */
    protected clockOffset = 0;
    protected done = 0;
    protected failed = 0;

    /**
     * @param leaseMs the lease's length the server announced at register (read at each call: a new registration may change it)
     */
    constructor(protected readonly http: FleetHttpClient, protected readonly leaseMs: () => number) { }

    enqueue(_requests: readonly JobRequest[]): Promise<number> {
        return Promise.reject(new Error('A worker does not queue jobs: its server does'));
    }

    async claim(phases: readonly PhaseId[], max: number, _workerId: string): Promise<ClaimedJob[]> {
        if (!phases.length) {
            return [];
        }
        const body: ClaimRequest = { phases, max: Math.max(1, Math.floor(max)) };
        const sentAt = Date.now();
        const answer = await this.http.post<ClaimResponse>(`${FleetApi.CLAIM}?phase=${encodeURIComponent(phases.join(','))}`, body);
        const jobs = Array.isArray(answer?.jobs) ? answer.jobs : [];
        for (const job of jobs) {
            this.held.set(job.leaseToken, { job, expiresAt: job.leaseExpiresAt });
            this.observeExpiry(job.leaseExpiresAt, sentAt);
        }
        return jobs;
    }

    async heartbeat(leaseToken: string): Promise<number> {
        const sentAt = Date.now();
        const answer = await this.leaseCall<LeaseResponse>(leaseToken, 'heartbeat', {});
        const held = this.held.get(leaseToken);
        if (held && typeof answer?.leaseExpiresAt === 'number') {
            held.expiresAt = answer.leaseExpiresAt;
            this.observeExpiry(answer.leaseExpiresAt, sentAt);
        }
        return answer?.leaseExpiresAt ?? this.serverNow() + this.leaseMs();
    }

    async complete(leaseToken: string, result: unknown): Promise<CompletionOutcome> {
        const body: CompleteRequest = { result };
        const answer = await this.leaseCall<CompleteResponse>(leaseToken, 'complete', body);
        this.held.delete(leaseToken);
        if (answer?.outcome === 'done') {
            this.done++;
        }
        return answer?.outcome ?? 'done';
    }

    async fail(leaseToken: string, error: JobError, retryable: boolean): Promise<CompletionOutcome> {
        const body: FailRequest = { error, retryable };
        const answer = await this.leaseCall<CompleteResponse>(leaseToken, 'fail', body);
        this.held.delete(leaseToken);
        if (answer?.outcome === 'done') {
            this.failed++;
        }
        return answer?.outcome ?? 'done';
    }

    async release(leaseToken: string): Promise<void> {
        await this.leaseCall<void>(leaseToken, 'release', {});
        this.held.delete(leaseToken);
    }

    /** The server returns expired leases itself. */
    async reap(): Promise<number> {
        return 0;
    }

    counts(_phase: PhaseId): Promise<JobCounts> {
        return Promise.reject(new Error('A worker does not count jobs: its server does'));
    }

    /** Gives back every lease still held (the worker stops); a lease the server no longer knows is simply forgotten. */
    async releaseAll(): Promise<void> {
        await Promise.all([...this.held.keys()].map(token => this.release(token).catch(() => this.held.delete(token))));
    }

    /** Forgets leases the server says this worker no longer holds. */
    forget(leaseTokens: readonly string[]): void {
        leaseTokens.forEach(token => this.held.delete(token));
    }

    /** The lease tokens held now, for the session's heartbeat. */
    leaseTokens(): string[] {
        return [...this.held.keys()];
    }

    /** The job worked on now (the oldest held), if any. */
    currentJob(): { readonly assetId: number; readonly phase: PhaseId } | undefined {
        const first = this.held.values().next();
        return first.done ? undefined : { assetId: first.value.job.assetId, phase: first.value.job.phase };
    }

    /** Jobs completed and failed through this queue since it was made. */
    counters(): Pick<WorkerCounters, 'done' | 'failed'> {
        return { done: this.done, failed: this.failed };
    }

    /** Now on the server's clock, as estimated from its lease expiries (ms). */
    serverNow(): number {
        return Date.now() + this.clockOffset;
    }

    protected observeExpiry(expiresAt: number, sentAt: number): void {
        const local = (sentAt + Date.now()) / 2;
        this.clockOffset = Math.round(expiresAt - this.leaseMs() - local);
    }

    /**
     * A call on one lease: 409 → {@link LeaseRefusedError} (the lease is forgotten);
     * an unreachable server or a 5xx → tried again until the lease would have expired.
     */
    protected async leaseCall<T>(leaseToken: string, action: 'heartbeat' | 'complete' | 'fail' | 'release', body: unknown): Promise<T> {
        const path = `${FleetApi.JOBS}/${encodeURIComponent(leaseToken)}/${action}`;
        for (let attempt = 0; ; attempt++) {
            try {
                return await this.http.post<T>(path, body);
            } catch (error) {
                if (error instanceof FleetRequestError && error.status === 409) {
                    this.held.delete(leaseToken);
                    throw new LeaseRefusedError(error.code === 'unknown-lease' ? 'unknown-lease' : 'stale-lease', leaseToken);
                }
                const transient = error instanceof FleetUnreachableError || (error instanceof FleetRequestError && error.transient);
                const expiresAt = this.held.get(leaseToken)?.expiresAt ?? 0;
                if (!transient || this.serverNow() > expiresAt) {
                    throw error;
                }
                await new Promise(resolve => setTimeout(resolve, Math.min(MAX_RETRY_WAIT_MS, 100 * 2 ** attempt)));
            }
        }
    }
}
