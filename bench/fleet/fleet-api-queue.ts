/**
 * A simulated worker's queue over a real server's worker API: the worker
 * runtime's own `RemoteJobQueue` over its `FleetHttpClient` (what
 * `imageparser worker` claims and completes with), after a registration
 * of its own session (role `all`: it claims the phases it names).
 */
import * as os from 'os';
import type { JobQueue } from '@imageparser/archive-core/lib/node/jobs/job-queue';
import { FleetApi, RegisterRequest, RegisterResponse } from '@imageparser/workers/lib/common/fleet-protocol';
import { FleetHttpClient } from '@imageparser/workers/lib/node/runtime/fleet-http-client';
import { RemoteJobQueue } from '@imageparser/workers/lib/node/runtime/remote-job-queue';

export async function registeredWorkerQueue(serverUrl: string, token: string, name: string): Promise<JobQueue> {
    const http = new FleetHttpClient({ serverUrl, token });
    const request: RegisterRequest = {
        protocol: FleetApi.VERSION,
        machine: { hostname: `${os.hostname()}-${name}`, platform: process.platform, cpuModel: 'bench', cpuCores: 1, memoryTotalMb: 1024, gpus: [] },
        role: 'all', models: {}, startedBy: 'test', sentAt: Date.now()
    };
    const registration = await http.post<RegisterResponse>(FleetApi.REGISTER, request);
    http.sessionId = registration.sessionId;
    return new RemoteJobQueue(http, () => registration.leaseMs);
}
