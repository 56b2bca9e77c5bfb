import { spawn } from 'child_process';
import * as net from 'net';
import IORedis from 'ioredis';
import { describe, expect, it } from 'vitest';
import { REDIS_SERVER, REDIS_WRAPPER, RedisTestServer } from './redis-test-server';

const alive = (pid: number) => {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
};

function freePort(): Promise<number> {
    return new Promise(resolve => {
        const server = net.createServer().listen(0, '127.0.0.1', () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
    });
}

/** The Redis harness every fleet test shares: a real server, ended however its test ends. */
describe('the Redis test server', () => {
    it('answers, is flushed, killed and restarted empty on the same port', async () => {
        const server = await RedisTestServer.start();
        const client = new IORedis(server.url, { maxRetriesPerRequest: null });
        try {
            await client.set('이름', '값');
            expect(await client.get('이름')).toBe('값');
            await server.flushAll();
            expect(await client.get('이름')).toBeNull();
            await client.set('kept', '1');
            await server.restart();
            // The client reconnects by itself to the new, empty server.
            expect(await client.get('kept')).toBeNull();
            expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
        } finally {
            client.disconnect();
            await server.stop();
        }
    });

    it('leaves no redis-server behind when the process that started it is killed with SIGKILL', async () => {
        // A stand-in for a test process: it starts the server through the harness's wrapper and is then killed.
        const starter = spawn(process.execPath, ['-e', `
            const { spawn } = require('child_process');
            const child = spawn('/bin/sh', ['-c', process.env.WRAPPER, 'redis-test-server', process.env.SERVER, '--port', process.env.PORT, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
                { stdio: ['pipe', 'pipe', 'inherit'] });
            child.stdout.on('data', chunk => process.stdout.write(chunk));
            setInterval(() => undefined, 1000);
        `], { env: { ...process.env, WRAPPER: REDIS_WRAPPER, SERVER: REDIS_SERVER, PORT: String(await freePort()) }, stdio: ['ignore', 'pipe', 'inherit'] });
        let output = '';
        const pid = await new Promise<number>(resolve => starter.stdout!.on('data', chunk => {
            output += String(chunk);
            const match = /redis-test-server-pid (\d+)/.exec(output);
            if (match) {
                resolve(Number(match[1]));
            }
        }));
        expect(alive(pid)).toBe(true);
        // It runs on its own until its starter dies.
        await new Promise(resolve => setTimeout(resolve, 500));
        expect(alive(pid)).toBe(true);
        starter.kill('SIGKILL');
        await expect.poll(() => alive(pid), { timeout: 5_000 }).toBe(false);
    });
});
