import { spawn } from 'child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FleetApi } from '../../extensions/workers/src/common/fleet-protocol';
// Compiled, as the command runs (archive-core's sources and its compiled modules would declare the same errors twice).
import { parseWorkerArguments } from '@imageparser/workers/lib/node/cli/worker-command';
import { ScriptedFleetServer } from './scripted-fleet-server';
import { CLI, isAlive, until, WorkerProcessFixture } from './worker-process-fixture';

/**
 * How an `imageparser worker` process starts and ends, against a scripted
 * worker API (see worker-process-fixture.ts): it gives the job in hand back
 * on SIGTERM, never reads stdin, dies with its parent (IPC disconnect or
 * parent pid gone), refuses wrong arguments, stops on a revoked token and
 * keeps trying while its server is down.
 */
describe('imageparser worker (process) start and end', () => {
    const f = new WorkerProcessFixture();
    beforeAll(() => f.setUp());
    afterEach(() => f.reset());
    afterAll(() => f.tearDown());

    it('on SIGTERM gives the job it works on back to the server and exits', async () => {
        // The caption endpoint takes long: the job is in hand when the signal comes.
        f.captions.mode = 'slow';
        f.captions.slowMs = 60_000;
        f.queued.caption = [1];
        const worker = f.startWorker(['--server', f.server.url, '--token', 'worker-token-1', '--role', 'caption']);
        await until(() => f.captions.requests >= 1, 60_000, 'the caption request under way');
        worker.child.kill('SIGTERM');
        expect(await worker.exited).toBe(0);
        const released = f.server.received.filter(request => request.path.endsWith('/release')).map(request => request.path);
        expect(released).toEqual([`${FleetApi.JOBS}/lease-${f.leases}/release`]);
        expect(f.completions()).toHaveLength(0);
    }, 90_000);

    it('exits when its parent goes away (IPC disconnect)', async () => {
        const worker = f.startWorker(['--server', f.server.url, '--token', 'worker-token-1', '--role', 'visual'], { ipc: true });
        await until(() => f.heartbeats().length >= 1, 30_000, 'the worker heartbeating');
        worker.child.disconnect();
        expect(await worker.exited).toBe(0);
        expect(worker.stderr.join('')).toMatch(/parent process is gone/);
    }, 60_000);

    it('exits when its parent is killed (no IPC: the parent pid check)', async () => {
        const parentScript = `const { spawn } = require('child_process');
const child = spawn(process.execPath, ${JSON.stringify([CLI, 'worker', '--server', f.server.url, '--token', 'worker-token-1', '--role', 'visual'])},
    { stdio: ['pipe', 'ignore', 'ignore'], env: { ...process.env, IMAGEPARSER_VISUAL_MODEL: ${JSON.stringify(f.modelFolder)}, IMAGEPARSER_WORKER_SETTINGS: ${JSON.stringify(f.settingsFile)} } });
process.stdout.write(String(child.pid) + '\\n');
setInterval(() => undefined, 1000);`;
        const parent = spawn(process.execPath, ['-e', parentScript], { stdio: ['ignore', 'pipe', 'inherit'] });
        f.track(parent);
        const workerPid = await new Promise<number>(resolve => parent.stdout!.once('data', chunk => resolve(Number(String(chunk).trim()))));
        await until(() => f.heartbeats().length >= 1, 30_000, 'the worker heartbeating');
        parent.kill('SIGKILL');
        await until(() => !isAlive(workerPid), 15_000, 'the orphaned worker to exit');
    }, 60_000);

    it('refuses wrong arguments with status 2 and a revoked token with status 1', async () => {
        const noServer = f.startWorker(['--token', 'worker-token-1']);
        expect(await noServer.exited).toBe(2);
        expect(noServer.stderr.join('')).toMatch(/--server is needed/);
        const badRole = f.startWorker(['--server', f.server.url, '--token', 'worker-token-1', '--role', 'painter']);
        expect(await badRole.exited).toBe(2);
        expect(badRole.stderr.join('')).toMatch(/--role must be one of caption, visual, text, ocr, all, auto, not painter/);

        const refusing = await ScriptedFleetServer.start(() => ({ status: 401, body: { code: 'revoked', message: 'This token was revoked' } }));
        try {
            const revoked = f.startWorker(['--server', refusing.url, '--token', 'worker-token-1', '--role', 'visual']);
            expect(await revoked.exited).toBe(1);
            expect(revoked.stderr.join('')).toMatch(/refused this worker: .*401 This token was revoked/);

            // Revoked while it runs: its next heartbeat is refused, it stops and exits 1 too.
            let beats = 0;
            refusing.script = request => request.path === FleetApi.REGISTER
                ? { status: 200, body: { sessionId: 'r-1', role: 'visual', phases: [], heartbeatMs: 200, leaseMs: 30_000 } }
                : request.path === FleetApi.HEARTBEAT && ++beats > 2 ? { status: 401, body: { code: 'revoked', message: 'This token was revoked' } }
                    : request.path === FleetApi.HEARTBEAT ? { status: 200, body: { commands: [], role: 'visual', lostLeases: [], phases: [] } }
                        : { status: 200, body: { jobs: [] } };
            const later = f.startWorker(['--server', refusing.url, '--token', 'worker-token-1', '--role', 'visual']);
            expect(await later.exited).toBe(1);
            expect(later.stderr.join('')).toMatch(/worker registered[\s\S]*refused this worker: .*401 This token was revoked/);
        } finally {
            await refusing.close();
        }
    }, 60_000);

    it('keeps trying to register while the server is down, and a SIGTERM then ends it with status 0', async () => {
        const down = await ScriptedFleetServer.start(() => ({ status: 503, body: { code: 'starting', message: 'not yet' } }));
        const url = down.url;
        await down.close();
        const worker = f.startWorker(['--server', url, '--token', 'worker-token-1', '--role', 'visual']);
        await until(() => /registering again in/.test(worker.stderr.join('')), 30_000, 'a second try to register');
        worker.child.kill('SIGTERM');
        expect(await worker.exited).toBe(0);
    }, 60_000);

    it('reads the server and token from the environment and the role defaults to auto', () => {
        expect(parseWorkerArguments([], { IMAGEPARSER_SERVER_URL: 'http://server:3000', IMAGEPARSER_WORKER_TOKEN: 'abc' }))
            .toMatchObject({ server: 'http://server:3000', token: 'abc', role: 'auto' });
        expect(parseWorkerArguments(['--server=http://a:1', '--token', 'x', '--settings', 'user-settings.yaml'], {}))
            .toMatchObject({ server: 'http://a:1', token: 'x', settings: 'user-settings.yaml' });
        expect(parseWorkerArguments(['--token'], {})).toEqual({ error: '--token needs a value' });
        expect(parseWorkerArguments(['serve'], {})).toEqual({ error: 'unexpected argument serve' });
    });
});
