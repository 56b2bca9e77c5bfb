import * as http from 'http';
import { AddressInfo } from 'net';
import express from '@theia/core/shared/express';
import { Container, interfaces } from '@theia/core/shared/inversify';
import { BackendApplicationContribution, EarlyExpressMiddleware } from '@theia/core/lib/node/backend-application';
import {
    BrowserConnectionToken, BrowserConnectionTokenBackendContribution, createBrowserConnectionToken, HttpConnectionValidator
} from '@theia/core/lib/node/hosting/browser-connection-token';
import { HttpSafetyContribution } from '../http/http-safety-contribution';
import { DEFAULT_MAX_UPLOAD_BYTES, HttpSafetyOptions } from '../http/http-safety-options';

/** A real HTTP server over an express app set up as the backend sets it up. */
export interface TestHttpApp {
    /** The express app, to serve it from another server too. */
    readonly handler: http.RequestListener;
    readonly server: http.Server;
    /** `http://127.0.0.1:<port>` */
    readonly base: string;
    readonly port: number;
    /** The connection cookie the app page hands out (`name=value`). */
    cookie(): Promise<string>;
    close(): Promise<void>;
}

/**
 * Binds what the backend's hosting binds (Theia's connection-token
 * contribution, the HTTP safety contribution and its options, unless the
 * container has them), then serves, in the backend's order: early middleware,
 * a JSON body parser for the whole app (Theia's file download endpoint
 * installs one), an app page at `/`, and the given contributions' routes.
 */
export async function startTestHttpApp(container: Container, endpoints: interfaces.ServiceIdentifier<BackendApplicationContribution>[],
    options: Partial<HttpSafetyOptions> = {}): Promise<TestHttpApp> {
    container.bind(BrowserConnectionToken).toConstantValue(createBrowserConnectionToken());
    container.bind(EarlyExpressMiddleware).toSelf().inSingletonScope();
    container.bind(BrowserConnectionTokenBackendContribution).toSelf().inSingletonScope();
    container.bind(HttpConnectionValidator).toService(BrowserConnectionTokenBackendContribution);
    if (!container.isBound(HttpSafetyOptions)) {
        container.bind(HttpSafetyOptions).toConstantValue({ allowedHosts: [], maxUploadBytes: DEFAULT_MAX_UPLOAD_BYTES, ...options });
    }
    container.bind(HttpSafetyContribution).toSelf().inSingletonScope();

    const app = express();
    // As the backend: every contribution initializes, then early middleware runs first.
    container.get(BrowserConnectionTokenBackendContribution).initialize();
    container.get(HttpSafetyContribution).initialize();
    app.use(...container.get(EarlyExpressMiddleware).handlers);
    app.use(express.json());
    app.get('/', (_request, response) => response.send('<html>the app page</html>'));
    for (const endpoint of endpoints) {
        container.get(endpoint).configure!(app);
    }
    // Timeouts are checked every 100 ms rather than every 30 s, so a test can shorten them.
    const server = http.createServer({ connectionsCheckingInterval: 100 }, app);
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const base = `http://127.0.0.1:${port}`;
    return {
        handler: app, server, base, port,
        cookie: async () => (await fetch(`${base}/`)).headers.get('set-cookie')!.split(';')[0],
        close: () => new Promise<void>(resolve => {
            server.closeAllConnections();
            server.close(() => resolve());
        })
    };
}
