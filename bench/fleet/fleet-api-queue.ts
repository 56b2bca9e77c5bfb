/**
 * A simulated worker's queue over a real server's worker API: the calls a
 * worker machine makes (register once with a Bearer token, then claim and
 * complete with its session header), as `JobQueue` so the bench's loop
 * runs unchanged. Only what the bench needs; a refused call throws.
 */
import * as os from 'os';
import type { ClaimedJob, CompletionOutcome, JobError, PhaseId } from '@imageparser/archive-core/lib/common/job-protocol';
import type { JobCounts, JobQueue, JobRequest } from '@imageparser/archive-core/lib/node/jobs/job-queue';
import {
    ClaimRequest, ClaimResponse, CompleteResponse, FleetApi, RegisterRequest, RegisterResponse
} from '@imageparser/workers/lib/common/fleet-protocol';

export class FleetApiQueue implements JobQueue {
    protected sessionId: string | undefined;

    constructor(protected readonly base: string, protected readonly token: string) { }

    /** Registers a session (role `all`: it claims the phases it names). */
    async register(name: string): Promise<RegisterResponse> {
        const request: RegisterRequest = {
            protocol: FleetApi.VERSION,
            machine: { hostname: `${os.hostname()}-${name}`, platform: process.platform, cpuModel: 'bench', cpuCores: 1, memoryTotalMb: 1024, gpus: [] },
            role: 'all', models: {}, startedBy: 'test', sentAt: Date.now()
        };
        const answer = await this.call<RegisterResponse>(FleetApi.REGISTER, request);
        this.sessionId = answer.sessionId;
        return answer;
    }

    async claim(phases: readonly PhaseId[], max: number): Promise<ClaimedJob[]> {
        const body: ClaimRequest = { phases, max };
        return [...(await this.call<ClaimResponse>(FleetApi.CLAIM, body)).jobs];
    }

    async complete(leaseToken: string, result: unknown): Promise<CompletionOutcome> {
        return (await this.call<CompleteResponse>(`${FleetApi.JOBS}/${encodeURIComponent(leaseToken)}/complete`, { result })).outcome;
    }

    async fail(leaseToken: string, error: JobError, retryable: boolean): Promise<CompletionOutcome> {
        return (await this.call<CompleteResponse>(`${FleetApi.JOBS}/${encodeURIComponent(leaseToken)}/fail`, { error, retryable })).outcome;
    }

    async heartbeat(leaseToken: string): Promise<number> {
        return (await this.call<{ leaseExpiresAt: number }>(`${FleetApi.JOBS}/${encodeURIComponent(leaseToken)}/heartbeat`, {})).leaseExpiresAt;
    }

    enqueue(_requests: readonly JobRequest[]): Promise<number> {
        return Promise.reject(new Error('A worker does not queue jobs: its server does'));
    }

    reap(): Promise<number> {
        return Promise.resolve(0);
    }

    counts(_phase: PhaseId): Promise<JobCounts> {
        return Promise.reject(new Error('A worker does not count the queue: its server does'));
    }

    protected async call<T>(path: string, body: unknown): Promise<T> {
        const response = await fetch(`${this.base}${path}`, {
            method: 'POST',
            headers: {
                Authorization: `Bearer ${this.token}`,
                'Content-Type': 'application/json; charset=utf-8',
                ...this.sessionId ? { [FleetApi.SESSION_HEADER]: this.sessionId } : {}
            },
            body: JSON.stringify(body)
        });
        const text = await response.text();
        if (!response.ok) {
            throw new Error(`${path} answered ${response.status}: ${text}`);
        }
        return JSON.parse(text) as T;
    }
}
