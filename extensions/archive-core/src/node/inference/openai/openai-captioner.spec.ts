import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaptionSettings } from '../ai-settings';
import type { AiImage } from '../ai-image';
import { CaptionError } from '../captioner';
import { OpenAiTestServer } from '../../test/openai-test-server';
import { OpenAiCaptioner, OpenAiCaptionerOptions } from './openai-captioner';
import { OpenAiCaptionerProvider } from './openai-captioner-provider';

async function solidImage(rgb: [number, number, number]): Promise<AiImage> {
    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } }).jpeg().toBuffer();
    return { assetId: 1, jpeg, rgb: { data: new Uint8Array(0), width: 64, height: 48 } };
}

/** The captioner against a real local endpoint: the request it sends, the answers it reads, its retries, timeouts and circuit. */
describe('the openai-compatible captioner', () => {
    let server: OpenAiTestServer;
    const captioners: OpenAiCaptioner[] = [];

    beforeEach(async () => {
        server = await new OpenAiTestServer().start();
    });
    afterEach(async () => {
        captioners.splice(0).forEach(captioner => captioner.dispose());
        await server.stop();
    });

    function settings(overrides: Partial<CaptionSettings> = {}): CaptionSettings {
        return { provider: 'openai-compatible', endpoint: server.endpoint, model: 'test-vlm', language: 'both', timeoutMs: 5_000, concurrency: 1, ...overrides };
    }

    function captioner(overrides: Partial<CaptionSettings> = {}, options: OpenAiCaptionerOptions = {}): OpenAiCaptioner {
        const made = new OpenAiCaptioner(settings(overrides), { retries: 2, backoffBaseMs: 20, backoffMaxMs: 50, ...options });
        captioners.push(made);
        return made;
    }

    it('sends the image as a data URL with a JSON schema and the API key, and answers the caption and tags of what the image shows', async () => {
        const answer = await captioner({ apiKey: 'sk-test' }).caption({ image: await solidImage([230, 20, 20]), languages: ['en', 'ko'] });
        expect(answer).toEqual({
            captions: [{ language: 'en', text: 'A flat red square image' }, { language: 'ko', text: '빨강색 사각형 이미지' }],
            tags: [{ name: 'red', confidence: 0.95 }, { name: '빨강', confidence: 0.9 }, { name: 'square', confidence: 0.7 }]
        });
        expect(server.recorded[0]).toMatchObject({ model: 'test-vlm', colour: 'red', authorization: 'Bearer sk-test' });
        expect(server.recorded[0].responseFormat).toMatchObject({ type: 'json_schema', json_schema: { schema: { required: ['caption_en', 'caption_ko', 'tags'] } } });
    });

    it('reads an answer fenced in prose (a server that ignores the schema) and one under other key names', async () => {
        server.mode = 'fenced';
        const fenced = await captioner().caption({ image: await solidImage([20, 40, 230]), languages: ['en'] });
        expect(fenced.captions).toEqual([{ language: 'en', text: 'A flat blue square image' }]);
        server.mode = 'renamed';
        const renamed = await captioner().caption({ image: await solidImage([20, 40, 230]), languages: ['en', 'ko'] });
        expect(renamed).toEqual({
            captions: [{ language: 'en', text: 'A flat blue square image' }, { language: 'ko', text: '파랑색 사각형 이미지' }],
            tags: [{ name: 'blue', confidence: 0.93 }, { name: '파랑', confidence: 0.88 }, { name: 'square' }, { name: 'flat colour' }]
        });
    });

    it('retries HTTP 500 with backoff and answers once the server recovers', async () => {
        server.failNext(2, 'error500');
        const answer = await captioner().caption({ image: await solidImage([30, 180, 40]), languages: ['en'] });
        expect(answer.captions[0].text).toBe('A flat green square image');
        expect(server.requests).toBe(3);
    });

    it('gives up on an answer it cannot read with a retryable malformed-answer, and keeps the endpoint up', async () => {
        server.mode = 'malformed';
        const made = captioner({}, { breaker: { failureThreshold: 2 } });
        const failure = await made.caption({ image: await solidImage([30, 180, 40]), languages: ['en'] }).catch(error => error);
        expect(failure).toBeInstanceOf(CaptionError);
        expect(failure).toMatchObject({ code: 'malformed-answer', retryable: true });
        expect(server.requests).toBe(3);
        expect(made.health()).toEqual({ state: 'ready' });
    });

    it('refuses an answer of several megabytes without holding it, as a malformed answer', async () => {
        server.mode = 'huge';
        const failure = await captioner({}, { retries: 0 }).caption({ image: await solidImage([30, 180, 40]), languages: ['en'] }).catch(error => error);
        expect(failure).toMatchObject({ code: 'malformed-answer', retryable: true, message: expect.stringContaining('more than 4 MiB') });
    });

    it('abandons a request past the timeout with a retryable timeout', async () => {
        server.mode = 'slow';
        server.slowMs = 3_000;
        const failure = await captioner({ timeoutMs: 150 }, { retries: 1 }).caption({ image: await solidImage([30, 180, 40]), languages: ['en'] }).catch(error => error);
        expect(failure).toMatchObject({ code: 'timeout', retryable: true });
        expect(server.requests).toBe(2);
    });

    it('opens its circuit when the endpoint goes down (health down with a retry time, no request sent), and closes on a probe once it is back', async () => {
        const made = captioner({}, { retries: 0, breaker: { failureThreshold: 2, cooldownMs: 200 } });
        const image = await solidImage([235, 220, 30]);
        await server.down();
        for (let i = 0; i < 2; i++) {
            expect(await made.caption({ image, languages: ['en'] }).catch(error => error)).toMatchObject({ code: 'refused', retryable: true });
        }
        const health = made.health();
        expect(health).toMatchObject({ state: 'down', code: 'endpoint-down' });
        expect(health.retryAt).toBeGreaterThan(Date.now());
        expect(health.message).toContain(server.endpoint);
        expect(await made.caption({ image, languages: ['en'] }).catch(error => error)).toMatchObject({ code: 'endpoint-down' });
        await server.up();
        expect(server.requests).toBe(0);
        await expect.poll(() => made.health().state).toBe('ready');
        expect((await made.caption({ image, languages: ['en'] })).captions[0].text).toBe('A flat yellow square image');
        expect(made.health()).toEqual({ state: 'ready' });
    });

    it('validates the settings with clear codes: a bad URL, no model, an endpoint that answers, one that is down', async () => {
        const provider = new OpenAiCaptionerProvider();
        expect(await provider.validate(settings({ endpoint: 'localhost:11434' }))).toMatchObject({ state: 'invalid', code: 'endpoint-invalid' });
        expect(await provider.validate(settings({ endpoint: 'ftp://example.com/v1' }))).toMatchObject({ state: 'invalid', code: 'endpoint-invalid', message: expect.stringContaining('http://') });
        expect(await provider.validate(settings({ model: ' ' }))).toMatchObject({ state: 'invalid', code: 'model-missing' });
        expect(await provider.validate(settings())).toEqual({ state: 'ready' });
        expect((await provider.validate(settings({ model: 'other-model' }))).message).toContain('test-vlm');
        await server.down();
        const down = await provider.validate(settings());
        expect(down).toMatchObject({ state: 'down', code: 'endpoint-down' });
        expect(down.message).toMatch(/could not be reached \((ECONNREFUSED|UND_ERR_SOCKET)\)/);
    });
});
