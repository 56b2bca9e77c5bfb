import * as fs from 'fs';
import * as path from 'path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FleetApi } from '../../extensions/workers/src/common/fleet-protocol';
import { until, WorkerProcessFixture } from './worker-process-fixture';

/**
 * `imageparser worker` at work, against a scripted worker API (see
 * worker-process-fixture.ts): the tiny CLIP model embeds real previews served
 * by asset id and stays loaded for every batch, the governor's word reaches
 * the claims, commands from heartbeat answers are honoured.
 */
describe('imageparser worker (process) at work', () => {
    const f = new WorkerProcessFixture();
    beforeAll(() => f.setUp());
    afterEach(() => f.reset());
    afterAll(() => f.tearDown());

    it('embeds every job with its model loaded once for all batches, honours pause and resume, and stops on command', async () => {
        f.queued.visual = Array.from({ length: 12 }, (_, i) => i + 1);
        const worker = f.startWorker(['--server', f.server.url, '--token', 'worker-token-1', '--role', 'visual']);
        await until(() => f.completions().length === 12, 60_000, 'twelve visual jobs completed').catch(error => {
            throw new Error(`${error.message}; the worker said: ${worker.stderr.join('')}; requests: ${f.server.received.map(request => request.path).slice(0, 30).join(' ')}`);
        });
        const results = f.completions().map(request => (request.body as { result: { kind: string; result: { model: string; dimensions: number } } }).result);
        expect(results.every(result => result.kind === 'done' && result.result.model === f.models.visual && result.result.dimensions === 32)).toBe(true);
        const batches = f.server.to(FleetApi.CLAIM).filter(() => true).length;
        await until(() => f.heartbeats().some(beat => beat.counters.done === 12), 10_000, 'a heartbeat counting twelve done');
        const counted = f.heartbeats().find(beat => beat.counters.done === 12)!;
        console.log(`visual worker: 12 jobs in ${batches} claims, counters ${JSON.stringify(counted.counters)}`);
        // The model loaded once and stayed for every batch.
        expect(counted.counters).toMatchObject({ done: 12, failed: 0, loads: 1, unloads: 0 });
        expect(counted.leaseTokens).toEqual([]);
        expect(f.server.to(FleetApi.REGISTER)[0].body).toMatchObject({
            role: 'visual', startedBy: 'cli', protocol: 1,
            models: { visual: expect.stringContaining('tiny-clip'), text: expect.stringContaining('tiny-sentence'), caption: expect.stringContaining('test-vlm') }
        });

        // Pause: the heartbeat after the one that carried it says paused, and nothing more is claimed.
        f.commands = [{ kind: 'pause' }];
        const sentAt = f.heartbeats().length;
        await until(() => f.heartbeats().slice(sentAt + 1).some(beat => beat.state === 'paused'), 5_000, 'a heartbeat saying paused');
        const claimsWhenPaused = f.server.to(FleetApi.CLAIM).length;
        f.queued.visual = [13, 14, 15];
        const pausedBeats = f.heartbeats().length;
        await until(() => f.heartbeats().length >= pausedBeats + 3, 5_000, 'three more heartbeats while paused');
        expect(f.server.to(FleetApi.CLAIM).length).toBe(claimsWhenPaused);
        expect(f.queued.visual).toEqual([13, 14, 15]);

        f.commands = [{ kind: 'resume' }];
        await until(() => f.completions().length === 15, 30_000, 'the jobs f.queued while paused done after resume');
        await until(() => f.heartbeats().some(beat => beat.counters.done === 15), 10_000, 'a heartbeat counting fifteen done');
        expect(f.heartbeats().find(beat => beat.counters.done === 15)!.counters).toMatchObject({ loads: 1, unloads: 0 });

        f.commands = [{ kind: 'stop' }];
        expect(await worker.exited).toBe(0);
        expect(worker.stderr.join('')).toMatch(/worker stopped: 15 done, 0 failed, 1 model load, 1 unload/);
    }, 120_000);

    it('follows its governor: half batches at warning, no claims and "paused" reported at critical', async () => {
        const throttled = (level: 'warning' | 'critical') => {
            const file = path.join(f.folder, `${level}-settings.yaml`);
            // Memory past 0 % always passes the limit: this machine is at that level the whole run.
            // Critical at 0 needs the levels below it at 0 too (a level's limit is never above the next one's).
            const below = level === 'critical' ? 0 : 100;
            fs.writeFileSync(file, `worker:\n  throttle:\n    warning: { cpuPercent: 100, memoryPercent: ${level === 'warning' ? 0 : below} }\n`
                + `    danger: { cpuPercent: 100, memoryPercent: ${below} }\n    critical: { cpuPercent: 100, memoryPercent: ${level === 'critical' ? 0 : 100} }\n`
                + '    warningPauseMs: 0\n    dangerRestMs: 300\n');
            return file;
        };
        f.queued.visual = [1, 2, 3, 4, 5, 6];
        const normal = f.startWorker(['--server', f.server.url, '--token', 'worker-token-1', '--role', 'visual']);
        await until(() => f.completions().length === 6, 60_000, 'six jobs at normal');
        const fullBatch = (f.server.to(FleetApi.CLAIM)[0].body as { max: number }).max;
        normal.child.kill('SIGTERM');
        await normal.exited;
        f.server.received.splice(0);

        f.queued.visual = [7, 8, 9];
        const warned = f.startWorker(['--server', f.server.url, '--token', 'worker-token-1', '--role', 'visual', '--settings', throttled('warning')]);
        await until(() => f.completions().length === 3, 60_000, 'three jobs at warning');
        const maxes = f.server.to(FleetApi.CLAIM).map(request => (request.body as { max: number }).max);
        console.log(`claim size at normal ${fullBatch}, at warning ${[...new Set(maxes)].join('/')}`);
        expect(fullBatch).toBeGreaterThan(1);
        // Half the batch the model's memory allows (which shrinks a little once the model's weights hold their share).
        expect(maxes.every(max => max >= 1 && max <= Math.floor(fullBatch / 2))).toBe(true);
        expect(f.heartbeats().at(-1)!.resources.throttle).toBe('warning');
        warned.child.kill('SIGTERM');
        await warned.exited;
        f.server.received.splice(0);

        f.queued.visual = [10, 11];
        const critical = f.startWorker(['--server', f.server.url, '--token', 'worker-token-1', '--role', 'visual', '--settings', throttled('critical')]);
        await until(() => f.heartbeats().length >= 4, 30_000, 'four heartbeats at critical');
        expect(f.heartbeats().slice(1).every(beat => beat.state === 'paused' && beat.resources.throttle === 'critical')).toBe(true);
        expect(f.server.to(FleetApi.CLAIM)).toHaveLength(0);
        expect(f.queued.visual).toEqual([10, 11]);
        critical.child.kill('SIGTERM');
        expect(await critical.exited).toBe(0);
    }, 150_000);

    it('changes role on command: the old phase stops, its model unloads, the new phase runs', async () => {
        f.queued.visual = [1, 2, 3];
        const worker = f.startWorker(['--server', f.server.url, '--token', 'worker-token-1', '--role', 'visual']);
        await until(() => f.completions().length === 3, 60_000, 'three visual jobs');
        f.commands = [{ kind: 'change-role', role: 'text' }];
        const changedAt = f.server.received.length;
        const claimsOf = (from: number) => f.server.received.slice(from).filter(request => request.path.startsWith(FleetApi.CLAIM))
            .map(request => (request.body as { phases: string[] }).phases.join());
        await until(() => claimsOf(changedAt).includes('text'), 30_000, 'a claim of the text phase');
        const textFrom = f.server.received.length;
        f.queued.visual = [4, 5];
        f.queued.text = [6, 7, 8, 9];
        await until(() => f.completions().length === 7, 60_000, 'four text jobs after the change');
        const textResults = f.completions().slice(3).map(request => (request.body as { result: { result: { model: string } } }).result.result.model);
        expect(textResults.every(model => model === f.models.text)).toBe(true);
        // After the change only the text phase is claimed: the visual jobs are left to other workers.
        expect(claimsOf(textFrom).every(phases => phases === 'text')).toBe(true);
        expect(f.queued.visual).toEqual([4, 5]);
        await until(() => f.heartbeats().some(beat => beat.counters.done === 7), 10_000, 'a heartbeat counting seven done');
        const counters = f.heartbeats().find(beat => beat.counters.done === 7)!.counters;
        console.log(`after change-role visual → text: ${JSON.stringify(counters)}`);
        // The visual model was unloaded when the role changed; the text model loaded for the new role.
        expect(counters).toMatchObject({ done: 7, loads: 2, unloads: 1 });
        worker.child.kill('SIGTERM');
        expect(await worker.exited).toBe(0);
    }, 120_000);
});
