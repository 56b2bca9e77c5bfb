import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeColourPng } from '../../extensions/archive-core/src/node/test/tiny-models/colour-images';
import { writeTinyImageTextModel } from '../../extensions/archive-core/src/node/test/tiny-models/tiny-image-text-model';
import { AiFleetServer, startAiFleetServer } from './ai-fleet-server';
import { archiveValue, makeFleetTempFolder } from './fleet-test-archive';

const CLI = path.resolve(__dirname, '../../extensions/archive-core/lib/node/cli/imageparser.js');
const HEARTBEAT_MS = 1000;

/**
 * A worker outlives its server's restart: while the server is down its
 * calls fail and it keeps trying; the restarted server does not know its
 * session (410), so it registers again on its own and goes on with the new
 * jobs. Nothing is done twice: every asset's visual phase is done once.
 */
describe('imageparser worker across a server restart', () => {
    const temp = makeFleetTempFolder('imageparser-worker-reconnect-');
    const model = path.join(temp.folder, 'tiny-clip');
    const archive = path.join(temp.folder, 'archive');
    const settingsFile = path.join(temp.folder, 'user-settings.yaml');
    let server: AiFleetServer | undefined;
    let worker: ChildProcess | undefined;

    beforeAll(() => {
        writeTinyImageTextModel(model, 'clip');
        // This shared test machine's CPU runs near 100 %: CPU and memory are off the throttle (see worker-process-fixture.ts).
        fs.writeFileSync(settingsFile, 'worker:\n  throttle:\n    warning: { cpuPercent: 100, memoryPercent: 100 }\n'
            + '    danger: { cpuPercent: 100, memoryPercent: 100 }\n    critical: { cpuPercent: 100, memoryPercent: 100 }\n');
    });

    afterAll(async () => {
        if (worker?.exitCode === null) {
            worker.kill('SIGKILL');
        }
        await server?.close();
        temp.remove();
    });

    const start = (port = 0) => startAiFleetServer(archive, { visual: { provider: 'transformers', modelPath: model } }, HEARTBEAT_MS, port);
    const visualDone = () => archiveValue<number>(archive, "SELECT count(*) FROM phase_states WHERE phase = 'visual' AND state = 'done'");

    async function pictures(folder: string, count: number, width: number): Promise<string> {
        for (let i = 0; i < count; i++) {
            await writeColourPng(folder, `picture-${i}`, [40 * i, 200 - 30 * i, 90], width + i, 60);
        }
        return folder;
    }

    it('registers again with the restarted server and does its new jobs', async () => {
        server = await start();
        const port = Number(new URL(server.base).port);
        const token = await server.issueToken('재시작 테스트');
        await server.ingest(await pictures(path.join(temp.folder, 'art-1'), 4, 70));
        worker = spawn(process.execPath, [CLI, 'worker', '--server', server.base, '--role', 'visual', '--settings', settingsFile], {
            stdio: ['ignore', 'pipe', 'pipe'],
            env: { ...process.env, IMAGEPARSER_WORKER_TOKEN: token, IMAGEPARSER_VISUAL_MODEL: model, IMAGEPARSER_MODELS_MEMORY_MB: '256' }
        });
        const output: string[] = [];
        worker.stderr!.on('data', chunk => output.push(String(chunk)));
        const exited = new Promise<number | string>(resolve => worker!.once('exit', (code, signal) => resolve(signal ?? code ?? -1)));
        await until(() => visualDone() === 4, 60_000, () => `four images embedded before the restart: ${output.join('')}`);
        const firstSession = server.registry.sessions()[0].id;

        await server.close();
        server = undefined;
        // Down for a few heartbeats: the worker's calls fail and it keeps going.
        await new Promise(resolve => setTimeout(resolve, 3 * HEARTBEAT_MS));
        server = await start(port);
        await server.ingest(await pictures(path.join(temp.folder, 'art-2'), 3, 140));
        await until(() => visualDone() === 7, 60_000, () => `the three new images embedded after the restart (${visualDone()}): ${output.join('')}`);
        const sessions = server.registry.sessions().filter(each => !each.lost);
        expect(sessions).toHaveLength(1);
        expect(sessions[0].id).not.toBe(firstSession);
        expect(output.join('')).toMatch(/no longer knows session/);
        // Each asset's visual phase once: as many results as assets.
        expect(archiveValue<number>(archive, "SELECT count(*) FROM phase_states WHERE phase = 'visual'")).toBe(7);

        worker.kill('SIGTERM');
        expect(await exited).toBe(0);
    }, 150_000);
});

async function until(condition: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
        if (Date.now() > deadline) {
            throw new Error(`Gave up waiting for ${what()}`);
        }
        await new Promise(resolve => setTimeout(resolve, 25));
    }
}
