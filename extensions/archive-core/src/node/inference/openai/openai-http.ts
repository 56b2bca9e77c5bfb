import { CaptionError } from '../captioner';

/**
 * The HTTP side of an OpenAI-compatible endpoint: URLs, one request with a
 * timeout, and what a failure means (retryable or not, the endpoint down or not).
 */

/** The endpoint's base URL without a trailing slash; throws a clear message for one that is not http(s). */
export function endpointBase(endpoint: string): URL {
    let url: URL;
    try {
        url = new URL(endpoint.trim());
    } catch {
        throw new Error(`The caption endpoint "${endpoint}" is not a URL (e.g. http://127.0.0.1:11434/v1)`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new Error(`The caption endpoint "${endpoint}" must start with http:// or https://`);
    }
    if (url.username || url.password) {
        throw new Error(`The caption endpoint "${url.host}" must not hold a user name or password: set the API key instead`);
    }
    url.pathname = url.pathname.replace(/\/+$/, '');
    url.search = '';
    url.hash = '';
    return url;
}

/** `<base>/<path>`. */
export function endpointUrl(base: URL, path: string): string {
    return `${base.origin}${base.pathname}/${path}`;
}

/** A failure the circuit breaker counts: the endpoint did not answer, or answered like a server in trouble. */
export function isEndpointFailure(error: CaptionError): boolean {
    return error.code === 'timeout' || error.code === 'refused' || (error.code === 'http-error' && error.retryable);
}

/** An HTTP status as a caption failure: 408, 429 and 5xx are retryable (the server may recover), other 4xx are not. */
export function statusError(status: number, body: string, url: string): CaptionError {
    const retryable = status === 408 || status === 429 || status >= 500;
    return new CaptionError(`The caption endpoint ${url} answered HTTP ${status}: ${excerpt(errorMessageOf(body))}`, 'http-error', retryable);
}

/** The server's own words in an error body (`{"error": {"message": …}}`, `{"error": "…"}`, `{"message": …}`), else the body. */
function errorMessageOf(body: string): string {
    try {
        const parsed = JSON.parse(body) as { error?: { message?: unknown } | string; message?: unknown; detail?: unknown };
        const message = typeof parsed.error === 'string' ? parsed.error : parsed.error?.message ?? parsed.message ?? parsed.detail;
        return typeof message === 'string' && message.trim() ? message : body;
    } catch {
        return body;
    }
}

/**
 * Turns what `fetch` threw into a caption failure: the caller's cancellation,
 * a timeout, or a connection that failed (refused, reset, closed, name unknown).
 */
export function transportError(error: unknown, url: string, cancelled: boolean, timedOut: boolean, timeoutMs: number): CaptionError {
    if (cancelled) {
        return new CaptionError(`The caption request to ${url} was cancelled`, 'cancelled', true);
    }
    if (timedOut) {
        return new CaptionError(`The caption endpoint ${url} did not answer within ${Math.round(timeoutMs / 100) / 10} s`, 'timeout', true);
    }
    const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
    const detail = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
    return new CaptionError(`The caption endpoint ${url} could not be reached (${detail})`, 'refused', true);
}

/** The result of one HTTP call: status and body text. */
export interface EndpointResponse {
    readonly status: number;
    readonly text: string;
}

/**
 * One request with its own timeout, also aborted by the caller's signal.
 * @throws CaptionError `timeout`, `refused` or `cancelled`.
 */
export async function requestEndpoint(url: string, init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
    timeoutMs: number, signal?: AbortSignal): Promise<EndpointResponse> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), Math.max(1, timeoutMs));
    const combined = signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal;
    try {
        // A redirect is answered as its 3xx status (a wrong endpoint URL), never followed.
        const response = await fetch(url, { ...init, signal: combined, redirect: 'manual' });
        return { status: response.status, text: await boundedText(response, url) };
    } catch (error) {
        if (error instanceof CaptionError) {
            throw error;
        }
        throw transportError(error, url, !!signal?.aborted, timeout.signal.aborted, timeoutMs);
    } finally {
        clearTimeout(timer);
    }
}

/** The most bytes of an answer read: a caption answer is a few kilobytes; more is a server gone wrong. */
export const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

/** The body as text, refused past {@link MAX_ANSWER_BYTES} (it is not held in memory whole). */
async function boundedText(response: Response, url: string): Promise<string> {
    if (!response.body) {
        return '';
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        size += chunk.byteLength;
        if (size > MAX_ANSWER_BYTES) {
            await response.body.cancel().catch(() => undefined);
            throw new CaptionError(`The caption endpoint ${url} answered more than ${MAX_ANSWER_BYTES / 1024 / 1024} MiB`, 'malformed-answer', true);
        }
        chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
}

/** Waits `ms`, or less when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise(resolve => {
        if (signal?.aborted) {
            resolve();
            return;
        }
        const timer = setTimeout(done, ms);
        function done(): void {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            resolve();
        }
        signal?.addEventListener('abort', done);
    });
}

function excerpt(text: string): string {
    const flat = text.replace(/\s+/gu, ' ').trim();
    return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat || '(no body)';
}
