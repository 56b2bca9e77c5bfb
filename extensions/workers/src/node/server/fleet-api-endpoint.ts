import type * as http from 'http';
import { inject, injectable, named } from '@theia/core/shared/inversify';
import express, { Application, ErrorRequestHandler, NextFunction, Request, RequestHandler, Response, Router } from '@theia/core/shared/express';
import { ILogger } from '@theia/core/lib/common/logger';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { FleetApi } from '../../common/fleet-protocol';
import { FleetApiRefusal } from './fleet-api-refusal';
import { FleetApiService, FleetCaller } from './fleet-api-service';
import { WorkerSourceService } from './worker-source-service';
import { WorkerTokenService } from './worker-token-service';

/** The largest JSON body a worker may send (a result with a vector and captions is a few KiB). */
export const MAX_FLEET_BODY = '1mb';

/**
 * How long an idle worker connection stays open: well past a heartbeat
 * period, so the server never closes one just as a worker sends its next
 * call on it (Node's 5 s default races a 5 s heartbeat: "other side closed").
 */
export const WORKER_KEEP_ALIVE_MS = 65_000;

/** Keeps the server's idle connections open for workers (see {@link WORKER_KEEP_ALIVE_MS}); never shortens a longer setting. */
export function keepWorkerConnections(server: Pick<http.Server, 'keepAliveTimeout' | 'headersTimeout'>): void {
    server.keepAliveTimeout = Math.max(server.keepAliveTimeout, WORKER_KEEP_ALIVE_MS);
    server.headersTimeout = Math.max(server.headersTimeout, server.keepAliveTimeout + 1000);
}

/**
 * The worker API (`/api/v1/…`, see fleet-protocol.ts) as thin HTTP routes
 * over the {@link FleetApiService}: every call needs a worker token
 * (`Authorization: Bearer`), bodies are JSON in UTF-8 up to
 * {@link MAX_FLEET_BODY}, refusals answer a {@link FleetApiError} with
 * 400/401/403/404/409/410/413/415/422/503, and source bytes stream. Not
 * guarded by the page's connection cookie: workers are not browsers, the
 * token is their credential (archive-core's HTTP safety lets `/api/v1`
 * through for this reason).
 */
@injectable()
export class FleetApiEndpoint implements BackendApplicationContribution {

    @inject(FleetApiService)
    protected readonly api: FleetApiService;

    @inject(WorkerTokenService)
    protected readonly tokens: WorkerTokenService;

    @inject(WorkerSourceService)
    protected readonly sources: WorkerSourceService;

    @inject(ILogger) @named('workers:FleetApiEndpoint')
    protected readonly logger: ILogger;

    /** The app's backend serves workers too: its connections are kept as `imageparser serve` keeps them. */
    onStart(server: http.Server): void {
        keepWorkerConnections(server);
    }

    configure(app: Application): void {
        const router = Router();
        router.use(this.noStore, express.json({ limit: MAX_FLEET_BODY, strict: true }), this.authenticate);
        router.post('/workers/register', this.handle((caller, request) => this.api.register(caller, request.body)));
        router.post('/workers/heartbeat', this.handle((caller, request) => this.api.heartbeat(caller, request.body)));
        router.post('/jobs/claim', this.handle((caller, request) => this.api.claim(caller, request.body, request.query.phase)));
        router.post('/jobs/:leaseToken/heartbeat', this.handle((caller, request) => this.api.renewLease(caller, request.params.leaseToken)));
        router.post('/jobs/:leaseToken/complete', this.handle((caller, request) => this.api.complete(caller, request.params.leaseToken, request.body)));
        router.post('/jobs/:leaseToken/fail', this.handle((caller, request) => this.api.fail(caller, request.params.leaseToken, request.body)));
        router.post('/jobs/:leaseToken/release', this.handle(async (caller, request) => {
            await this.api.release(caller, request.params.leaseToken);
            return undefined;
        }));
        router.get('/assets/:assetId/image', this.source(async (assetId, request) => {
            if (request.query.maxEdge !== undefined && !/^[1-9][0-9]{0,5}$/.test(String(request.query.maxEdge))) {
                throw FleetApiRefusal.badRequest('maxEdge must be a whole number of pixels');
            }
            // maxEdge is the worker's to apply: the stored preview goes as it is, so the worker decodes what the server's phases decode.
            return this.sources.image(assetId);
        }));
        router.get('/assets/:assetId/text', this.handle(async (caller, request) => {
            const assetId = assetIdOf(request.params.assetId);
            await this.api.checkSourceAccess(caller, assetId);
            return this.sources.text(assetId);
        }));
        router.get('/assets/:assetId/original', this.source(assetId => this.sources.original(assetId)));
        router.use((_request, response) => this.refuse(response, new FleetApiRefusal(404, 'not-found', 'There is no such worker API call.')));
        router.use(this.onError);
        app.use(FleetApi.ROOT, router);
        // Errors of middleware that ran before the router (the backend's own JSON parser) are answered as the API's too.
        app.use(FleetApi.ROOT, this.onError);
    }

    protected readonly noStore: RequestHandler = (_request, response, next) => {
        response.setHeader('Cache-Control', 'no-store');
        next();
    };

    protected readonly authenticate: RequestHandler = (request, response, next) => {
        const header = request.headers.authorization ?? '';
        const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
        this.tokens.verify(match?.[1]).then(token => {
            const session = request.headers[FleetApi.SESSION_HEADER.toLowerCase()];
            const caller: FleetCaller = { token, sessionId: typeof session === 'string' ? session : undefined };
            response.locals.fleetCaller = caller;
            next();
        }, error => this.answerError(response, error));
    };

    /** A JSON route: answers what `work` answers (204 when nothing), or the refusal. */
    protected handle(work: (caller: FleetCaller, request: Request) => Promise<unknown>): RequestHandler {
        return (request, response) => {
            work(response.locals.fleetCaller as FleetCaller, request).then(answer => {
                if (answer === undefined) {
                    response.status(204).end();
                } else {
                    response.json(answer);
                }
            }, error => this.answerError(response, error));
        };
    }

    /** A bytes route: checks the lease on the asset, then streams what `open` finds (404 when nothing). */
    protected source(open: (assetId: number, request: Request) => Promise<{ stream: NodeJS.ReadableStream & { destroy(): void }; mime: string; size?: number } | undefined>): RequestHandler {
        return (request, response) => {
            const serve = async () => {
                const assetId = assetIdOf(request.params.assetId);
                await this.api.checkSourceAccess(response.locals.fleetCaller as FleetCaller, assetId);
                const found = await open(assetId, request);
                if (!found) {
                    throw new FleetApiRefusal(404, 'not-found', `Asset ${assetId} has no such source (no preview, or no file carries it now).`);
                }
                response.status(200).type(found.mime);
                response.setHeader('X-Content-Type-Options', 'nosniff');
                if (found.size !== undefined) {
                    response.setHeader('Content-Length', String(found.size));
                }
                found.stream.on('error', error => {
                    this.logger.warn(`Streaming a source of asset ${assetId} to a worker failed: ${messageOf(error)}`);
                    response.destroy();
                });
                response.on('close', () => found.stream.destroy());
                found.stream.pipe(response);
            };
            serve().catch(error => this.answerError(response, error));
        };
    }

    protected readonly onError: ErrorRequestHandler = (error, _request, response, _next: NextFunction) => {
        this.answerError(response, error);
    };

    protected answerError(response: Response, error: unknown): void {
        if (error instanceof FleetApiRefusal) {
            this.refuse(response, error);
            return;
        }
        const type = (error as { type?: unknown } | undefined)?.type;
        if (type === 'entity.too.large') {
            this.refuse(response, new FleetApiRefusal(413, 'too-large', `A worker API body may be at most ${MAX_FLEET_BODY}.`));
        } else if (type === 'entity.parse.failed') {
            this.refuse(response, FleetApiRefusal.badRequest('The body is not valid JSON.'));
        } else if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
            this.refuse(response, new FleetApiRefusal(415, 'unsupported-encoding', 'Send JSON in UTF-8, uncompressed.'));
        } else if ((error as { name?: unknown } | undefined)?.name === 'ArchiveOpenError') {
            this.refuse(response, new FleetApiRefusal(503, 'unavailable', `The archive is not available: ${messageOf(error)}`));
        } else {
            this.logger.error(`A worker API call failed: ${messageOf(error)}`);
            this.refuse(response, new FleetApiRefusal(500, 'internal', `The server failed on this call: ${messageOf(error)}`));
        }
    }

    protected refuse(response: Response, refusal: FleetApiRefusal): void {
        if (response.headersSent) {
            response.destroy();
            return;
        }
        if (refusal.status === 401) {
            response.setHeader('WWW-Authenticate', 'Bearer realm="imageparser-workers"');
        }
        response.status(refusal.status).json(refusal.body);
    }
}

function assetIdOf(value: string | undefined): number {
    const id = value && /^[1-9][0-9]{0,15}$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(id)) {
        throw FleetApiRefusal.badRequest('The asset id must be a positive whole number.');
    }
    return id;
}

function messageOf(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
