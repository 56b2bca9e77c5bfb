import * as http from 'http';
import type { AddressInfo } from 'net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../ingest/cli-process';
import { TcpProxy } from './tcp-proxy';

/** One GET through a fresh connection (no keep-alive): the status and body, or the error that ended it. */
function get(url: string): Promise<{ status: number; body: string } | { error: string }> {
    return new Promise(resolve => {
        const request = http.get(url, { agent: false }, response => {
            let body = '';
            response.setEncoding('utf8');
            response.on('data', chunk => body += chunk);
            response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
            response.on('error', error => resolve({ error: String(error) }));
        });
        request.on('error', error => resolve({ error: (error as NodeJS.ErrnoException).code ?? String(error) }));
    });
}

/**
 * The chaos tests' proxy between workers and server: bytes pass unchanged,
 * a `reset` cut fails requests in flight and new ones, a `hold` cut keeps
 * a request from reaching the server until the line is restored, and
 * after a restore requests pass again; a retarget follows a server that
 * came back on another port.
 */
describe('the chaos TCP proxy', () => {
    let target: http.Server;
    let other: http.Server;
    let proxy: TcpProxy;
    const received: string[] = [];
    /** Requests to /slow wait here until the test answers them. */
    const slow: http.ServerResponse[] = [];

    const listen = async (name: string) => {
        const server = http.createServer((request, response) => {
            received.push(`${name} ${request.url}`);
            if (request.url === '/slow') {
                slow.push(response);
                return;
            }
            response.end(`${name}: 안녕 ${request.url}`);
        });
        await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()));
        return server;
    };

    beforeAll(async () => {
        target = await listen('target');
        other = await listen('other');
        proxy = await new TcpProxy((target.address() as AddressInfo).port).start();
    });
    afterAll(async () => {
        await proxy.stop();
        for (const server of [target, other]) {
            server.closeAllConnections();
            await new Promise(resolve => server.close(resolve));
        }
    });

    it('passes requests, fails them while reset-cut, and passes them again once restored', async () => {
        expect(await get(`${proxy.url}/one`)).toEqual({ status: 200, body: 'target: 안녕 /one' });

        const inFlight = get(`${proxy.url}/slow`);
        await until(() => slow.length === 1, 10_000, 'the slow request at the target');
        proxy.cut('reset');
        expect(await inFlight).toEqual({ error: 'ECONNRESET' });
        expect(await get(`${proxy.url}/two`)).toHaveProperty('error');
        expect(received).not.toContain('target /two');
        slow.splice(0).forEach(response => response.destroy());

        proxy.restore();
        expect(await get(`${proxy.url}/three`)).toEqual({ status: 200, body: 'target: 안녕 /three' });
        expect(received).toEqual(['target /one', 'target /slow', 'target /three']);
    });

    it('holds a request during a hold cut and delivers it on restore', async () => {
        received.length = 0;
        proxy.cut('hold');
        const held = get(`${proxy.url}/held`);
        await until(() => proxy.waiting === 1, 10_000, 'the held connection at the proxy');
        // The connection is accepted by the proxy, yet nothing reached the server.
        expect(received).toEqual([]);
        proxy.restore();
        expect(await held).toEqual({ status: 200, body: 'target: 안녕 /held' });
        expect(received).toEqual(['target /held']);
    });

    it('sends new connections to a retargeted port', async () => {
        received.length = 0;
        proxy.retarget((other.address() as AddressInfo).port);
        expect(await get(`${proxy.url}/moved`)).toEqual({ status: 200, body: 'other: 안녕 /moved' });
        expect(received).toEqual(['other /moved']);
    });
});
