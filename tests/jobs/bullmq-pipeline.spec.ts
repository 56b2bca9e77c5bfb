import * as path from 'path';
import { Container } from '@theia/core/shared/inversify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BullmqJobQueue } from '../../extensions/archive-core/src/node/jobs/bullmq/bullmq-job-queue';
import { chooseJobEngine, JobEngineChoice } from '../../extensions/archive-core/src/node/jobs/job-engine-choice';
import { EmbeddedJobQueue } from '../../extensions/archive-core/src/node/jobs/embedded-job-queue';
import { SelectedJobQueue } from '../../extensions/archive-core/src/node/jobs/selected-job-queue';
import { PreferenceService } from '@theia/core/lib/common/preferences';
import { PhaseCommitter } from '../../extensions/archive-core/src/node/jobs/phase-committer';
import { ArchiveStore } from '../../extensions/archive-core/src/node/store/archive-store';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { writeNoisePngs } from '../ingest/generated-images';
import { disposeArchiveTestContainer, ingest, phaseContainer, pipelineOf, queueOf, value } from '../phases/phase-test-archive';
import { RecordingPhase } from '../phases/recording-phase';
import { RedisTestServer } from '../redis/redis-test-server';

const IMAGES = 12;

/**
 * The phase pipeline with its jobs in BullMQ on a real redis-server and its
 * results in a real archive: every job committed to SQLite first, next jobs
 * through the archive's outbox, and Redis flushed mid-run costs only time:
 * the sweep queues what the archive still misses and every asset ends done
 * exactly once.
 */
describe('the phase pipeline on BullMQ', () => {
    let redis: RedisTestServer;
    let temp: ReturnType<typeof makeTempFolder>;
    let art: string;
    let containers: Container[] = [];
    let archives = 0;

    beforeAll(async () => {
        redis = await RedisTestServer.start();
        temp = makeTempFolder();
        art = path.join(temp.folder, 'art');
        await writeNoisePngs(art, IMAGES, 32, 5);
    }, 60_000);
    afterEach(async () => {
        for (const container of containers) {
            await disposeArchiveTestContainer(container);
        }
        containers = [];
    });
    afterAll(async () => {
        await redis?.stop();
        temp?.remove();
    });

    function bullmqArchive(...phases: RecordingPhase[]): { folder: string; container: Container } {
        const folder = path.join(temp.folder, `archive-${++archives}`);
        const container = phaseContainer(folder, phases);
        container.bind(JobEngineChoice).toConstantValue({ engine: 'bullmq', redisUrl: redis.url });
        containers.push(container);
        return { folder, container };
    }

    const stored = (folder: string, phase: string) => value<number>(folder, "SELECT count(*) FROM sqlite_master WHERE name = 'test_phase_results'")
        ? value<number>(folder, 'SELECT count(*) FROM test_phase_results WHERE phase = ?', phase) : 0;
    const storedTwice = (folder: string) =>
        value<number>(folder, 'SELECT count(*) FROM (SELECT 1 FROM test_phase_results GROUP BY phase, asset_id HAVING count(*) > 1)');
    const doneStates = (folder: string, phase: string) =>
        value<number>(folder, "SELECT count(*) FROM phase_states WHERE phase = ? AND state = 'done'", phase);

    it('binds the engine the setting names, and refuses an unknown one clearly', async () => {
        expect(chooseJobEngine({})).toEqual({ engine: 'embedded', redisUrl: 'redis://127.0.0.1:6379' });
        expect(chooseJobEngine({ IMAGEPARSER_QUEUE_ENGINE: 'bullmq', IMAGEPARSER_REDIS_URL: 'redis://10.0.0.5:6380' }))
            .toEqual({ engine: 'bullmq', redisUrl: 'redis://10.0.0.5:6380' });
        const preferences = { get: <T>(name: string) => ({ 'imageparser.jobs.engine': 'bullmq', 'imageparser.jobs.redisUrl': 'redis://studio:6379' } as Record<string, unknown>)[name] as T };
        expect(chooseJobEngine({}, preferences)).toEqual({ engine: 'bullmq', redisUrl: 'redis://studio:6379' });
        expect(chooseJobEngine({ IMAGEPARSER_QUEUE_ENGINE: 'embedded' }, preferences).engine).toBe('embedded');
        expect(() => chooseJobEngine({ IMAGEPARSER_QUEUE_ENGINE: 'kafka' })).toThrow(/Unknown job engine 'kafka' \(IMAGEPARSER_QUEUE_ENGINE\)/);
        expect(() => chooseJobEngine({ IMAGEPARSER_REDIS_URL: 'http://x' })).toThrow(/redis:\/\//);

        const { container } = bullmqArchive();
        expect(await container.get(SelectedJobQueue).engine()).toBe(container.get(BullmqJobQueue));
        expect(container.get(PhaseCommitter)).toBe(container.get(SelectedJobQueue).committer);
        const embedded = phaseContainer(path.join(temp.folder, 'embedded'), []);
        containers.push(embedded);
        expect(await embedded.get(SelectedJobQueue).engine()).toBe(embedded.get(EmbeddedJobQueue));
    });

    it('waits for the user\'s preferences before it chooses, keeping what transactions queue meanwhile in the outbox', async () => {
        const folder = path.join(temp.folder, `archive-${++archives}`);
        const container = phaseContainer(folder, []);
        containers.push(container);
        let read!: () => void;
        const preferences = {
            isReady: false,
            ready: new Promise<void>(resolve => read = resolve),
            get: <T>(name: string) => (preferences.isReady ? { 'imageparser.jobs.engine': 'bullmq', 'imageparser.jobs.redisUrl': redis.url }[name] : undefined) as T
        };
        container.bind(PreferenceService).toConstantValue(preferences as unknown as PreferenceService);
        const selected = container.get(SelectedJobQueue);
        const { database } = await container.get<ArchiveStore>(ArchiveStore).open();
        const assetId = Number(database.write(db => db.prepare("INSERT INTO assets (content_hash, kind, registered_at) VALUES ('content-x', 'png', '2026-01-01T00:00:00.000Z')")
            .run().lastInsertRowid));
        database.write(db => selected.enqueueIn(db, [{ assetId, phase: 'words', model: 'model-1', contentHash: 'content-x' }]));
        const counting = selected.counts('words');
        preferences.isReady = true;
        read();
        // The user's preference said bullmq: the job waited in the outbox and went to Redis.
        expect(await selected.engine()).toBe(container.get(BullmqJobQueue));
        await expect.poll(async () => (await selected.counts('words')).queued).toBe(1);
        expect(await counting).toMatchObject({ leased: 0, done: 0 });
        expect(database.write(db => db.prepare('SELECT count(*) FROM phase_jobs').pluck().get())).toBe(0);
    });

    it('queues through the archive outbox only what a transaction committed', async () => {
        const { container } = bullmqArchive();
        const queue = container.get(BullmqJobQueue);
        const { database } = await container.get<ArchiveStore>(ArchiveStore).open();
        const assets = database.write(db => {
            const insert = db.prepare("INSERT INTO assets (content_hash, kind, registered_at) VALUES (?, 'png', '2026-01-01T00:00:00.000Z')");
            return [1, 2].map(i => Number(insert.run(`content-${i}`).lastInsertRowid));
        });
        const request = (assetId: number) => ({ assetId, phase: 'words', model: 'model-1', contentHash: `content-${assetId}` });
        expect(() => database.write(db => {
            queue.enqueueIn(db, [request(assets[0])]);
            throw new Error('disk full');
        })).toThrow('disk full');
        database.write(db => queue.enqueueIn(db, [request(assets[1])]));
        await queue.flush();
        expect(await queue.counts('words')).toEqual({ queued: 1, leased: 0, done: 0, failed: 0 });
        const [claimed] = await queue.claim(['words'], 5, 'worker-a');
        expect(claimed.assetId).toBe(assets[1]);
        expect(database.write(db => db.prepare('SELECT count(*) FROM job_outbox').pluck().get())).toBe(0);
    });

    it('commits a completion to the archive before Redis: when the archive refuses it, the job stays leased to its holder', async () => {
        const words = new RecordingPhase('words');
        let broken = true;
        const store = words.store.bind(words);
        words.store = (db, job, result) => {
            store(db, job, result);
            if (broken) {
                throw new Error('disk full');
            }
        };
        const { folder, container } = bullmqArchive(words);
        const queue = container.get(BullmqJobQueue);
        const { database } = await container.get<ArchiveStore>(ArchiveStore).open();
        const assetId = Number(database.write(db => db.prepare("INSERT INTO assets (content_hash, kind, registered_at) VALUES ('content-y', 'png', '2026-01-01T00:00:00.000Z')")
            .run().lastInsertRowid));
        database.write(db => db.prepare("INSERT INTO phase_states (asset_id, phase, model, state, content_hash, updated_at) VALUES (?, 'parse', '', 'done', 'content-y', 'now')").run(assetId));
        await queue.enqueue([{ assetId, phase: 'words', model: 'model-1', contentHash: 'content-y' }]);
        const [claimed] = await queue.claim(['words'], 1, 'worker-a');
        await expect(queue.complete(claimed.leaseToken, { kind: 'done', result: { text: '한글' } })).rejects.toThrow('disk full');
        expect([stored(folder, 'words'), doneStates(folder, 'words')]).toEqual([0, 0]);
        expect(await queue.counts('words')).toEqual({ queued: 0, leased: 1, done: 0, failed: 0 });
        broken = false;
        expect(await queue.complete(claimed.leaseToken, { kind: 'done', result: { text: '한글' } })).toBe('done');
        expect([stored(folder, 'words'), doneStates(folder, 'words')]).toEqual([1, 1]);
        expect(await queue.counts('words')).toEqual({ queued: 0, leased: 0, done: 1, failed: 0 });
        expect(value<string>(folder, "SELECT result FROM test_phase_results WHERE phase = 'words'")).toBe(JSON.stringify({ text: '한글' }));
    });

    it('works every asset through parse and two phases, each job committed to the archive exactly once', async () => {
        const words = new RecordingPhase('words');
        const summary = new RecordingPhase('summary', ['words']);
        const { folder, container } = bullmqArchive(words, summary);
        await ingest(container, art);
        pipelineOf(container).start();
        await expect.poll(() => doneStates(folder, 'summary'), { timeout: 30_000 }).toBe(IMAGES);
        expect(doneStates(folder, 'words')).toBe(IMAGES);
        expect([stored(folder, 'words'), stored(folder, 'summary'), storedTwice(folder)]).toEqual([IMAGES, IMAGES, 0]);
        // The jobs lived in Redis: none in the archive's own queue, none left in its outbox.
        expect(value<number>(folder, 'SELECT count(*) FROM phase_jobs')).toBe(0);
        expect(value<number>(folder, 'SELECT count(*) FROM job_outbox')).toBe(0);
        expect(await queueOf(container).counts('summary')).toEqual({ queued: 0, leased: 0, done: IMAGES, failed: 0 });
        console.log(`BullMQ pipeline: ${IMAGES} assets, words run ${words.executions.length} times, summary ${summary.executions.length} times`);
    });

    /** Runs `words` on every image and, while its fifth job is held mid-batch, does `lose` to Redis; answers what the run printed. */
    async function loseRedisMidRun(what: string, lose: () => Promise<void>): Promise<void> {
        const words = new RecordingPhase('words', ['parse'], 'model-1', 2);
        let reachLoss!: () => void;
        let releaseAfterLoss!: () => void;
        const atLoss = new Promise<void>(resolve => reachLoss = resolve);
        const lost = new Promise<void>(resolve => releaseAfterLoss = resolve);
        words.behaviour = async job => {
            if (words.executions.length === 5) {
                // Mid-run: this job (and its batch) is held by the worker when Redis loses everything.
                reachLoss();
                await lost;
            }
            return { kind: 'done', result: { text: job.contentHash.slice(0, 8) } };
        };
        const { folder, container } = bullmqArchive(words);
        await ingest(container, art);
        pipelineOf(container).start();
        await atLoss;
        await lose();
        const doneAtLoss = stored(folder, 'words');
        releaseAfterLoss();
        // Nobody sweeps by hand: the engine notices Redis forgot its jobs and the pipeline queues what the archive misses again.
        await expect.poll(() => doneStates(folder, 'words'), { timeout: 30_000 }).toBe(IMAGES);
        expect([stored(folder, 'words'), storedTwice(folder)]).toEqual([IMAGES, 0]);
        expect(value<number>(folder, 'SELECT count(*) FROM job_outbox')).toBe(0);
        console.log(`${what} with ${doneAtLoss} of ${IMAGES} assets done and a batch in flight: ` +
            `${words.executions.length - IMAGES} runs redone, every asset stored exactly once`);
        // The batch in flight was refused (its leases were gone) and done again.
        expect(words.executions.length).toBeGreaterThan(IMAGES);
    }

    it('loses only time when Redis is flushed mid-run: the archive\'s missing work is queued again and every asset is done exactly once', async () => {
        await loseRedisMidRun('Redis flushed', () => redis.flushAll());
    });

    it('loses only time when Redis is killed and restarted empty mid-run: the connections come back and every asset is done exactly once', async () => {
        await loseRedisMidRun('Redis killed with SIGKILL and restarted', () => redis.restart());
    });
});
