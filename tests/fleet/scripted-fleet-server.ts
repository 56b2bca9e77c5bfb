import * as http from 'http';
import type { AddressInfo } from 'net';

/** One request the scripted server received. */
export interface ReceivedRequest {
    readonly method: string;
    readonly path: string;
    readonly headers: http.IncomingHttpHeaders;
    readonly body: unknown;
}

/** What a script answers: a status and a JSON body (or raw bytes). */
export interface ScriptedAnswer {
    readonly status: number;
    readonly body?: unknown;
    readonly bytes?: Buffer;
}

export type Script = (request: ReceivedRequest) => ScriptedAnswer | Promise<ScriptedAnswer>;

/**
 * A real HTTP server on a free port whose answers a test scripts, to check
 * what the worker's client does with each answer of the worker API (the
 * server's own behaviour is tested against the real server). Records every
 * request with its parsed JSON body.
 */
export class ScriptedFleetServer {

    readonly received: ReceivedRequest[] = [];

    protected constructor(protected readonly server: http.Server, readonly url: string, public script: Script) { }

    static async start(script: Script): Promise<ScriptedFleetServer> {
        let self: ScriptedFleetServer | undefined;
        const server = http.createServer((req, res) => {
            const chunks: Buffer[] = [];
            req.on('data', chunk => chunks.push(chunk));
            req.on('end', async () => {
                const text = Buffer.concat(chunks).toString('utf8');
                const request: ReceivedRequest = {
                    method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: text ? JSON.parse(text) : undefined
                };
                self!.received.push(request);
                const answer = await self!.script(request);
                if (answer.bytes) {
                    res.writeHead(answer.status, { 'content-type': 'image/jpeg', 'content-length': answer.bytes.length });
                    res.end(answer.bytes);
                } else if (answer.body === undefined) {
                    res.writeHead(answer.status);
                    res.end();
                } else {
                    const body = Buffer.from(JSON.stringify(answer.body), 'utf8');
                    res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
                    res.end(body);
                }
            });
        });
        await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
        self = new ScriptedFleetServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, script);
        return self;
    }

    /** The requests to paths starting with `prefix`. */
    to(prefix: string): ReceivedRequest[] {
        return this.received.filter(request => request.path.startsWith(prefix));
    }

    close(): Promise<void> {
        this.server.closeAllConnections();
        return new Promise(resolve => this.server.close(() => resolve()));
    }
}
