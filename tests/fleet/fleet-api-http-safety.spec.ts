import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import express from '@theia/core/shared/express';
import { EarlyExpressMiddleware } from '@theia/core/lib/node/backend-application';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FleetApi } from '../../extensions/workers/src/common/fleet-protocol';
import { RecordingPhase } from '../phases/recording-phase';
import { fleetApiEndpoint, httpSafety, httpSafetyOptions } from './fleet-compiled';
import { makeFleetTempFolder } from './fleet-test-archive';
import { FleetTestServer, startFleetTestServer } from './fleet-test-server';
import { registration } from './fleet-test-worker';

interface Answer {
    readonly status: number;
    readonly type: string;
    readonly body: string;
}

/** A request with a Host header of the test's choosing (fetch would not let it set one). */
function send(port: number, method: string, url: string, headers: http.OutgoingHttpHeaders, body?: string): Promise<Answer> {
    return new Promise((resolve, reject) => {
        const request = http.request({ host: '127.0.0.1', port, method, path: url, headers, setHost: false }, response => {
            let text = '';
            response.setEncoding('utf8');
            response.on('data', chunk => text += chunk);
            response.on('end', () => resolve({ status: response.statusCode!, type: String(response.headers['content-type'] ?? ''), body: text }));
        });
        request.on('error', reject);
        request.end(body);
    });
}

/**
 * The worker API inside the app's backend: behind archive-core's HTTP safety
 * (host names, same-origin state changes) and the backend's JSON parser, as
 * the backend orders them. Worker machines call it by the server's network
 * name, without the page's header: the token is what lets them in.
 */
describe('the worker API behind the backend HTTP safety', () => {
    let temp: { folder: string; remove: () => void };
    let fleet: FleetTestServer;
    let server: http.Server;
    let port: number;
    let token: string;

    beforeAll(async () => {
        temp = makeFleetTempFolder('imageparser-fleet-safety-');
        fleet = await startFleetTestServer(path.join(temp.folder, 'archive'), [new RecordingPhase('visual', ['parse'], 'clip-b32')]);
        token = await fleet.issueToken('safety');
        const container = fleet.container;
        container.bind(httpSafetyOptions.HttpSafetyOptions).toConstantValue({ allowedHosts: [], maxUploadBytes: 1024 });
        container.bind(EarlyExpressMiddleware).toSelf().inSingletonScope();
        container.bind(httpSafety.HttpSafetyContribution).toSelf().inSingletonScope();
        container.get(httpSafety.HttpSafetyContribution).initialize();
        const app = express();
        app.use(...container.get(EarlyExpressMiddleware).handlers);
        // As Theia's backend: a JSON parser (100 KiB) for the whole app, before any route.
        app.use(express.json());
        app.post('/services/changes', (_request, response) => response.status(200).send('changed'));
        container.get(fleetApiEndpoint.FleetApiEndpoint).configure(app);
        server = http.createServer(app);
        // As the backend does once it listens: each contribution's onStart gets the server.
        container.get(fleetApiEndpoint.FleetApiEndpoint).onStart(server);
        await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
        port = (server.address() as AddressInfo).port;
    });

    afterAll(async () => {
        await new Promise<void>(resolve => {
            server.close(() => resolve());
            server.closeAllConnections();
        });
        await fleet.close();
        temp.remove();
    });

    const json = (extra: http.OutgoingHttpHeaders = {}) => ({ 'Content-Type': 'application/json', Host: 'render-server.studio.lan:3000', ...extra });

    it('lets a worker with a token register by the server\'s network name, without the page\'s header', async () => {
        const answer = await send(port, 'POST', FleetApi.REGISTER, json({ Authorization: `Bearer ${token}` }), JSON.stringify(registration()));
        expect(answer.status).toBe(200);
        expect(JSON.parse(answer.body).sessionId).toBeTruthy();
    });

    it('still requires the token there, answering JSON', async () => {
        const answer = await send(port, 'POST', FleetApi.REGISTER, json(), JSON.stringify(registration()));
        expect(answer.status).toBe(401);
        expect(answer.type).toContain('application/json');
        expect(JSON.parse(answer.body).code).toBe('unauthorized');
    });

    it('keeps guarding every other route, and paths that only start like the API', async () => {
        expect((await send(port, 'POST', '/services/changes', json(), '{}')).status).toBe(403);
        expect((await send(port, 'POST', '/api/v1/../services/changes', json({ Authorization: `Bearer ${token}` }), '{}')).status).toBe(403);
        expect((await send(port, 'POST', '/api/v1/%2e%2e/services/changes', json({ Authorization: `Bearer ${token}` }), '{}')).status).toBe(403);
    });

    it('answers a body past the backend parser\'s limit as the API does (413, JSON)', async () => {
        const answer = await send(port, 'POST', FleetApi.HEARTBEAT, json({ Authorization: `Bearer ${token}` }), JSON.stringify({ pad: 'x'.repeat(200_000) }));
        expect(answer.status).toBe(413);
        expect(JSON.parse(answer.body).code).toBe('too-large');
    });

    it('keeps an idle worker connection open past Node\'s 5 s default, so a heartbeat never meets a connection the server just closed', async () => {
        const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
        const call = () => new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
            const request = http.request({ host: '127.0.0.1', port, method: 'POST', path: FleetApi.REGISTER, agent,
                headers: { ...json({ Authorization: `Bearer ${token}` }) } }, response => {
                response.resume();
                response.on('end', () => resolve({ status: response.statusCode!, reused: request.reusedSocket }));
            });
            request.on('error', reject);
            request.end(JSON.stringify(registration()));
        });
        try {
            expect(await call()).toEqual({ status: 200, reused: false });
            // Idle past Node's default keep-alive (5 s, closed about a second later): without the longer one the socket is gone by now.
            await new Promise(resolve => setTimeout(resolve, 7_500));
            expect(await call()).toEqual({ status: 200, reused: true });
        } finally {
            agent.destroy();
        }
    }, 30_000);
});
