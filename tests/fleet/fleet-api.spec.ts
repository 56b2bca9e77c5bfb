import * as fs from 'fs';
import * as path from 'path';
import BetterSqlite3 = require('better-sqlite3');
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AiImageSource } from '../../extensions/archive-core/src/node/inference/ai-image';
import { FleetApi } from '../../extensions/workers/src/common/fleet-protocol';
import type { WorkerTokenService } from '../../extensions/workers/src/node/server/worker-token-service';
import { aiImage, workerTokenService } from './fleet-compiled';
import { writeNoisePngs } from '../ingest/generated-images';
import { archiveRows as rows, archiveValue as value, makeFleetTempFolder } from './fleet-test-archive';
import { RecordingPhase } from '../phases/recording-phase';
import { beat, FleetTestWorker, registration } from './fleet-test-worker';
import { FleetTestServer, startFleetTestServer } from './fleet-test-server';

const ASSETS = 6;

/** The worker API over real HTTP on a real archive: tokens, sessions, claims, sources, results and refusals. */
describe('fleet worker API', () => {
    let temp: { folder: string; remove: () => void };
    let server: FleetTestServer;
    let images: string;

    beforeEach(async () => {
        temp = makeFleetTempFolder('imageparser-fleet-api-');
        images = path.join(temp.folder, 'images');
        await writeNoisePngs(images, ASSETS, 48, 7, '그림');
        server = await startFleetTestServer(path.join(temp.folder, 'archive'), [new RecordingPhase('visual', ['parse'], 'clip-b32')], { leaseMs: 1500 });
        await server.ingest(images);
    });

    afterEach(async () => {
        await server.close();
        temp.remove();
    });

    const archive = () => path.join(temp.folder, 'archive');

    it('registers, claims, reads the image by lease, completes once, and the result with its Korean text is in the archive', async () => {
        const worker = new FleetTestWorker(server.base, await server.issueToken('스튜디오 3번 GPU'));
        const registered = await worker.register(registration({ hostname: '작업실-렌더-01', role: 'visual', models: { visual: 'clip-b32' } }));
        expect(registered.status).toBe(200);
        expect(registered.body.role).toBe('visual');
        expect(registered.body.phases).toEqual([{ phase: 'visual', model: 'clip-b32' }]);
        expect(registered.body.leaseMs).toBe(1500);

        const [job] = await worker.claim(1);
        expect(job.phase).toBe('visual');
        const image = await worker.source(job.assetId, 'image', '?maxEdge=32');
        expect(image.status).toBe(200);
        expect(image.type).toMatch(/^image\//);
        // Decoded on the worker as the server's phases decode the stored preview, the pixels are the server's own.
        const served = await sharp(image.bytes).resize(32, 32, { fit: 'inside', withoutEnlargement: true }).flatten({ background: '#ffffff' })
            .toColourspace('srgb').removeAlpha().raw().toBuffer();
        const own = await server.container.get<AiImageSource>(aiImage.AiImageSource).image(job.assetId, 32);
        expect(Buffer.from(own!.rgb.data).equals(served)).toBe(true);
        const original = await worker.source(job.assetId, 'original');
        const file = rows<{ path: string }>(archive(), 'SELECT path FROM files WHERE asset_id = ?', job.assetId)[0].path;
        expect(original.bytes.equals(fs.readFileSync(file))).toBe(true);
        expect((await worker.source(job.assetId, 'text')).bytes.toString('utf8')).toBe('{"text":""}');

        const result = { kind: 'done', result: { caption: '빨간 우산을 든 고양이', vector: [0.25, -0.5] } };
        expect((await worker.complete(job.leaseToken, result)).body).toEqual({ outcome: 'done' });
        expect((await worker.complete(job.leaseToken, result)).body).toEqual({ outcome: 'already-done' });
        const stored = rows<{ result: string }>(archive(), 'SELECT result FROM test_phase_results WHERE asset_id = ?', job.assetId);
        expect(stored.map(row => JSON.parse(row.result))).toEqual([result.result]);
        expect(value(archive(), "SELECT state FROM phase_states WHERE asset_id = ? AND phase = 'visual'", job.assetId)).toBe('done');
        // Its sources are served no longer: the job is done.
        expect((await worker.source(job.assetId, 'image')).status).toBe(403);
        const [listed] = server.registry.sessions();
        expect(listed.machine.hostname).toBe('작업실-렌더-01');
        expect(listed.tokenLabel).toBe('스튜디오 3번 GPU');
    });

    it('serves a text job the captions it embeds, Korean intact, only while it holds the job', async () => {
        const worker = new FleetTestWorker(server.base, await server.issueToken('text'));
        await worker.register(registration({ role: 'all' }));
        const [job] = await worker.claim(1);
        const db = new BetterSqlite3(path.join(archive(), 'archive.sqlite'), { timeout: 5000 });
        const add = db.prepare('INSERT INTO asset_captions (asset_id, language, model, text, created_at) VALUES (?, ?, ?, ?, ?)');
        add.run(job.assetId, 'en', 'vlm', 'A cat holding a red umbrella', new Date().toISOString());
        add.run(job.assetId, 'ko', 'vlm', '빨간 우산을 든 고양이 🐱', new Date().toISOString());
        db.close();
        const text = await worker.source(job.assetId, 'text');
        expect(text.type).toContain('application/json');
        expect(JSON.parse(text.bytes.toString('utf8'))).toEqual({ text: 'A cat holding a red umbrella\n빨간 우산을 든 고양이 🐱' });
        await worker.complete(job.leaseToken, { kind: 'done', result: {} });
        expect((await worker.source(job.assetId, 'text')).status).toBe(403);
    });

    it('refuses calls without a known, unrevoked token (401), with an unknown session (410), or of another protocol (400)', async () => {
        const token = await server.issueToken('desk 4');
        expect((await new FleetTestWorker(server.base, '').register()).status).toBe(401);
        const forged = await new FleetTestWorker(server.base, `ipw1.0123456789abcdef.${'A'.repeat(43)}`).register();
        expect(forged).toMatchObject({ status: 401, body: { code: 'unauthorized' } });
        const old = await new FleetTestWorker(server.base, token).register(registration({ protocol: 2 }));
        expect(old).toMatchObject({ status: 400, body: { code: 'protocol' } });

        const worker = new FleetTestWorker(server.base, token);
        await worker.register(registration({ models: { visual: 'clip-b32' } }));
        const unknown = new FleetTestWorker(server.base, token);
        unknown.sessionId = 'not-a-session';
        expect(await unknown.heartbeat()).toMatchObject({ status: 410, body: { code: 'unknown-session' } });

        const [job] = await worker.claim(1);
        const tokens = server.container.get<WorkerTokenService>(workerTokenService.WorkerTokenService);
        await tokens.revoke((await tokens.list())[0].id);
        expect(await worker.heartbeat()).toMatchObject({ status: 401, body: { code: 'revoked' } });
        expect(await worker.complete(job.leaseToken, { kind: 'done', result: {} })).toMatchObject({ status: 401 });
        expect(value(archive(), "SELECT count(*) FROM phase_states WHERE phase = 'visual' AND state = 'done'")).toBe(0);
    });

    it('refuses a foreign, stale or unknown lease with 409 and changes nothing', async () => {
        const token = await server.issueToken('pool');
        const a = new FleetTestWorker(server.base, token);
        const b = new FleetTestWorker(server.base, token);
        await a.register(registration({ hostname: 'a' }));
        await b.register(registration({ hostname: 'b' }));
        const [job] = await a.claim(1);
        const before = rows(archive(), 'SELECT id, state, lease_token FROM phase_jobs ORDER BY id');

        expect(await b.complete(job.leaseToken, { kind: 'done', result: { by: 'b' } })).toMatchObject({ status: 409, body: { code: 'foreign-lease' } });
        expect(await b.fail(job.leaseToken, 'oops', false)).toMatchObject({ status: 409, body: { code: 'foreign-lease' } });
        expect(await b.renew(job.leaseToken)).toMatchObject({ status: 409, body: { code: 'foreign-lease' } });
        expect((await b.heartbeat(beat({ leaseTokens: [job.leaseToken] }))).body.lostLeases).toEqual([job.leaseToken]);
        expect(await b.source(job.assetId, 'image')).toMatchObject({ status: 403 });
        expect(await a.complete('12345.1.AAAAAAAAAAAAAAAAAAAAAA', { kind: 'done', result: {} })).toMatchObject({ status: 409, body: { code: 'unknown-lease' } });
        expect(rows(archive(), 'SELECT id, state, lease_token FROM phase_jobs ORDER BY id')).toEqual(before);

        // A's lease runs out and B claims the job again: A's late completion is stale, B's stands.
        for (let i = 0; i < 4; i++) {
            // B heartbeats meanwhile (every 450 ms, inside the 500 ms period a 1.5 s lease gives); A stays silent.
            await new Promise(resolve => setTimeout(resolve, 450));
            expect((await b.heartbeat()).status).toBe(200);
        }
        await server.queue.reap();
        const again = (await b.claim(ASSETS)).find(each => each.assetId === job.assetId)!;
        expect(again).toBeDefined();
        // A missed its heartbeats: its session is gone (410); registered again, its late completion is stale (409).
        expect(await a.complete(job.leaseToken, { kind: 'done', result: { by: 'a' } })).toMatchObject({ status: 410, body: { code: 'unknown-session' } });
        expect((await a.register(registration({ hostname: 'a' }))).status).toBe(200);
        expect(await a.complete(job.leaseToken, { kind: 'done', result: { by: 'a' } })).toMatchObject({ status: 409, body: { code: 'stale-lease' } });
        expect((await b.complete(again.leaseToken, { kind: 'done', result: { by: 'b' } })).body).toEqual({ outcome: 'done' });
        expect(rows<{ result: string }>(archive(), 'SELECT result FROM test_phase_results WHERE asset_id = ?', job.assetId).map(row => row.result))
            .toEqual(['{"by":"b"}']);
    });

    it('refuses bad bodies with 400 and bodies past the limit with 413, as JSON', async () => {
        const worker = new FleetTestWorker(server.base, await server.issueToken('x'));
        await worker.register();
        const [job] = await worker.claim(1);
        expect(await worker.call('POST', FleetApi.HEARTBEAT, { state: 'dancing' })).toMatchObject({ status: 400, body: { code: 'bad-request' } });
        expect(await worker.call('POST', `${FleetApi.JOBS}/${job.leaseToken}/complete`, {})).toMatchObject({ status: 400 });
        const huge = { result: { kind: 'done', result: { text: 'x'.repeat(2 * 1024 * 1024) } } };
        expect(await worker.call('POST', `${FleetApi.JOBS}/${job.leaseToken}/complete`, huge)).toMatchObject({ status: 413, body: { code: 'too-large' } });
        expect(await worker.source('../../etc/passwd', 'original')).toMatchObject({ status: 404 });
        expect(await worker.source('0', 'original')).toMatchObject({ status: 400 });
        expect(await worker.source(job.assetId, 'image', '?maxEdge=-5')).toMatchObject({ status: 400 });
        // The job is still held and completes after the refusals.
        expect((await worker.complete(job.leaseToken, { kind: 'done', result: { ok: 1 } })).body).toEqual({ outcome: 'done' });
    });

    it('gives a released job back at once and fails a job for good when told it is not retryable', async () => {
        const worker = new FleetTestWorker(server.base, await server.issueToken('x'));
        await worker.register();
        const [first, second] = await worker.claim(2);
        expect((await worker.release(first.leaseToken)).status).toBe(204);
        expect((await worker.claim(ASSETS)).map(job => job.assetId)).toContain(first.assetId);
        expect((await worker.fail(second.leaseToken, 'decode-failed', false)).body).toEqual({ outcome: 'done' });
        expect(value(archive(), "SELECT state FROM phase_states WHERE asset_id = ? AND phase = 'visual'", second.assetId)).toBe('failed');
    });
});
