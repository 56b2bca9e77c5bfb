import { FleetApi, FleetApiError } from '../../common/fleet-protocol';

/** A call the server answered with an error status (4xx, 5xx) and, when it sent one, its {@link FleetApiError} code. */
export class FleetRequestError extends Error {
    constructor(readonly status: number, readonly code: string, message: string) {
        super(message);
        this.name = 'FleetRequestError';
    }

    /** Whether trying again later may succeed (the server is overloaded or restarting). */
    get transient(): boolean {
        return this.status >= 500 || this.status === 429;
    }
}

/** The server could not be reached, or it did not answer in time; nothing is known about what it did. */
export class FleetUnreachableError extends Error {
    constructor(readonly url: string, cause: unknown) {
        super(`The server at ${url} could not be reached: ${describeCause(cause)}`);
        this.name = 'FleetUnreachableError';
    }
}

export interface FleetHttpOptions {
    /** The server's base URL (`http://host:port`), without `/api/v1`. */
    readonly serverUrl: string;
    /** The worker token an admin issued; sent as a Bearer token on every call. */
    readonly token: string;
    /** How long one call may take before it counts as unreachable (ms); 30 s by default. */
    readonly timeoutMs?: number;
}

/** The largest JSON answer read (a claim's jobs, a heartbeat's commands). */
const MAX_JSON_BYTES = 4 * 1024 * 1024;
/** The largest image answer read (a preview is at most 1024 px). */
const MAX_BYTES = 64 * 1024 * 1024;

/**
 * The worker's side of the worker API's transport: JSON in UTF-8 with the
 * Bearer token and, once registered, the session header on every call. An
 * error status becomes a {@link FleetRequestError} with the server's code;
 * a call that never got an answer a {@link FleetUnreachableError}. A 410
 * (the server does not know the session: it restarted or dropped it) runs
 * {@link onUnknownSession} (the connection registers again) and repeats the
 * call once under the new session.
 */
export class FleetHttpClient {

    readonly serverUrl: string;
    /** The session the server gave at register; sent on every call after it. */
    sessionId: string | undefined;
    /** Registers again when the server no longer knows the session (the one named, unless another call registered meanwhile). */
    onUnknownSession: ((staleSession: string) => Promise<void>) | undefined;

    constructor(protected readonly options: FleetHttpOptions) {
        this.serverUrl = FleetHttpClient.normalizeUrl(options.serverUrl);
        if (!/^[\x21-\x7e]+$/.test(options.token)) {
            // A header carries printable ASCII only: such a token was mistyped or pasted with something else.
            throw new Error('The worker token must be printable ASCII without spaces (copy it again from the fleet panel)');
        }
    }

    /** The server URL without a trailing slash; throws a clear error for anything but an http(s) URL. */
    static normalizeUrl(given: string): string {
        let url: URL;
        try {
            url = new URL(given.trim());
        } catch {
            throw new Error(`${JSON.stringify(given)} is not a server URL (e.g. http://archive-server:3000)`);
        }
        if (url.protocol !== 'http:' && url.protocol !== 'https:') {
            throw new Error(`The server URL must start with http:// or https://, not ${url.protocol}`);
        }
        return url.toString().replace(/\/+$/, '');
    }

    /** POSTs a JSON body and answers the JSON answer (undefined for 204). */
    async post<T>(path: string, body: unknown = {}): Promise<T> {
        return this.json<T>(path, await this.send('POST', path, body));
    }

    /** GETs a JSON answer; undefined when the server answers 404. */
    async get<T>(path: string): Promise<T | undefined> {
        try {
            return await this.json<T>(path, await this.send('GET', path));
        } catch (error) {
            if (error instanceof FleetRequestError && error.status === 404) {
                return undefined;
            }
            throw error;
        }
    }

    protected async json<T>(path: string, response: Response): Promise<T> {
        if (response.status === 204) {
            return undefined as T;
        }
        const text = (await readLimited(response, MAX_JSON_BYTES)).toString('utf8');
        try {
            return (text ? JSON.parse(text) : undefined) as T;
        } catch {
            throw new FleetRequestError(response.status, 'bad-answer', `The server's answer to ${path} is not JSON`);
        }
    }

    /** GETs bytes; undefined when the server answers 404 (the asset or its preview is gone). */
    async bytes(path: string): Promise<Buffer | undefined> {
        try {
            const response = await this.send('GET', path);
            return await readLimited(response, MAX_BYTES);
        } catch (error) {
            if (error instanceof FleetRequestError && error.status === 404) {
                return undefined;
            }
            throw error;
        }
    }

    /** One call; on 410 registers again and repeats it once. */
    protected async send(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response> {
        const session = this.sessionId;
        try {
            return await this.sendOnce(method, path, body);
        } catch (error) {
            if (error instanceof FleetRequestError && error.status === 410 && this.onUnknownSession && session) {
                await this.onUnknownSession(session);
                return this.sendOnce(method, path, body);
            }
            throw error;
        }
    }

    protected async sendOnce(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response> {
        const url = `${this.serverUrl}${path}`;
        const headers: Record<string, string> = { authorization: `Bearer ${this.options.token}`, accept: 'application/json' };
        if (this.sessionId) {
            headers[FleetApi.SESSION_HEADER.toLowerCase()] = this.sessionId;
        }
        if (body !== undefined) {
            headers['content-type'] = 'application/json; charset=utf-8';
        }
        let response: Response;
        try {
            response = await fetch(url, {
                method, headers,
                body: body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8'),
                signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000)
            });
        } catch (error) {
            throw new FleetUnreachableError(this.serverUrl, error);
        }
        if (!response.ok) {
            throw await requestError(response, path);
        }
        return response;
    }
}

/** The error an error status carries: the server's {@link FleetApiError} when its body is one. */
async function requestError(response: Response, path: string): Promise<FleetRequestError> {
    let text = '';
    try {
        text = (await readLimited(response, 64 * 1024)).toString('utf8');
    } catch {
        // The status alone says enough.
    }
    let parsed: Partial<FleetApiError> = {};
    try {
        parsed = JSON.parse(text) as Partial<FleetApiError>;
    } catch {
        // Not JSON: the status and the text say what happened.
    }
    const code = typeof parsed.code === 'string' ? parsed.code : `http-${response.status}`;
    const message = typeof parsed.message === 'string' ? parsed.message : text.slice(0, 300) || response.statusText;
    return new FleetRequestError(response.status, code, `${path}: ${response.status} ${message}`);
}

/** The body, refused past `limit` bytes. */
async function readLimited(response: Response, limit: number): Promise<Buffer> {
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > limit) {
        await response.body?.cancel();
        throw new FleetRequestError(response.status, 'too-large', `The server's answer is ${declared} bytes, more than ${limit}`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    if (response.body) {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
            size += chunk.length;
            if (size > limit) {
                throw new FleetRequestError(response.status, 'too-large', `The server's answer is more than ${limit} bytes`);
            }
            chunks.push(Buffer.from(chunk));
        }
    }
    return Buffer.concat(chunks);
}

function describeCause(cause: unknown): string {
    const inner = (cause as { cause?: { code?: string; message?: string } } | undefined)?.cause;
    if (inner?.code || inner?.message) {
        return inner.code ?? inner.message ?? '';
    }
    return cause instanceof Error ? (cause.name === 'TimeoutError' ? 'no answer in time' : cause.message) : String(cause);
}
