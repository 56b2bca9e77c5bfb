import * as path from 'path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writeNoisePngs } from '../ingest/generated-images';
import { RecordingPhase } from '../phases/recording-phase';
import { RedisTestServer } from '../redis/redis-test-server';
import { imageparser, recordingEnv, ServeProcess, startServe } from './fleet-cli-process';
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
    }, 60_000);

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
        const held: Awaited<ReturnType<FleetTestWorker['claim']>> = [];
        await expect.poll(async () => {
            held.push(...await a.claim(2 - held.length));
            return held.length;
        }, { interval: 100 }).toBe(2);
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
        // A's session is lost once silent for three heartbeat periods (B keeps beating); A registers again.
        const silent = a.sessionId;
        await expect.poll(async () => {
            await b.heartbeat();
            return server.registry.sessions().find(session => session.id === silent)?.lost;
        }, { interval: 200 }).toBe(true);
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
        // The engine hands Redis the jobs once their transaction committed (its outbox): they may arrive a moment after the sweep.
        const jobs: Awaited<ReturnType<FleetTestWorker['claim']>> = [];
        await expect.poll(async () => {
            jobs.push(...await worker.claim(ASSETS));
            return jobs.length;
        }, { interval: 100 }).toBe(ASSETS);
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

describe('imageparser serve on the BullMQ engine', () => {
    let redis: RedisTestServer;
    beforeAll(async () => {
        redis = await RedisTestServer.start();
    }, 30_000);
    afterAll(() => redis?.stop());

    it('serves a worker every job from Redis and exits 0 on SIGTERM, its connections closed', async () => {
        const temp = makeFleetTempFolder('imageparser-serve-bullmq-');
        const archive = path.join(temp.folder, 'archive');
        const env = recordingEnv(path.join(temp.folder, 'log'), { IMAGEPARSER_QUEUE_ENGINE: 'bullmq', IMAGEPARSER_REDIS_URL: redis.url, IMAGEPARSER_LOCAL_PHASES: 'none' });
        let serve: ServeProcess | undefined;
        try {
            await writeNoisePngs(path.join(temp.folder, 'images'), 3, 32, 4);
            serve = await startServe(archive, env);
            expect(imageparser(['index', path.join(temp.folder, 'images'), '--archive', archive, '--threads', '1'], env).status).toBe(0);
            const worker = new FleetTestWorker(serve.base, imageparser(['token', 'issue', 'redis', '--archive', archive], env).stdout.trim());
            await worker.register(registration({ role: 'all' }));
            const done = new Set<number>();
            await expect.poll(async () => {
                for (const job of await worker.claim(3)) {
                    expect((await worker.complete(job.leaseToken, { kind: 'done', result: { hash: '', pid: 0, job: job.jobId } })).status).toBe(200);
                    done.add(job.assetId);
                }
                return done.size;
            }, { timeout: 20_000, interval: 200 }).toBe(3);
            serve.child.kill('SIGTERM');
            expect(await serve.exited).toBe(0);
            expect(archiveRows(archive, 'SELECT asset_id FROM test_record_results').length).toBe(3);
        } finally {
            if (serve && serve.child.exitCode === null && serve.child.signalCode === null) {
                serve.child.kill('SIGKILL');
            }
            temp.remove();
        }
    }, 120_000);
});
