import type { CaptionLanguage } from '../../../common/ai-protocol';
import type { ProviderHealth } from '../../../common/job-protocol';
import type { CaptionSettings } from '../ai-settings';
import { CaptionAnswer, CaptionError, Captioner, CaptionRequest } from '../captioner';
import { captionAnswerOf, parseJsonAnswer } from './caption-fields';
import { CAPTION_SYSTEM_PROMPT, captionInstruction, captionSchema } from './caption-prompt';
import { CircuitBreaker, CircuitBreakerOptions } from './circuit-breaker';
import { endpointBase, endpointUrl, isEndpointFailure, requestEndpoint, sleep, statusError } from './openai-http';

/** How an {@link OpenAiCaptioner} retries and when its circuit opens. */
export interface OpenAiCaptionerOptions {
    /** Tries after the first for a retryable failure, within one caption request (2). */
    readonly retries?: number;
    /** The wait before the first retry (500 ms); doubled each retry, with up to half of it again as jitter. */
    readonly backoffBaseMs?: number;
    /** The longest wait between tries (8 s). */
    readonly backoffMaxMs?: number;
    readonly breaker?: CircuitBreakerOptions;
    /** The most tokens the model may answer with (1024). */
    readonly maxTokens?: number;
}

export const OPENAI_COMPATIBLE_PROVIDER = 'openai-compatible';

/**
 * A captioner for any OpenAI-compatible chat-completions endpoint that takes
 * images (Ollama, llama.cpp server, vLLM, LM Studio): the image goes as a
 * `data:image/jpeg;base64` part, the answer is asked for as JSON with a
 * schema and read by caption-fields.ts (also out of prose or a code fence,
 * for servers that ignore the schema). Each request has a timeout; retryable
 * failures are tried again with exponential backoff and jitter; consecutive
 * failures of the endpoint open a circuit breaker, whose state is
 * {@link health}: while it is open, {@link caption} throws `endpoint-down`
 * at once, and the caption phase lets its jobs wait.
 */
export class OpenAiCaptioner implements Captioner {

    readonly modelId: string;
    protected readonly base: URL;
    protected readonly breaker: CircuitBreaker;
    protected readonly retries: number;
    protected readonly backoffBaseMs: number;
    protected readonly backoffMaxMs: number;
    protected readonly maxTokens: number;
    /** Set when the server refused `response_format`: later requests go without it. */
    protected schemaRefused = false;
    protected disposed = new AbortController();

    constructor(protected readonly settings: CaptionSettings, options: OpenAiCaptionerOptions = {}) {
        this.base = endpointBase(settings.endpoint);
        if (!settings.model.trim()) {
            throw new Error('No caption model is set: name the model the endpoint serves (e.g. qwen2.5vl:7b)');
        }
        this.modelId = `${OPENAI_COMPATIBLE_PROVIDER}:${this.base.host}/${settings.model.trim()}`;
        this.breaker = new CircuitBreaker(options.breaker);
        this.retries = Math.max(0, Math.floor(options.retries ?? 2));
        this.backoffBaseMs = Math.max(0, options.backoffBaseMs ?? 500);
        this.backoffMaxMs = Math.max(this.backoffBaseMs, options.backoffMaxMs ?? 8_000);
        this.maxTokens = options.maxTokens ?? 1024;
    }

    health(): ProviderHealth {
        if (this.breaker.isAvailable()) {
            return { state: 'ready' };
        }
        return {
            state: 'down',
            code: 'endpoint-down',
            message: `The caption endpoint ${this.base.href} is not answering (${this.breaker.lastFailure ?? 'too many failures'}); it is tried again later`,
            retryAt: this.breaker.retryAt()
        };
    }

    async caption(request: CaptionRequest): Promise<CaptionAnswer> {
        const signal = request.signal ? AbortSignal.any([request.signal, this.disposed.signal]) : this.disposed.signal;
        for (let attempt = 0; ; attempt++) {
            if (!this.breaker.tryAcquire()) {
                throw new CaptionError(this.health().message ?? 'The caption endpoint is down', 'endpoint-down', true);
            }
            try {
                const answer = await this.once(request.image.jpeg, request.languages, signal);
                this.breaker.succeeded();
                return answer;
            } catch (caught) {
                const error = caught instanceof CaptionError ? caught : new CaptionError(String(caught), 'malformed-answer', true);
                if (error.code === 'cancelled') {
                    this.breaker.released();
                    throw error;
                }
                if (isEndpointFailure(error)) {
                    this.breaker.failed(error.message);
                } else {
                    // The endpoint answered (a malformed answer or a refused request): it is up.
                    this.breaker.succeeded();
                }
                if (!error.retryable || attempt >= this.retries) {
                    throw error;
                }
                if (!this.breaker.isAvailable()) {
                    // The circuit opened on this failure: the job waits for the endpoint instead of spending its tries.
                    throw new CaptionError(this.health().message ?? error.message, 'endpoint-down', true);
                }
                await sleep(this.backoff(attempt), signal);
                if (signal.aborted) {
                    throw new CaptionError('The caption request was cancelled', 'cancelled', true);
                }
            }
        }
    }

    dispose(): void {
        this.disposed.abort();
    }

    /** One request and its answer mapped to the stored fields. */
    protected async once(jpeg: Buffer, languages: readonly CaptionLanguage[], signal: AbortSignal): Promise<CaptionAnswer> {
        const url = endpointUrl(this.base, 'chat/completions');
        const withSchema = !this.schemaRefused;
        const response = await requestEndpoint(url, { method: 'POST', headers: this.headers(), body: JSON.stringify(this.body(jpeg, languages, withSchema)) },
            this.settings.timeoutMs, signal);
        if ((response.status === 400 || response.status === 422) && withSchema && /response_format|json_schema|schema/i.test(response.text)) {
            // An older server that does not take a schema: ask again without it (the answer is read out of its text).
            this.schemaRefused = true;
            return this.once(jpeg, languages, signal);
        }
        if (response.status < 200 || response.status >= 300) {
            throw statusError(response.status, response.text, url);
        }
        return captionAnswerOf(parseJsonAnswer(messageText(response.text)), languages);
    }

    protected body(jpeg: Buffer, languages: readonly CaptionLanguage[], withSchema: boolean): Record<string, unknown> {
        return {
            model: this.settings.model.trim(),
            messages: [
                { role: 'system', content: CAPTION_SYSTEM_PROMPT },
                {
                    role: 'user', content: [
                        { type: 'text', text: captionInstruction(languages) },
                        { type: 'image_url', image_url: { url: `data:image/jpeg;base64,${jpeg.toString('base64')}` } }
                    ]
                }
            ],
            ...(withSchema ? { response_format: { type: 'json_schema', json_schema: { name: 'image_caption', strict: true, schema: captionSchema(languages) } } } : {}),
            temperature: 0.2,
            max_tokens: this.maxTokens,
            stream: false
        };
    }

    protected headers(): Record<string, string> {
        const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
        if (this.settings.apiKey?.trim()) {
            headers.authorization = `Bearer ${this.settings.apiKey.trim()}`;
        }
        return headers;
    }

    /** Exponential backoff with jitter (up to half the wait again), so workers that failed together do not retry together. */
    protected backoff(attempt: number): number {
        const wait = Math.min(this.backoffMaxMs, this.backoffBaseMs * 2 ** attempt);
        return wait + Math.random() * wait / 2;
    }
}

/**
 * The assistant's text in a chat-completions answer (`choices[0].message.content`,
 * a string or a list of text parts).
 * @throws CaptionError `malformed-answer` when the body is not such an answer.
 */
export function messageText(body: string): string {
    let parsed: unknown;
    try {
        parsed = JSON.parse(body);
    } catch {
        throw new CaptionError(`The caption endpoint's answer is not JSON: ${body.slice(0, 200)}`, 'malformed-answer', true);
    }
    const content = (parsed as { choices?: { message?: { content?: unknown } }[] } | null)?.choices?.[0]?.message?.content;
    if (typeof content === 'string') {
        return content;
    }
    if (Array.isArray(content)) {
        return content.map(part => typeof part === 'string' ? part : typeof part?.text === 'string' ? part.text : '').join('');
    }
    throw new CaptionError(`The caption endpoint's answer has no message content: ${body.slice(0, 200)}`, 'malformed-answer', true);
}
