import * as fs from 'fs';
import * as path from 'path';
import { ArchiveIngester } from '../../extensions/archive-core/src/node/ingest/archive-ingester';
import { Container } from '@theia/core/shared/inversify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { writeNoisePngs } from '../ingest/generated-images';
import { failure, RecordingPhase } from './recording-phase';
import { disposeArchiveTestContainer, ingest, phaseContainer, pipelineOf, queueOf, rows, value } from './phase-test-archive';

const IMAGES = 6;

/**
 * The phase pipeline on a real archive: the ingest commit queues the next
 * phases, the workers claim, process and commit each job once, results are
 * reused, a model change queues only its phase, pause lives in the store,
 * failures keep their codes, retry and re-run queue again, and a lost lease
 * drops the work.
 */
describe('the phase pipeline', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let art: string;
    let containers: Container[] = [];
    let archiveCount = 0;

    beforeAll(async () => {
        temp = makeTempFolder();
        art = path.join(temp.folder, 'art');
        await writeNoisePngs(art, IMAGES, 48, 11);
        fs.writeFileSync(path.join(art, 'broken.png'), Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(64, 7)]));
    }, 60_000);
    afterEach(async () => {
        for (const container of containers) {
            await disposeArchiveTestContainer(container);
        }
        containers = [];
    });
    afterAll(() => temp.remove());

    async function indexedArchive(...phases: RecordingPhase[]): Promise<{ folder: string; container: Container }> {
        const folder = path.join(temp.folder, `archive-${++archiveCount}`);
        const container = phaseContainer(folder, phases);
        containers.push(container);
        await ingest(container, art);
        return { folder, container };
    }

    const doneCount = (folder: string, phase: string, model = 'model-1') =>
        value<number>(folder, "SELECT count(*) FROM phase_states WHERE phase = ? AND model = ? AND state = 'done'", phase, model);

    it('queues the next phase with the parsed asset, in the ingest commit, and works each job exactly once', async () => {
        const phase = new RecordingPhase('words');
        const { folder, container } = await indexedArchive(phase);
        // The pipeline has not started (no sweep ran): the jobs came with the assets.
        expect(rows(folder, "SELECT phase, model, state FROM phase_jobs ORDER BY asset_id"))
            .toEqual(Array.from({ length: IMAGES }, () => ({ phase: 'words', model: 'model-1', state: 'queued' })));
        expect(value<number>(folder, "SELECT count(*) FROM phase_states WHERE phase = 'parse' AND state = 'done'")).toBe(IMAGES);

        pipelineOf(container).start();
        await expect.poll(() => doneCount(folder, 'words')).toBe(IMAGES);
        expect(phase.executions.length).toBe(IMAGES);
        expect(new Set(phase.executions.map(job => job.assetId)).size).toBe(IMAGES);
        expect(value<number>(folder, "SELECT count(*) FROM test_phase_results")).toBe(IMAGES);
        expect(value<number>(folder, "SELECT count(DISTINCT asset_id) FROM test_phase_results")).toBe(IMAGES);
        expect(value<number>(folder, "SELECT count(*) FROM phase_results WHERE phase = 'words' AND model = 'model-1'")).toBe(IMAGES);
        const words = (await pipelineOf(container).progress()).find(each => each.phase === 'words')!;
        expect(words).toMatchObject({ done: IMAGES, queued: 0, leased: 0, failed: 0, fraction: 1, modelState: 'loaded', enabled: true, paused: false });
        expect(words.rate).toBeGreaterThan(0);
    });

    it('completes a job from the stored result of the same content, model and config version without running the processor', async () => {
        const phase = new RecordingPhase('words');
        const { folder, container } = await indexedArchive(phase);
        pipelineOf(container).start();
        await expect.poll(() => doneCount(folder, 'words')).toBe(IMAGES);
        // The states go (as when the assets are indexed anew); the results stay.
        await container.get<import('../../extensions/archive-core/src/node/store/archive-store').ArchiveStore>(
            (await import('../../extensions/archive-core/src/node/store/archive-store')).ArchiveStore).open()
            .then(({ database }) => database.write(db => db.prepare("DELETE FROM phase_states WHERE phase = 'words'").run()));
        expect(await pipelineOf(container).sweep()).toBe(IMAGES);
        await expect.poll(() => doneCount(folder, 'words')).toBe(IMAGES);
        expect(phase.executions.length).toBe(IMAGES);
    });

    it('queues again what the store says is missing after the next ingest run, so a lost queue costs time, never a result', async () => {
        const phase = new RecordingPhase('words');
        const { folder, container } = await indexedArchive(phase);
        const pipeline = pipelineOf(container);
        await pipeline.pause('words');
        pipeline.start();
        await pipeline.sweep();
        expect(value<number>(folder, "SELECT count(*) FROM phase_jobs WHERE state = 'queued'")).toBe(IMAGES);
        await container.get<import('../../extensions/archive-core/src/node/store/archive-store').ArchiveStore>(
            (await import('../../extensions/archive-core/src/node/store/archive-store')).ArchiveStore).open()
            .then(({ database }) => database.write(db => db.prepare('DELETE FROM phase_jobs').run()));
        const more = path.join(temp.folder, `more-${archiveCount}`);
        await writeNoisePngs(more, 1, 48, 99);
        await ingest(container, more);
        await expect.poll(() => value<number>(folder, "SELECT count(*) FROM phase_jobs WHERE state = 'queued'")).toBe(IMAGES + 1);
        await pipeline.resume('words');
        await expect.poll(() => doneCount(folder, 'words')).toBe(IMAGES + 1);
        expect(phase.executions).toHaveLength(IMAGES + 1);
    });

    it('queues only the phase whose model changed, for the new model, and keeps the old model\'s states', async () => {
        const words = new RecordingPhase('words');
        const colours = new RecordingPhase('colours');
        const { folder, container } = await indexedArchive(words, colours);
        pipelineOf(container).start();
        await expect.poll(() => doneCount(folder, 'words') + doneCount(folder, 'colours')).toBe(2 * IMAGES);
        await pipelineOf(container).stop();

        words.modelId = 'model-2';
        expect(await pipelineOf(container).sweep()).toBe(IMAGES);
        expect(rows(folder, "SELECT phase, model, count(*) AS n FROM phase_jobs WHERE state = 'queued' GROUP BY phase, model"))
            .toEqual([{ phase: 'words', model: 'model-2', n: IMAGES }]);
        pipelineOf(container).start();
        await expect.poll(() => doneCount(folder, 'words', 'model-2')).toBe(IMAGES);
        expect(doneCount(folder, 'words', 'model-1')).toBe(IMAGES);
        expect(colours.executions.length).toBe(IMAGES);
        expect(words.executions.length).toBe(2 * IMAGES);
    });

    it('queues the phase for its new model when the model changes while the pipeline runs', async () => {
        const words = new RecordingPhase('words');
        const { folder, container } = await indexedArchive(words);
        pipelineOf(container).start();
        await expect.poll(() => doneCount(folder, 'words')).toBe(IMAGES);
        words.modelId = 'model-2';
        await expect.poll(() => doneCount(folder, 'words', 'model-2')).toBe(IMAGES);
        expect(words.executions.filter(job => job.model === 'model-2')).toHaveLength(IMAGES);
    });

    it('keeps a pause in the store: another process on the archive claims nothing until the phase is resumed', async () => {
        const here = new RecordingPhase('words');
        const { folder, container } = await indexedArchive(here);
        await pipelineOf(container).pause('words');
        const there = new RecordingPhase('words');
        const other = phaseContainer(folder, [there]);
        containers.push(other);
        pipelineOf(other).start();
        await pipelineOf(other).sweep();
        // Many idle turns of the other process's worker (50 ms each) pass: it claims nothing.
        await new Promise(resolve => setTimeout(resolve, 1000));
        expect(there.executions.length).toBe(0);
        expect(value<number>(folder, "SELECT count(*) FROM phase_jobs WHERE state = 'queued'")).toBe(IMAGES);
        expect((await pipelineOf(other).progress()).find(each => each.phase === 'words')).toMatchObject({ paused: true, queued: IMAGES, fraction: 0 });

        await pipelineOf(container).resume('words');
        await expect.poll(() => doneCount(folder, 'words')).toBe(IMAGES);
        expect(there.executions.length).toBe(IMAGES);
    });

    it('gives the jobs in flight back when the phase is paused, without spending an attempt, and works them once resumed', async () => {
        const phase = new RecordingPhase('words', ['parse'], 'model-1', 2);
        let interrupted = 0;
        let pausedOnce = false;
        phase.behaviour = async (job, signal) => {
            if (!pausedOnce) {
                await new Promise<void>(resolve => signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve()));
                interrupted++;
                return failure('interrupted', true);
            }
            return { kind: 'done', result: job.contentHash };
        };
        const { folder, container } = await indexedArchive(phase);
        const pipeline = pipelineOf(container);
        pipeline.start();
        await expect.poll(() => value<number>(folder, "SELECT count(*) FROM phase_jobs WHERE state = 'leased'")).toBe(2);
        await pipeline.pause('words');
        await expect.poll(() => rows(folder, 'SELECT state, attempts, count(*) AS n FROM phase_jobs GROUP BY state, attempts'))
            .toEqual([{ state: 'queued', attempts: 0, n: IMAGES }]);
        expect(interrupted).toBeGreaterThanOrEqual(1);
        pausedOnce = true;
        await pipeline.resume('words');
        await expect.poll(() => doneCount(folder, 'words')).toBe(IMAGES);
        expect(await pipeline.failures('words', 10)).toEqual([]);
    });

    it('records failures with their codes, lists them, and queues them again on retry', async () => {
        const phase = new RecordingPhase('words');
        phase.behaviour = () => failure('decode-failed', false);
        const { folder, container } = await indexedArchive(phase);
        const pipeline = pipelineOf(container);
        pipeline.start();
        await expect.poll(() => value<number>(folder, "SELECT count(*) FROM phase_states WHERE phase = 'words' AND state = 'failed'")).toBe(IMAGES);
        const failures = await pipeline.failures('words', 100);
        expect(failures).toHaveLength(IMAGES);
        expect(failures.every(each => each.code === 'decode-failed' && each.attempts === 1 && each.location?.relativePath.endsWith('.png'))).toBe(true);
        expect((await pipeline.progress()).find(each => each.phase === 'words')).toMatchObject({ failed: IMAGES, done: 0, fraction: 0 });

        phase.behaviour = job => ({ kind: 'done', result: job.contentHash });
        expect(await pipeline.retryFailed('words')).toBe(IMAGES);
        await expect.poll(() => doneCount(folder, 'words')).toBe(IMAGES);
        expect(await pipeline.failures('words', 100)).toEqual([]);
    });

    it('fails a job whose result cannot be stored with the reason, keeps working the others, and stores it on the retry', async () => {
        const phase = new RecordingPhase('words');
        let refusals = 0;
        const store = phase.store.bind(phase);
        phase.store = (db, job, result) => {
            if (refusals === 0) {
                refusals++;
                throw new Error('the disk said no');
            }
            store(db, job, result);
        };
        const { folder, container } = await indexedArchive(phase);
        pipelineOf(container).start();
        await expect.poll(() => doneCount(folder, 'words')).toBe(IMAGES - 1);
        expect(rows(folder, "SELECT state, attempts, error_code FROM phase_jobs WHERE state != 'done'"))
            .toEqual([{ state: 'queued', attempts: 1, error_code: 'store-failed' }]);
        // The retry comes after the queue's backoff (5 s).
        await expect.poll(() => doneCount(folder, 'words'), { timeout: 20_000 }).toBe(IMAGES);
        expect(value<number>(folder, 'SELECT count(*) FROM test_phase_results')).toBe(IMAGES);
    });

    it('shows parse failures as phase failures with the ingest codes', async () => {
        const { container } = await indexedArchive();
        const failures = await pipelineOf(container).failures('parse', 10);
        expect(failures).toHaveLength(1);
        expect(failures[0]).toMatchObject({ phase: 'parse', assetId: 0, location: { root: path.basename(art), relativePath: 'broken.png' } });
        expect(['corrupt', 'truncated']).toContain(failures[0].code);
        expect(failures[0].fileId).toBeGreaterThan(0);
        expect((await pipelineOf(container).progress()).find(each => each.phase === 'parse')).toMatchObject({ done: IMAGES, failed: 1, queued: 0 });
    });

    it('holds indexing while parse is paused, and indexes everything once it is resumed', async () => {
        const folder = path.join(temp.folder, `archive-${++archiveCount}`);
        const container = phaseContainer(folder, []);
        containers.push(container);
        await pipelineOf(container).pause('parse');
        const ingester = container.get<ArchiveIngester>(ArchiveIngester);
        const runId = await ingester.start(art);
        // The run discovers its files, then claims none while parse is paused (many claim turns pass).
        await expect.poll(async () => (await ingester.progress(runId))?.state).toBe('running');
        await new Promise(resolve => setTimeout(resolve, 1500));
        expect(await ingester.progress(runId)).toMatchObject({ state: 'running', indexed: 0, failed: 0, total: IMAGES + 1 });
        expect((await pipelineOf(container).progress()).find(each => each.phase === 'parse')).toMatchObject({ paused: true, done: 0, queued: IMAGES + 1 });

        await pipelineOf(container).resume('parse');
        expect(await ingester.finished(runId)).toMatchObject({ state: 'done', indexed: IMAGES, failed: 1 });
    });

    it('re-runs a phase on chosen assets: their results are computed again', async () => {
        const phase = new RecordingPhase('words');
        const { folder, container } = await indexedArchive(phase);
        pipelineOf(container).start();
        await expect.poll(() => doneCount(folder, 'words')).toBe(IMAGES);
        const chosen = rows<{ id: number }>(folder, 'SELECT id FROM assets ORDER BY id LIMIT 2').map(row => row.id);
        expect(await pipelineOf(container).rerun('words', chosen)).toBe(2);
        await expect.poll(() => phase.executions.length).toBe(IMAGES + 2);
        await expect.poll(() => doneCount(folder, 'words')).toBe(IMAGES);
        expect(phase.executions.slice(IMAGES).map(job => job.assetId).sort()).toEqual(chosen.sort());
    });

    it('aborts a job whose lease another worker took over and drops its output', async () => {
        const phase = new RecordingPhase('words', ['parse'], 'model-1', 1);
        let aborted = 0;
        const { folder, container } = await indexedArchive(phase);
        const queue = queueOf(container);
        let taken: { token: string; assetId: number } | undefined;
        phase.behaviour = async (job, signal) => {
            if (!taken) {
                // The lease runs out under this worker (as when its process stalls) and another worker claims the job.
                await container.get<import('../../extensions/archive-core/src/node/store/archive-store').ArchiveStore>(
                    (await import('../../extensions/archive-core/src/node/store/archive-store')).ArchiveStore).open()
                    .then(({ database }) => database.write(db => db.prepare('UPDATE phase_jobs SET lease_expires_at = 0 WHERE id = ?').run(job.jobId)));
                await queue.reap();
                const [claimed] = await queue.claim(['words'], 1, 'another-worker');
                expect(claimed.jobId).toBe(job.jobId);
                taken = { token: claimed.leaseToken, assetId: job.assetId };
                await new Promise<void>(resolve => signal.addEventListener('abort', () => resolve()));
                aborted++;
            }
            return { kind: 'done', result: 'from the worker that lost its lease' };
        };
        pipelineOf(container).start();
        await expect.poll(() => taken !== undefined && aborted === 1).toBe(true);
        expect(await queue.complete(taken!.token, { kind: 'done', result: 'from the worker that holds the lease' })).toBe('done');
        await expect.poll(() => doneCount(folder, 'words')).toBe(IMAGES);
        expect(rows(folder, 'SELECT result FROM test_phase_results WHERE asset_id = ?', taken!.assetId))
            .toEqual([{ result: JSON.stringify('from the worker that holds the lease') }]);
        expect(value<number>(folder, 'SELECT count(*) FROM test_phase_results')).toBe(IMAGES);
    });
});
