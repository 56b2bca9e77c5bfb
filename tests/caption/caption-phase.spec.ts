import * as path from 'path';
import { Container } from '@theia/core/shared/inversify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PhaseProgress } from '../../extensions/archive-core/src/common/job-protocol';
import { SearchService } from '../../extensions/archive-core/src/common/search-protocol';
import { AiModels } from '../../extensions/archive-core/src/node/inference/ai-models';
import type { CaptionSettings } from '../../extensions/archive-core/src/node/inference/ai-settings';
import { OpenAiTestServer } from '../../extensions/archive-core/src/node/test/openai-test-server';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { disposeArchiveTestContainer, ingest, pipelineOf, rows, value } from '../phases/phase-test-archive';
import { CaptionArchiveOptions, captionContainer, IMAGE_COLOURS, writeColourImages } from './caption-test-archive';

const IMAGES = IMAGE_COLOURS.length;

/**
 * The caption phase end to end: a real local OpenAI-compatible endpoint,
 * a real archive (SQLite file, ingest of generated images, the embedded
 * queue and the pipeline), and what the store and search hold after each
 * way the endpoint can answer. Nothing is lost and nothing is half-written.
 */
describe('the caption phase against an OpenAI-compatible endpoint', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let art: string;
    let archives = 0;
    let containers: Container[] = [];
    let servers: OpenAiTestServer[] = [];

    beforeAll(async () => {
        temp = makeTempFolder();
        art = path.join(temp.folder, 'art');
        await writeColourImages(art);
    }, 60_000);
    afterEach(async () => {
        for (const container of containers.splice(0)) {
            await disposeArchiveTestContainer(container);
        }
        for (const server of servers.splice(0)) {
            await server.stop();
        }
    });
    afterAll(() => temp.remove());

    async function setUp(captionOverrides: Partial<CaptionSettings> = {}, options: CaptionArchiveOptions = {}) {
        const server = await new OpenAiTestServer().start();
        servers.push(server);
        const folder = path.join(temp.folder, `archive-${++archives}`);
        const { container, settings } = captionContainer(folder, {
            provider: 'openai-compatible', endpoint: server.endpoint, model: 'test-vlm', language: 'both', timeoutMs: 5_000, concurrency: 2, ...captionOverrides
        }, options);
        containers.push(container);
        // The app's AI models check the endpoint before the captioner serves (over HTTP, as in the app).
        await container.get<AiModels>(AiModels).refresh();
        await ingest(container, art);
        return { server, folder, container, settings, pipeline: pipelineOf(container) };
    }

    const stateCounts = (folder: string) => Object.fromEntries(rows<{ state: string; n: number }>(folder,
        "SELECT state, count(*) AS n FROM phase_states WHERE phase = 'caption' GROUP BY state").map(row => [row.state, row.n]));
    const doneCount = (folder: string) => value<number>(folder, "SELECT count(*) FROM phase_states WHERE phase = 'caption' AND state = 'done'");
    const captionRows = (folder: string) => rows<{ path: string; language: string; text: string; model: string }>(folder,
        'SELECT f.path, c.language, c.text, c.model FROM asset_captions c JOIN files f ON f.asset_id = c.asset_id ORDER BY f.path, c.language')
        .map(({ path: file, ...row }) => ({ name: path.basename(file), ...row }));
    const aiTags = (folder: string, file: string) => rows<{ name: string; confidence: number | null }>(folder,
        `SELECT t.name, a.confidence FROM asset_tags a JOIN tags t ON t.id = a.tag_id JOIN files f ON f.asset_id = a.asset_id
         WHERE a.source = 'ai' AND f.path LIKE ? ORDER BY a.confidence IS NULL, a.confidence DESC, t.name`, `%${file}`);
    const captionProgress = async (container: Container): Promise<PhaseProgress> =>
        (await pipelineOf(container).progress()).find(each => each.phase === 'caption')!;
    const searchNames = async (container: Container, text: string) =>
        (await container.get<SearchService>(SearchService).search({ text, limit: 10 })).hits.map(hit => hit.name);

    it('good answers: every image gets its captions in English and Korean and its AI tags, stored and found by search words', async () => {
        const { server, folder, container, pipeline } = await setUp();
        server.delayMs = 100;
        pipeline.start();
        await expect.poll(() => doneCount(folder)).toBe(IMAGES);
        // The concurrency setting (2) bounds the requests in flight, however many lanes claim ahead.
        expect(server.peakConcurrency).toBeLessThanOrEqual(2);
        expect(captionRows(folder)).toEqual(IMAGE_COLOURS.flatMap(colour => [
            { name: `${colour.name}.png`, language: 'en', text: `A flat ${colour.name} square image`, model: expect.stringMatching(/^openai-compatible:127\.0\.0\.1:\d+\/test-vlm$/) },
            { name: `${colour.name}.png`, language: 'ko', text: `${colour.ko}색 사각형 이미지`, model: expect.any(String) }
        ]).sort((a, b) => a.name.localeCompare(b.name)));
        expect(aiTags(folder, 'red.png')).toEqual([{ name: 'red', confidence: 0.95 }, { name: '빨강', confidence: 0.9 }, { name: 'square', confidence: 0.7 }]);
        expect(await searchNames(container, 'red')).toEqual(['red.png']);
        expect(await searchNames(container, '빨강')).toEqual(['red.png']);
        expect(await searchNames(container, 'flat blue')).toEqual(['blue.png']);
        expect(server.requests).toBe(IMAGES);
        expect(server.recorded.every(request => request.model === 'test-vlm')).toBe(true);
        const progress = await captionProgress(container);
        expect(progress).toMatchObject({ done: IMAGES, queued: 0, failed: 0, fraction: 1, enabled: true, provider: { state: 'ready' } });
        expect(progress.model).toMatch(/^openai-compatible:/);
    });

    it('fields under other names (the ORIGINS failure): mapped, normalized and stored end to end, and found by search', async () => {
        const { server, folder, container, pipeline } = await setUp();
        server.mode = 'renamed';
        pipeline.start();
        await expect.poll(() => doneCount(folder)).toBe(IMAGES);
        expect(captionRows(folder).filter(row => row.name === 'blue.png').map(row => [row.language, row.text]))
            .toEqual([['en', 'A flat blue square image'], ['ko', '파랑색 사각형 이미지']]);
        expect(aiTags(folder, 'blue.png')).toEqual([{ name: 'blue', confidence: 0.93 }, { name: '파랑', confidence: 0.88 }, { name: 'flat colour', confidence: null }, { name: 'square', confidence: null }]);
        expect(await searchNames(container, '파랑')).toEqual(['blue.png']);
        expect(await searchNames(container, 'flat colour')).toHaveLength(IMAGES);
    });

    it('slow answers: abandoned at the timeout, retried, and done once the server is fast again', async () => {
        const { server, folder, pipeline } = await setUp({ timeoutMs: 300 }, { captioner: { retries: 2 } });
        server.slowMs = 2_000;
        server.failNext(3, 'slow');
        pipeline.start();
        await expect.poll(() => doneCount(folder)).toBe(IMAGES);
        expect(server.requests).toBeGreaterThanOrEqual(IMAGES + 3);
        expect(stateCounts(folder)).toEqual({ done: IMAGES });
        expect(captionRows(folder)).toHaveLength(2 * IMAGES);
    });

    it('answers always past the timeout: failed with `timeout` after the retry cap, nothing stored; a retry once it is fast captions them', async () => {
        const { server, folder, container, pipeline } = await setUp({ timeoutMs: 200 },
            { captioner: { retries: 0, breaker: { failureThreshold: 1000 } }, queue: { maxAttempts: 2 } });
        server.slowMs = 1_000;
        server.mode = 'slow';
        pipeline.start();
        await expect.poll(() => stateCounts(folder), { timeout: 20_000 }).toEqual({ failed: IMAGES });
        const failures = await pipeline.failures('caption', 10);
        expect(failures.map(failure => [failure.code, failure.attempts])).toEqual(Array.from({ length: IMAGES }, () => ['timeout', 2]));
        expect(failures[0].message).toMatch(/did not answer within 0\.2 s/);
        expect(captionRows(folder)).toEqual([]);
        expect(await captionProgress(container)).toMatchObject({ failed: IMAGES, done: 0, provider: { state: 'ready' } });

        server.mode = 'good';
        expect(await pipeline.retryFailed('caption')).toBe(IMAGES);
        await expect.poll(() => doneCount(folder)).toBe(IMAGES);
        expect(captionRows(folder)).toHaveLength(2 * IMAGES);
    });

    it('HTTP 500: retried (within the request and by the queue) until the server answers, every image done', async () => {
        const { server, folder, pipeline } = await setUp({}, { captioner: { retries: 1, breaker: { failureThreshold: 1000 } }, queue: { maxAttempts: 5 } });
        // Two tries of each image fail at first: each job's first attempt fails, the queue's retry succeeds.
        server.failNext(2 * IMAGES, 'error500');
        pipeline.start();
        await expect.poll(() => doneCount(folder)).toBe(IMAGES);
        expect(server.requests).toBe(3 * IMAGES);
        expect(stateCounts(folder)).toEqual({ done: IMAGES });
        expect(await pipeline.failures('caption', 10)).toEqual([]);
        expect(captionRows(folder)).toHaveLength(2 * IMAGES);
    });

    it('malformed answers: retried, then failed with `malformed-answer`, nothing half-written (not even the tags of an answer without a caption)', async () => {
        const { server, folder, container, pipeline } = await setUp({}, { captioner: { retries: 1 }, queue: { maxAttempts: 2 } });
        server.mode = 'malformed';
        server.failNext(IMAGES, 'no-caption');
        pipeline.start();
        await expect.poll(() => stateCounts(folder)).toEqual({ failed: IMAGES });
        expect(server.requests).toBe(2 * 2 * IMAGES);
        expect((await pipeline.failures('caption', 10)).map(failure => failure.code)).toEqual(Array.from({ length: IMAGES }, () => 'malformed-answer'));
        expect(captionRows(folder)).toEqual([]);
        expect(value<number>(folder, "SELECT count(*) FROM asset_tags WHERE source = 'ai'")).toBe(0);
        expect(await searchNames(container, 'square')).toEqual([]);
        expect((await captionProgress(container)).provider).toEqual({ state: 'ready' });

        server.mode = 'good';
        await pipeline.retryFailed('caption');
        await expect.poll(() => doneCount(folder)).toBe(IMAGES);
        expect(await searchNames(container, 'square')).toHaveLength(IMAGES);
    });

    it('a request the endpoint turns down (HTTP 404, a model it does not have): failed at once with `http-error` and its words, not retried', async () => {
        const { server, folder, pipeline } = await setUp({}, { captioner: { retries: 2 }, queue: { maxAttempts: 5 } });
        server.mode = 'error404';
        pipeline.start();
        await expect.poll(() => stateCounts(folder)).toEqual({ failed: IMAGES });
        expect(server.requests).toBe(IMAGES);
        const failures = await pipeline.failures('caption', 10);
        expect(failures.map(failure => [failure.code, failure.attempts])).toEqual(Array.from({ length: IMAGES }, () => ['http-error', 1]));
        expect(failures[0].message).toContain('model "test-vlm" not found');
        expect(captionRows(folder)).toEqual([]);
    });

    it('endpoint down: the phase shows down, jobs stay queued with no attempt spent and none failed; when it comes back every job finishes', async () => {
        const { server, folder, container, pipeline } = await setUp({}, {
            captioner: { retries: 0, breaker: { failureThreshold: 2, cooldownMs: 100, maxCooldownMs: 400 } }
        });
        await server.down();
        pipeline.start();
        await expect.poll(async () => (await captionProgress(container)).provider?.state).toBe('down');
        const progress = await captionProgress(container);
        expect(progress.provider).toMatchObject({ state: 'down', code: 'endpoint-down', message: expect.stringContaining(server.endpoint) });
        expect(progress.provider!.retryAt).toBeGreaterThan(0);
        // Several probes go (one each cooldown) and fail while it stays down; between them every job is queued, none with an attempt spent.
        await new Promise(resolve => setTimeout(resolve, 1_000));
        expect(value<number>(folder, "SELECT count(*) FROM phase_jobs WHERE phase = 'caption' AND state IN ('failed', 'done')")).toBe(0);
        await expect.poll(() => rows(folder, "SELECT state, attempts, count(*) AS n FROM phase_jobs WHERE phase = 'caption' GROUP BY state, attempts"))
            .toEqual([{ state: 'queued', attempts: 0, n: IMAGES }]);
        expect(stateCounts(folder)).toEqual({});
        expect(await captionProgress(container)).toMatchObject({ queued: IMAGES, failed: 0, done: 0 });

        await server.up();
        await expect.poll(() => doneCount(folder)).toBe(IMAGES);
        expect(stateCounts(folder)).toEqual({ done: IMAGES });
        expect(captionRows(folder)).toHaveLength(2 * IMAGES);
        expect((await captionProgress(container)).provider).toEqual({ state: 'ready' });
    });

    it('an endpoint that goes down in the middle of a run: the jobs left wait and finish when it is back, none lost', async () => {
        const { server, folder, pipeline } = await setUp({ concurrency: 1 }, {
            captioner: { retries: 0, breaker: { failureThreshold: 2, cooldownMs: 100, maxCooldownMs: 300 } }
        });
        server.delayMs = 300;
        pipeline.start();
        // The second request is in flight when the endpoint goes: its connection is dropped.
        await expect.poll(() => server.requests).toBeGreaterThanOrEqual(2);
        await server.down();
        await new Promise(resolve => setTimeout(resolve, 800));
        expect(value<number>(folder, "SELECT count(*) FROM phase_jobs WHERE phase = 'caption' AND state = 'failed'")).toBe(0);
        expect(doneCount(folder)).toBeLessThan(IMAGES);
        await server.up();
        await expect.poll(() => doneCount(folder)).toBe(IMAGES);
        expect(stateCounts(folder)).toEqual({ done: IMAGES });
    });
});
