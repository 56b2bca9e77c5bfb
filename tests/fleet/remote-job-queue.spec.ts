import { afterEach, describe, expect, it } from 'vitest';
// The class the worker's compiled code throws (the runtime imports archive-core's compiled modules).
import { LeaseRefusedError } from '@imageparser/archive-core/lib/node/jobs/job-queue';
import { FleetApi, RegisterResponse } from '../../extensions/workers/src/common/fleet-protocol';
import { FleetConnection } from '../../extensions/workers/src/node/runtime/fleet-connection';
import { FleetHttpClient, FleetUnreachableError } from '../../extensions/workers/src/node/runtime/fleet-http-client';
import { RemoteJobQueue } from '../../extensions/workers/src/node/runtime/remote-job-queue';
import { ReceivedRequest, ScriptedAnswer, ScriptedFleetServer } from './scripted-fleet-server';

const LEASE_MS = 30_000;
/** The server's clock runs 10 minutes ahead of the worker's. */
const SERVER_AHEAD_MS = 10 * 60_000;

function job(token: string, assetId = 7) {
    return { jobId: assetId, assetId, phase: 'visual', model: 'tiny-clip', contentHash: 'h', leaseToken: token, leaseExpiresAt: Date.now() + SERVER_AHEAD_MS + LEASE_MS, attempt: 0 };
}

function registration(sessionId: string): RegisterResponse {
    return { sessionId, role: 'visual', phases: [{ phase: 'visual', model: 'tiny-clip' }], heartbeatMs: 60_000, leaseMs: LEASE_MS };
}

describe('RemoteJobQueue over the worker API (what the worker does with each answer)', () => {
    let server: ScriptedFleetServer | undefined;

    afterEach(async () => {
        await server?.close();
        server = undefined;
    });

    async function connect(script: (request: ReceivedRequest) => ScriptedAnswer | Promise<ScriptedAnswer>) {
        server = await ScriptedFleetServer.start(script);
        const http = new FleetHttpClient({ serverUrl: `${server.url}/`, token: 'tok-secret' });
        const connection = new FleetConnection(http, () => ({
            machine: { hostname: '작업자-1', platform: 'linux', cpuModel: 'cpu', cpuCores: 2, memoryTotalMb: 1024, gpus: [] },
            role: 'visual', models: { visual: 'tiny-clip' }, startedBy: 'test'
        }), async () => ({ state: 'active', resources: { cpuPercent: 1, memoryPercent: 2, throttle: 'normal' }, counters: { done: 0, failed: 0, loads: 0, unloads: 0 }, leaseTokens: [] }),
        () => undefined);
        const queue = new RemoteJobQueue(http, () => connection.registration?.leaseMs ?? LEASE_MS);
        return { http, connection, queue };
    }

    it('sends the token and session, keeps Korean intact, and reads the server clock from its leases, not its own', async () => {
        const { connection, queue } = await connect(request => {
            if (request.path === FleetApi.REGISTER) {
                return { status: 200, body: registration('s-1') };
            }
            if (request.path.startsWith(FleetApi.CLAIM)) {
                return { status: 200, body: { jobs: [job('lease-1')] } };
            }
            return { status: 200, body: { outcome: 'done' } };
        });
        await connection.register();
        const jobs = await queue.claim(['visual'], 4, 'ignored');
        expect(jobs.map(each => each.leaseToken)).toEqual(['lease-1']);
        expect(queue.leaseTokens()).toEqual(['lease-1']);
        // Ten minutes ahead, as the server's clock is (within the call's time).
        expect(Math.abs(queue.serverNow() - (Date.now() + SERVER_AHEAD_MS))).toBeLessThan(5_000);
        expect(await queue.complete('lease-1', { kind: 'done', result: { caption: '빨간 고양이 🐱' } })).toBe('done');
        expect(queue.leaseTokens()).toEqual([]);
        expect(queue.counters()).toEqual({ done: 1, failed: 0 });

        const register = server!.to(FleetApi.REGISTER)[0];
        expect(register.headers.authorization).toBe('Bearer tok-secret');
        expect((register.body as { machine: { hostname: string } }).machine.hostname).toBe('작업자-1');
        const complete = server!.to(`${FleetApi.JOBS}/lease-1/complete`)[0];
        expect(complete.headers[FleetApi.SESSION_HEADER.toLowerCase()]).toBe('s-1');
        expect(complete.body).toEqual({ result: { kind: 'done', result: { caption: '빨간 고양이 🐱' } } });
        expect(server!.to(FleetApi.CLAIM)[0].body).toEqual({ phases: ['visual'], max: 4 });
    });

    it('turns a 409 into LeaseRefusedError with the reason, and forgets that lease', async () => {
        const { connection, queue } = await connect(request => {
            if (request.path === FleetApi.REGISTER) {
                return { status: 200, body: registration('s-1') };
            }
            if (request.path.startsWith(FleetApi.CLAIM)) {
                return { status: 200, body: { jobs: [job('stale'), job('never', 8)] } };
            }
            const code = request.path.includes('/stale/') ? 'stale-lease' : 'unknown-lease';
            return { status: 409, body: { code, message: 'not yours' } };
        });
        await connection.register();
        await queue.claim(['visual'], 2, 'w');
        const stale = await queue.complete('stale', { kind: 'done', result: 1 }).catch(error => error);
        expect(stale).toBeInstanceOf(LeaseRefusedError);
        expect(stale.reason).toBe('stale-lease');
        const unknown = await queue.heartbeat('never').catch(error => error);
        expect(unknown).toBeInstanceOf(LeaseRefusedError);
        expect(unknown.reason).toBe('unknown-lease');
        expect(queue.leaseTokens()).toEqual([]);
        // Refused once, not tried again.
        expect(server!.to(`${FleetApi.JOBS}/stale/`)).toHaveLength(1);
    });

    it('registers again on 410 and repeats the call under the new session', async () => {
        let sessions = 0;
        const { connection, queue } = await connect(request => {
            if (request.path === FleetApi.REGISTER) {
                return { status: 200, body: registration(`s-${++sessions}`) };
            }
            if (request.headers[FleetApi.SESSION_HEADER.toLowerCase()] === 's-1') {
                return { status: 410, body: { code: 'unknown-session', message: 'the server restarted' } };
            }
            return { status: 200, body: { jobs: [job('after-restart')] } };
        });
        await connection.register();
        const jobs = await queue.claim(['visual'], 1, 'w');
        expect(jobs.map(each => each.leaseToken)).toEqual(['after-restart']);
        expect(sessions).toBe(2);
        expect(server!.to(FleetApi.CLAIM).map(request => request.headers[FleetApi.SESSION_HEADER.toLowerCase()])).toEqual(['s-1', 's-2']);
    });

    it('tries a completion again while the server answers 503, so the result arrives once the server is back', async () => {
        let refusals = 0;
        const { connection, queue } = await connect(request => {
            if (request.path === FleetApi.REGISTER) {
                return { status: 200, body: registration('s-1') };
            }
            if (request.path.startsWith(FleetApi.CLAIM)) {
                return { status: 200, body: { jobs: [job('busy')] } };
            }
            return ++refusals <= 3 ? { status: 503, body: { code: 'unavailable', message: 'restarting' } } : { status: 200, body: { outcome: 'done' } };
        });
        await connection.register();
        await queue.claim(['visual'], 1, 'w');
        expect(await queue.complete('busy', { kind: 'done', result: [0.5] })).toBe('done');
        expect(server!.to(`${FleetApi.JOBS}/busy/complete`)).toHaveLength(4);
    });

    it('does not repeat a claim the server failed, and says when the server cannot be reached', async () => {
        const { connection, queue } = await connect(request => request.path === FleetApi.REGISTER
            ? { status: 200, body: registration('s-1') } : { status: 500, body: { code: 'internal', message: 'boom' } });
        await connection.register();
        await expect(queue.claim(['visual'], 1, 'w')).rejects.toThrow(/500 boom/);
        expect(server!.to(FleetApi.CLAIM)).toHaveLength(1);
        await server!.close();
        server = undefined;
        await expect(queue.claim(['visual'], 1, 'w')).rejects.toBeInstanceOf(FleetUnreachableError);
    });

    it('refuses a token no header can carry instead of trying forever', () => {
        expect(() => new FleetHttpClient({ serverUrl: 'http://127.0.0.1:1', token: '토큰 abc' })).toThrow(/printable ASCII/);
        expect(() => new FleetHttpClient({ serverUrl: 'ftp://server', token: 'abc' })).toThrow(/http:\/\/ or https:\/\//);
    });

    it('stops for good when the token is refused at register', async () => {
        const { connection } = await connect(() => ({ status: 401, body: { code: 'revoked', message: 'This token was revoked' } }));
        await expect(connection.register()).rejects.toMatchObject({ name: 'RegistrationRefusedError', status: 401, code: 'revoked' });
        expect(server!.to(FleetApi.REGISTER)).toHaveLength(1);
    });
});
