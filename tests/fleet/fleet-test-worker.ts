import type { ClaimedJob } from '../../extensions/archive-core/src/common/job-protocol';
import {
    FleetApi, HeartbeatRequest, HeartbeatResponse, RegisterRequest, RegisterResponse, WorkerRole
} from '../../extensions/workers/src/common/fleet-protocol';

/** An answer of the worker API: status and parsed JSON body (undefined for none). */
export interface FleetAnswer<T = unknown> {
    readonly status: number;
    readonly body: T;
}

/** What a worker machine says when it registers, with defaults a test overrides. */
export function registration(overrides: Partial<RegisterRequest> & { hostname?: string } = {}): RegisterRequest {
    const { hostname, ...rest } = overrides;
    return {
        protocol: FleetApi.VERSION,
        machine: { hostname: hostname ?? 'render-01', platform: 'linux', cpuModel: 'Test CPU', cpuCores: 8, memoryTotalMb: 32_000, gpus: [{ name: 'Test GPU', memoryTotalMb: 24_000 }] },
        role: 'all', models: {}, startedBy: 'test', sentAt: Date.now(),
        ...rest
    };
}

/** A heartbeat body, with defaults a test overrides. */
export function beat(overrides: Partial<HeartbeatRequest> = {}): HeartbeatRequest {
    return {
        state: 'active', resources: { cpuPercent: 10, memoryPercent: 40, throttle: 'normal', gpuTemperatureC: 60 },
        counters: { done: 0, failed: 0, loads: 1, unloads: 0 }, leaseTokens: [], sentAt: Date.now(), ...overrides
    };
}

/**
 * A worker as the tests drive it: plain HTTP calls of the worker API with
 * its token and, once registered, its session header.
 */
export class FleetTestWorker {

    sessionId: string | undefined;
    role: WorkerRole | undefined;

    constructor(readonly base: string, readonly token: string) { }

    async register(request: RegisterRequest = registration()): Promise<FleetAnswer<RegisterResponse>> {
        const answer = await this.call<RegisterResponse>('POST', FleetApi.REGISTER, request);
        if (answer.status === 200) {
            this.sessionId = answer.body.sessionId;
            this.role = answer.body.role;
        }
        return answer;
    }

    heartbeat(request: HeartbeatRequest = beat()): Promise<FleetAnswer<HeartbeatResponse>> {
        return this.call('POST', FleetApi.HEARTBEAT, request);
    }

    async claim(max = 1, phases: readonly string[] = []): Promise<ClaimedJob[]> {
        const answer = await this.call<{ jobs: ClaimedJob[] }>('POST', FleetApi.CLAIM, { phases, max });
        if (answer.status !== 200) {
            throw new Error(`claim answered ${answer.status}: ${JSON.stringify(answer.body)}`);
        }
        return answer.body.jobs;
    }

    complete(leaseToken: string, result: unknown): Promise<FleetAnswer<{ outcome: string; code?: string }>> {
        return this.call('POST', `${FleetApi.JOBS}/${encodeURIComponent(leaseToken)}/complete`, { result });
    }

    fail(leaseToken: string, code: string, retryable: boolean): Promise<FleetAnswer<{ outcome: string; code?: string }>> {
        return this.call('POST', `${FleetApi.JOBS}/${encodeURIComponent(leaseToken)}/fail`, { error: { code, message: `failed with ${code}` }, retryable });
    }

    renew(leaseToken: string): Promise<FleetAnswer<{ leaseExpiresAt: number; code?: string }>> {
        return this.call('POST', `${FleetApi.JOBS}/${encodeURIComponent(leaseToken)}/heartbeat`, {});
    }

    release(leaseToken: string): Promise<FleetAnswer> {
        return this.call('POST', `${FleetApi.JOBS}/${encodeURIComponent(leaseToken)}/release`, {});
    }

    /** GET of a source route: status, type and the bytes. */
    async source(assetId: number | string, kind: 'image' | 'text' | 'original', query = ''): Promise<{ status: number; type: string; bytes: Buffer }> {
        const response = await fetch(`${this.base}${FleetApi.SOURCES}/${assetId}/${kind}${query}`, { headers: this.headers() });
        return { status: response.status, type: response.headers.get('content-type') ?? '', bytes: Buffer.from(await response.arrayBuffer()) };
    }

    async call<T = unknown>(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<FleetAnswer<T>> {
        const response = await fetch(`${this.base}${path}`, {
            method, headers: { ...this.headers(), 'Content-Type': 'application/json; charset=utf-8', ...extraHeaders },
            body: body === undefined ? undefined : JSON.stringify(body)
        });
        const text = await response.text();
        return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
    }

    protected headers(): Record<string, string> {
        return {
            ...this.token ? { Authorization: `Bearer ${this.token}` } : {},
            ...this.sessionId ? { [FleetApi.SESSION_HEADER]: this.sessionId } : {}
        };
    }
}
