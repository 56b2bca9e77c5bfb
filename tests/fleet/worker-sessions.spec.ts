import * as path from 'path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeNoisePngs } from '../ingest/generated-images';
import { RecordingPhase } from '../phases/recording-phase';
import { makeFleetTempFolder } from './fleet-test-archive';
import { beat, FleetTestWorker, registration } from './fleet-test-worker';
import { FleetTestServer, startFleetTestServer } from './fleet-test-server';

const HEARTBEAT_MS = 1000;
const TEN_MINUTES = 10 * 60_000;

/** Worker sessions as the server keeps them: its clock alone, commands, blocked machines, roles and throughput. */
describe('fleet worker sessions', () => {
    let temp: { folder: string; remove: () => void };
    let server: FleetTestServer;
    let token: string;
    const phases = () => [new RecordingPhase('caption', ['parse'], 'vlm-7b', 1), new RecordingPhase('visual', ['parse'], 'clip-b32', 4),
        new RecordingPhase('text', ['caption'], 'e5-small', 8)];

    beforeEach(async () => {
        temp = makeFleetTempFolder('imageparser-fleet-sessions-');
        await writeNoisePngs(path.join(temp.folder, 'images'), 8, 32, 3);
        server = await startFleetTestServer(path.join(temp.folder, 'archive'), phases(), { heartbeatMs: HEARTBEAT_MS, leaseMs: 30_000 });
        await server.ingest(path.join(temp.folder, 'images'));
        token = await server.issueToken('studio');
    });

    afterEach(async () => {
        await server.close();
        temp.remove();
    });

    const listed = (worker: FleetTestWorker) => server.registry.sessions().find(session => session.id === worker.sessionId)!;

    it('judges liveness on the server clock: a worker whose clock is 10 minutes off still counts, one silent for 3 periods is lost', async () => {
        const fast = new FleetTestWorker(server.base, token);
        const slow = new FleetTestWorker(server.base, token);
        await fast.register(registration({ hostname: 'fast-clock', sentAt: Date.now() + TEN_MINUTES }));
        await slow.register(registration({ hostname: 'slow-clock', sentAt: Date.now() - TEN_MINUTES }));
        for (let i = 0; i < 4; i++) {
            server.clock.advance(HEARTBEAT_MS);
            expect((await fast.heartbeat(beat({ sentAt: Date.now() + TEN_MINUTES }))).status).toBe(200);
            expect((await slow.heartbeat(beat({ sentAt: Date.now() - TEN_MINUTES }))).status).toBe(200);
        }
        expect(listed(fast).lost).toBe(false);
        expect(listed(slow).lost).toBe(false);
        expect(server.clock.now() - listed(slow).lastSeen).toBeLessThan(HEARTBEAT_MS);

        // The slow one goes silent: after three periods on the server's clock it is lost, and its next call is told to register again.
        server.clock.advance(2 * HEARTBEAT_MS);
        expect((await fast.heartbeat()).status).toBe(200);
        server.clock.advance(1.5 * HEARTBEAT_MS);
        expect((await fast.heartbeat()).status).toBe(200);
        expect(listed(slow).lost).toBe(true);
        expect(listed(fast).lost).toBe(false);
        expect(await slow.heartbeat()).toMatchObject({ status: 410, body: { code: 'unknown-session' } });
        expect((await slow.register(registration({ hostname: 'slow-clock' }))).status).toBe(200);
        expect((await slow.heartbeat()).status).toBe(200);
    });

    it('hands each command to its worker in the next heartbeat answer, once and in order', async () => {
        const a = new FleetTestWorker(server.base, token);
        const b = new FleetTestWorker(server.base, token);
        await a.register(registration({ hostname: 'a', role: 'caption' }));
        await b.register(registration({ hostname: 'b', role: 'visual' }));
        await server.registry.command(a.sessionId!, { kind: 'pause' });
        await server.registry.command(a.sessionId!, { kind: 'change-role', role: 'text' });
        const first = await a.heartbeat();
        expect(first.body.commands).toEqual([{ kind: 'pause' }, { kind: 'change-role', role: 'text' }]);
        expect(first.body.role).toBe('text');
        expect((await a.heartbeat()).body.commands).toEqual([]);
        expect((await b.heartbeat()).body.commands).toEqual([]);
        // Paused on the server too: even a claim that races the heartbeat gets nothing until it is resumed.
        expect(await a.claim(10, ['text', 'caption'])).toEqual([]);
        await server.registry.command(a.sessionId!, { kind: 'resume' });
        expect((await a.heartbeat()).body.commands).toEqual([{ kind: 'resume' }]);
        // Its new role shows in claims: text only, and none is ready (no caption is done).
        expect(await a.claim(10, ['text', 'caption'])).toEqual([]);
        await server.registry.command(a.sessionId!, { kind: 'change-role', role: 'caption' });
        expect((await a.claim(10)).map(job => job.phase)).toEqual(Array(8).fill('caption'));
        // Told to stop: it claims nothing more.
        await server.registry.command(b.sessionId!, { kind: 'stop' });
        expect(await b.claim(10)).toEqual([]);
        await expect(server.registry.command('no-such-session', { kind: 'stop' })).rejects.toThrow(/no connected worker session/);
    });

    it('blocks a machine: its workers are told to stop, its claims and registrations are refused until an admin unblocks it', async () => {
        const worker = new FleetTestWorker(server.base, token);
        await worker.register(registration({ hostname: '렌더-노트북' }));
        await server.registry.command(worker.sessionId!, { kind: 'block' });
        expect((await worker.heartbeat()).body.commands).toEqual([{ kind: 'block' }]);
        expect((await worker.call('POST', '/api/v1/jobs/claim', { max: 1 }))).toMatchObject({ status: 403, body: { code: 'blocked' } });
        const again = new FleetTestWorker(server.base, token);
        expect(await again.register(registration({ hostname: '렌더-노트북' }))).toMatchObject({ status: 403, body: { code: 'blocked' } });
        expect(await server.registry.blocked()).toEqual(['렌더-노트북']);
        await server.registry.unblock('렌더-노트북');
        expect((await again.register(registration({ hostname: '렌더-노트북' }))).status).toBe(200);
        expect((await again.claim(1)).length).toBe(1);
    });

    it('gives an auto worker every phase while it is alone and the bottleneck phase it has the model for once others join, re-balancing as queues drain', async () => {
        const auto = new FleetTestWorker(server.base, token);
        const models = { caption: 'vlm-7b', visual: 'clip-b32' };
        expect((await auto.register(registration({ hostname: 'auto', role: 'auto', models }))).body.role).toBe('all');
        const visual = new FleetTestWorker(server.base, token);
        await visual.register(registration({ hostname: 'visual', role: 'visual' }));
        // Caption and visual have 8 jobs each; visual has a worker already, so caption is the bottleneck.
        expect((await auto.heartbeat()).body.role).toBe('caption');
        // Its phase keeps work: it keeps the role (its model stays resident).
        expect((await auto.heartbeat()).body.role).toBe('caption');
        // Caption drains; visual still has work: it moves there.
        for (const job of await auto.claim(100, ['caption'])) {
            expect((await auto.complete(job.leaseToken, { kind: 'done', result: { caption: 'x' } })).status).toBe(200);
        }
        expect((await auto.heartbeat()).body.role).toBe('visual');
        // Alone again (the other is stopped and lost): all-in-one.
        await server.registry.command(visual.sessionId!, { kind: 'stop' });
        for (let i = 0; i < 4; i++) {
            server.clock.advance(HEARTBEAT_MS);
            await auto.heartbeat();
        }
        expect((await auto.heartbeat()).body.role).toBe('all');
        // A worker without the text model is never given text, even when text is the only phase with work.
        const noModels = new FleetTestWorker(server.base, token);
        expect((await noModels.register(registration({ hostname: 'bare', role: 'auto', models: {} }))).body.role).toBe('auto');
    });

    it('counts throughput per worker session, not per token or user', async () => {
        const a = new FleetTestWorker(server.base, token);
        const b = new FleetTestWorker(server.base, token);
        await a.register(registration({ hostname: 'same-host', role: 'visual' }));
        await b.register(registration({ hostname: 'same-host', role: 'visual' }));
        for (const job of await a.claim(3)) {
            await a.complete(job.leaseToken, { kind: 'done', result: {} });
        }
        const [one] = await b.claim(1);
        await b.complete(one.leaseToken, { kind: 'done', result: {} });
        server.clock.advance(60_000);
        await a.heartbeat();
        await b.heartbeat();
        expect(server.registry.jobsPerMinute(listed(a))).toBeCloseTo(3, 1);
        expect(server.registry.jobsPerMinute(listed(b))).toBeCloseTo(1, 1);
    });

    it('lets a worker keep its leases through a server restart: it registers again and its heartbeat and completion are taken', async () => {
        const worker = new FleetTestWorker(server.base, token);
        await worker.register(registration({ role: 'visual' }));
        const jobs = await worker.claim(2);
        // The server process restarts: a new registry and endpoint over the same archive and queue.
        await server.close();
        server = await startFleetTestServer(path.join(temp.folder, 'archive'), phases(), { heartbeatMs: HEARTBEAT_MS, leaseMs: 30_000 });
        const moved = new FleetTestWorker(server.base, token);
        moved.sessionId = worker.sessionId;
        expect((await moved.heartbeat(beat({ leaseTokens: jobs.map(job => job.leaseToken) }))).status).toBe(410);
        await moved.register(registration({ role: 'visual' }));
        // Before its heartbeat names its leases again, it reads a held job's image (the claim was recorded with its token)…
        expect((await moved.source(jobs[0].assetId, 'image')).status).toBe(200);
        // …and a worker with another token does not.
        const other = new FleetTestWorker(server.base, await server.issueToken('other'));
        await other.register(registration({ hostname: 'other', role: 'visual' }));
        expect((await other.source(jobs[1].assetId, 'image')).status).toBe(403);
        const answer = await moved.heartbeat(beat({ leaseTokens: jobs.map(job => job.leaseToken) }));
        expect(answer.body.lostLeases).toEqual([]);
        for (const job of jobs) {
            expect((await moved.complete(job.leaseToken, { kind: 'done', result: { after: 'restart' } })).body).toEqual({ outcome: 'done' });
        }
    });
});
