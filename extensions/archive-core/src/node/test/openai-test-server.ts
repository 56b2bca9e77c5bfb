import * as http from 'http';
import type { AddressInfo } from 'net';
import sharp from 'sharp';

/**
 * How the test endpoint answers a chat completion. `good`: the caption and
 * tags of the image's dominant colour, under the keys the schema asks for;
 * `fenced`: the same inside a ```json fence with prose around it (a server
 * that ignores `response_format`); `renamed`: the same under other names
 * (`description`, `korean`, `keywords` as `{label, score}`); `slow`: a good
 * answer after {@link OpenAiTestServer.slowMs}; `error500`: HTTP 500;
 * `malformed`: a 200 whose content is not JSON; `no-caption`: JSON without
 * any caption; `huge`: a 200 of 5 MiB (a server gone wrong).
 */
export type OpenAiTestMode = 'good' | 'fenced' | 'renamed' | 'slow' | 'error500' | 'error404' | 'malformed' | 'no-caption' | 'huge';

/** A colour the server can name, in English and Korean. */
interface NamedColour {
    readonly en: string;
    readonly ko: string;
    readonly rgb: readonly [number, number, number];
}

/** The colours the endpoint names (English, Korean), matched by the image's mean colour. */
export const TEST_COLOURS: readonly NamedColour[] = [
    { en: 'red', ko: '빨강', rgb: [220, 30, 30] },
    { en: 'green', ko: '초록', rgb: [30, 180, 40] },
    { en: 'blue', ko: '파랑', rgb: [30, 50, 220] },
    { en: 'yellow', ko: '노랑', rgb: [235, 220, 30] },
    { en: 'black', ko: '검정', rgb: [10, 10, 10] },
    { en: 'white', ko: '하양', rgb: [245, 245, 245] },
    { en: 'purple', ko: '보라', rgb: [130, 40, 170] },
    { en: 'orange', ko: '주황', rgb: [240, 140, 20] }
];

/** What a request asked, as the server read it. */
export interface RecordedRequest {
    readonly path: string;
    readonly model?: string;
    readonly responseFormat?: unknown;
    /** The image's colour, as the server named it. */
    readonly colour?: string;
    readonly authorization?: string;
}

/**
 * A real OpenAI-compatible chat-completions server for tests and the bench,
 * on 127.0.0.1 and a port of its own (`POST /v1/chat/completions`,
 * `GET /v1/models`). Its answers derive from the image it is sent (its
 * dominant colour), so a test can assert what was stored. The mode can be
 * switched per test or for the next few requests; it counts requests, can
 * add a fixed delay and cap the requests it works at once (the rest wait,
 * as on a real server with N slots), and can go down (closing its socket
 * and every connection) and come back on the same port.
 */
export class OpenAiTestServer {

    mode: OpenAiTestMode = 'good';
    /** How long a `slow` answer takes, in ms. */
    slowMs = 2_000;
    /** Added to every chat completion (the bench's fixed model time), in ms. */
    delayMs = 0;
    /** Chat completions worked at once; the rest wait for a slot. */
    concurrencyLimit = Infinity;
    /** The model name the server lists. */
    modelName = 'test-vlm';
    /** Chat completions received (answered or not). */
    requests = 0;
    /** The most chat completions worked at once so far. */
    peakConcurrency = 0;
    readonly recorded: RecordedRequest[] = [];

    protected server: http.Server | undefined;
    protected port = 0;
    protected active = 0;
    protected waiting: (() => void)[] = [];
    protected overrides: OpenAiTestMode[] = [];

    /** Starts listening (on a free port the first time, on the same port again after {@link down}). */
    async start(): Promise<this> {
        const server = http.createServer((request, response) => {
            this.handle(request, response).catch(error => {
                if (!response.headersSent) {
                    response.writeHead(500, { 'content-type': 'application/json' });
                }
                response.end(JSON.stringify({ error: { message: String(error) } }));
            });
        });
        await new Promise<void>((resolve, reject) => {
            server.once('error', reject);
            server.listen(this.port, '127.0.0.1', () => resolve());
        });
        this.port = (server.address() as AddressInfo).port;
        this.server = server;
        return this;
    }

    /** The base URL a captioner is configured with: `http://127.0.0.1:<port>/v1`. */
    get endpoint(): string {
        return `http://127.0.0.1:${this.port}/v1`;
    }

    /** The next `count` chat completions answer in `mode`, then the current mode again. */
    failNext(count: number, mode: OpenAiTestMode): void {
        this.overrides.push(...Array.from({ length: count }, () => mode));
    }

    /** Goes down: stops listening and drops every open connection (a request in flight gets its socket closed). */
    async down(): Promise<void> {
        const server = this.server;
        this.server = undefined;
        if (server) {
            const closed = new Promise<void>(resolve => server.close(() => resolve()));
            server.closeAllConnections();
            await closed;
        }
    }

    /** Comes back on the same port. */
    async up(): Promise<void> {
        if (!this.server) {
            await this.start();
        }
    }

    async stop(): Promise<void> {
        await this.down();
        this.waiting.splice(0).forEach(wake => wake());
    }

    protected async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
        const url = new URL(request.url ?? '/', 'http://127.0.0.1');
        if (request.method === 'GET' && url.pathname === '/v1/models') {
            this.json(response, 200, { object: 'list', data: [{ id: this.modelName, object: 'model', owned_by: 'test' }] });
            return;
        }
        if (request.method !== 'POST' || url.pathname !== '/v1/chat/completions') {
            this.json(response, 404, { error: { message: `No route ${request.method} ${url.pathname}` } });
            return;
        }
        this.requests++;
        const started = Date.now();
        const body = await readBody(request);
        await this.slot();
        try {
            const mode = this.overrides.shift() ?? this.mode;
            const parsed = JSON.parse(body) as { model?: string; response_format?: unknown; messages?: { content?: unknown }[] };
            const image = imageOf(parsed);
            if (!image) {
                this.json(response, 400, { error: { message: 'The request has no data:image/jpeg;base64 image_url part' } });
                return;
            }
            const colour = await dominantColour(image);
            this.recorded.push({ path: url.pathname, model: parsed.model, responseFormat: parsed.response_format, colour: colour.en, authorization: request.headers.authorization });
            const wait = (mode === 'slow' ? this.slowMs : 0) + this.delayMs - (Date.now() - started);
            if (wait > 0) {
                await new Promise(resolve => setTimeout(resolve, wait));
            }
            if (response.destroyed) {
                return;
            }
            if (mode === 'error500') {
                this.json(response, 500, { error: { message: 'the model crashed' } });
                return;
            }
            if (mode === 'error404') {
                this.json(response, 404, { error: { message: `model "${parsed.model}" not found, try pulling it first` } });
                return;
            }
            this.json(response, 200, completion(contentOf(mode, colour, wantsKorean(parsed))));
        } finally {
            this.release();
        }
    }

    protected json(response: http.ServerResponse, status: number, value: unknown): void {
        if (!response.destroyed) {
            response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
            response.end(JSON.stringify(value));
        }
    }

    protected async slot(): Promise<void> {
        while (this.active >= this.concurrencyLimit) {
            await new Promise<void>(resolve => this.waiting.push(resolve));
        }
        this.active++;
        this.peakConcurrency = Math.max(this.peakConcurrency, this.active);
    }

    protected release(): void {
        this.active--;
        this.waiting.shift()?.();
    }
}

/** The chat message content a mode answers for an image of this colour. */
function contentOf(mode: OpenAiTestMode, colour: NamedColour, korean: boolean): string {
    const en = `A flat ${colour.en} square image`;
    const ko = `${colour.ko}색 사각형 이미지`;
    switch (mode) {
        case 'malformed':
            return `Sure! {"caption_en": "${en}", "tags": [ {"name": "${colour.en}"`;
        case 'huge':
            return 'x'.repeat(5 * 1024 * 1024);
        case 'no-caption':
            return JSON.stringify({ tags: [{ name: colour.en, confidence: 0.9 }] });
        case 'renamed':
            return JSON.stringify({
                description: en,
                ...(korean ? { Korean: ko } : {}),
                keywords: [{ label: ` #${colour.en.toUpperCase()} `, score: 0.93 }, { label: colour.ko, score: 88 }, 'Square', 'square', '#Flat   Colour']
            });
        default: {
            const answer = JSON.stringify({
                caption_en: en,
                ...(korean ? { caption_ko: ko } : {}),
                tags: [{ name: colour.en, confidence: 0.95 }, { name: colour.ko, confidence: 0.9 }, { name: 'square', confidence: 0.7 }]
            });
            return mode === 'fenced' ? `Here is the description you asked for:\n\`\`\`json\n${answer}\n\`\`\`\nAnything else?` : answer;
        }
    }
}

function completion(content: string): unknown {
    return {
        id: 'chatcmpl-test', object: 'chat.completion', created: Math.floor(Date.now() / 1000), model: 'test-vlm',
        choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }]
    };
}

function wantsKorean(request: { messages?: { content?: unknown }[] }): boolean {
    return JSON.stringify(request.messages ?? []).includes('caption_ko');
}

/** The JPEG of the request's `data:image/jpeg;base64` image_url part. */
function imageOf(request: { messages?: { content?: unknown }[] }): Buffer | undefined {
    for (const message of request.messages ?? []) {
        if (Array.isArray(message.content)) {
            for (const part of message.content as { type?: string; image_url?: { url?: string } }[]) {
                const url = part?.type === 'image_url' ? part.image_url?.url : undefined;
                const match = url ? /^data:image\/jpeg;base64,(.+)$/s.exec(url) : undefined;
                if (match) {
                    return Buffer.from(match[1], 'base64');
                }
            }
        }
    }
    return undefined;
}

async function dominantColour(jpeg: Buffer): Promise<NamedColour> {
    // An 8 x 8 reduction (JPEG shrink-on-load): the mean colour without decoding every pixel, so the server's own time stays small.
    const pixels = await sharp(jpeg).resize(8, 8, { fit: 'fill' }).removeAlpha().raw().toBuffer();
    const mean = [0, 1, 2].map(channel => {
        let sum = 0;
        for (let i = channel; i < pixels.length; i += 3) {
            sum += pixels[i];
        }
        return sum / (pixels.length / 3);
    });
    let best = TEST_COLOURS[0];
    let bestDistance = Infinity;
    for (const colour of TEST_COLOURS) {
        const distance = colour.rgb.reduce((sum, value, i) => sum + (value - mean[i]) ** 2, 0);
        if (distance < bestDistance) {
            best = colour;
            bestDistance = distance;
        }
    }
    return best;
}

function readBody(request: http.IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        request.on('data', chunk => chunks.push(chunk));
        request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        request.on('error', reject);
    });
}
