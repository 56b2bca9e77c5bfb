import * as path from 'path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writeNoisePngs } from '../ingest/generated-images';
import { RecordingPhase } from '../phases/recording-phase';
import { RedisTestServer } from '../redis/redis-test-server';
import { archiveRows, makeFleetTempFolder } from './fleet-test-archive';
import { beat, FleetTestWorker, registration } from './fleet-test-worker';
import { FleetTestServer, startFleetTestServer } from './fleet-test-server';

const ASSETS = 6;
const LEASE_MS = 1500;

/**
 * The same worker API with the BullMQ engine on a real redis-server behind
 * it: the server codes only against `JobQueue`, so claims, foreign and stale
 * leases, idempotent completions and a server restart behave as on the
 * embedded engine, and every result lands in the archive once.
 */
describe('fleet worker API on the BullMQ engine', () => {
    let redis: RedisTestServer;
    let temp: { folder: string; remove: () => void };
    let server: FleetTestServer;
    const phases = () => [new RecordingPhase('visual', ['parse'], 'clip-b32')];
    const archive = () => path.join(temp.folder, 'archive');

    beforeAll(async () => {
        redis = await RedisTestServer.start();
    }, 30_000);
    afterAll(() => redis?.stop());

    beforeEach(async () => {
        await redis.flushAll();
        temp = makeFleetTempFolder('imageparser-fleet-bullmq-');
        await writeNoisePngs(path.join(temp.folder, 'images'), ASSETS, 32, 21);
        server = await startFleetTestServer(archive(), phases(), { leaseMs: LEASE_MS, redisUrl: redis.url });
        await server.ingest(path.join(temp.folder, 'images'));
    });

    afterEach(async () => {
        await server.close();
        temp.remove();
    });

    it('claims, refuses foreign and stale leases with 409, completes each job once', async () => {
        expect(server.queue.constructor.name).toBe('BullmqJobQueue');
        const token = await server.issueToken('redis pool');
        const a = new FleetTestWorker(server.base, token);
        const b = new FleetTestWorker(server.base, token);
        await a.register(registration({ hostname: 'a', role: 'visual' }));
        await b.register(registration({ hostname: 'b', role: 'visual' }));
        const held = await a.claim(2);
        expect(held.length).toBe(2);
        expect(await b.complete(held[0].leaseToken, { kind: 'done', result: { by: 'b' } })).toMatchObject({ status: 409, body: { code: 'foreign-lease' } });
        expect((await a.source(held[0].assetId, 'image')).status).toBe(200);
        expect((await a.complete(held[0].leaseToken, { kind: 'done', result: { by: 'a' } })).body).toEqual({ outcome: 'done' });
        expect((await a.complete(held[0].leaseToken, { kind: 'done', result: { by: 'a' } })).body).toEqual({ outcome: 'already-done' });

        // A goes silent with its second job; B heartbeats while the lease runs out, then gets the job.
        let again;
        for (let i = 0; i < 20 && !again; i++) {
            await new Promise(resolve => setTimeout(resolve, 300));
            expect((await b.heartbeat()).status).toBe(200);
            await server.queue.reap();
            again = (await b.claim(ASSETS)).find(job => job.assetId === held[1].assetId);
        }
        expect(again).toBeDefined();
        await a.register(registration({ hostname: 'a', role: 'visual' }));
        expect(await a.complete(held[1].leaseToken, { kind: 'done', result: { by: 'a' } })).toMatchObject({ status: 409, body: { code: 'stale-lease' } });
        expect((await b.complete(again!.leaseToken, { kind: 'done', result: { by: 'b' } })).body).toEqual({ outcome: 'done' });
        expect(archiveRows<{ result: string }>(archive(), 'SELECT result FROM test_phase_results WHERE asset_id = ?', held[1].assetId).map(row => row.result))
            .toEqual(['{"by":"b"}']);
    });

    it('keeps a worker\'s leases through a server restart on the same Redis and archive', async () => {
        const token = await server.issueToken('restart');
        const worker = new FleetTestWorker(server.base, token);
        await worker.register(registration({ role: 'visual' }));
        const jobs = await worker.claim(ASSETS);
        expect(jobs.length).toBe(ASSETS);
        await server.close();
        server = await startFleetTestServer(archive(), phases(), { leaseMs: LEASE_MS, redisUrl: redis.url });
        const again = new FleetTestWorker(server.base, token);
        await again.register(registration({ role: 'visual' }));
        expect((await again.heartbeat(beat({ leaseTokens: jobs.map(job => job.leaseToken) }))).body.lostLeases).toEqual([]);
        for (const job of jobs) {
            expect((await again.complete(job.leaseToken, { kind: 'done', result: { asset: job.assetId } })).body).toEqual({ outcome: 'done' });
        }
        const stored = archiveRows<{ asset_id: number }>(archive(), 'SELECT asset_id FROM test_phase_results ORDER BY asset_id');
        expect(stored.map(row => row.asset_id)).toEqual(jobs.map(job => job.assetId).sort((x, y) => x - y));
    });
});
