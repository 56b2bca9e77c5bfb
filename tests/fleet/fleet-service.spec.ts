import * as path from 'path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FleetOverview } from '../../extensions/workers/src/common/fleet-service';
import type { FleetServiceImpl } from '../../extensions/workers/src/node/server/fleet-service-impl';
import { writeNoisePngs } from '../ingest/generated-images';
import { RecordingPhase } from '../phases/recording-phase';
import { fleetServiceImpl } from './fleet-compiled';
import { makeFleetTempFolder } from './fleet-test-archive';
import { beat, FleetTestWorker, registration } from './fleet-test-worker';
import { FleetTestServer, startFleetTestServer } from './fleet-test-server';

/** The fleet panel's RPC service over a real server with workers calling it over HTTP. */
describe('FleetService', () => {
    let temp: { folder: string; remove: () => void };
    let server: FleetTestServer;
    let service: FleetServiceImpl;
    const told: FleetOverview[] = [];

    beforeEach(async () => {
        temp = makeFleetTempFolder('imageparser-fleet-service-');
        await writeNoisePngs(path.join(temp.folder, 'images'), 5, 32, 11);
        server = await startFleetTestServer(path.join(temp.folder, 'archive'),
            [new RecordingPhase('caption', ['parse'], 'vlm-7b', 1), new RecordingPhase('visual', ['parse'], 'clip-b32', 4)]);
        await server.ingest(path.join(temp.folder, 'images'));
        service = server.container.get(fleetServiceImpl.FleetServiceImpl);
        told.length = 0;
        service.setClient({ onFleetChanged: overview => told.push(overview) });
    });

    afterEach(async () => {
        service.dispose();
        await server.close();
        temp.remove();
    });

    it('shows each worker session with its role, resources, schedule, throughput and heartbeat age, and each phase queue', async () => {
        const issued = await service.issueToken('2층 작업실');
        expect(issued.token).toMatch(/^ipw1\./);
        const caption = new FleetTestWorker(server.base, issued.token);
        const visual = new FleetTestWorker(server.base, issued.token);
        await caption.register(registration({ hostname: 'gpu-a', role: 'caption', schedule: { activeHours: '22:00-08:00', timezone: 'Asia/Seoul', idleUnloadMinutes: 10 } }));
        await visual.register(registration({ hostname: 'gpu-b', role: 'visual' }));
        await caption.heartbeat(beat({ resources: { gpuTemperatureC: 83, gpuMemoryPercent: 71, gpuUtilizationPercent: 97, cpuPercent: 20, memoryPercent: 50, throttle: 'warning' } }));
        const [job] = await visual.claim(1);
        await visual.complete(job.leaseToken, { kind: 'done', result: {} });
        await visual.heartbeat(beat({ currentJob: { assetId: 2, phase: 'visual' }, counters: { done: 1, failed: 0, loads: 1, unloads: 0 } }));

        const overview = await service.overview();
        expect(overview.engine).toBe('embedded');
        const byHost = new Map(overview.workers.map(worker => [worker.machine.hostname, worker]));
        expect(byHost.get('gpu-a')).toMatchObject({
            role: 'caption', requestedRole: 'caption', connection: 'connected', throttle: 'warning', tokenLabel: '2층 작업실',
            schedule: { activeHours: '22:00-08:00', timezone: 'Asia/Seoul' }, resources: { gpuTemperatureC: 83 }
        });
        expect(byHost.get('gpu-b')).toMatchObject({ role: 'visual', currentJob: { assetId: 2, phase: 'visual', name: expect.stringMatching(/^noise-\d\.png$/) }, counters: { done: 1 } });
        expect(byHost.get('gpu-b')!.jobsPerMinute).toBeGreaterThan(0);
        expect(byHost.get('gpu-a')!.jobsPerMinute).toBe(0);
        expect(byHost.get('gpu-a')!.lastHeartbeatAgeMs).toBeLessThan(5000);
        const phases = new Map(overview.phases.map(phase => [phase.phase, phase]));
        expect(phases.get('caption')).toMatchObject({ model: 'vlm-7b', queued: 5, leased: 0, done: 0, workers: 1 });
        expect(phases.get('visual')).toMatchObject({ model: 'clip-b32', queued: 4, done: 1, workers: 1 });
        expect(phases.has('parse')).toBe(false);
        // The client was told of the change, with the latest state.
        await expect.poll(() => told.at(-1)?.workers.length).toBe(2);
    });

    it('sends a command to a worker through its next heartbeat, and revoking its token refuses its next call', async () => {
        const issued = await service.issueToken('laptop');
        const worker = new FleetTestWorker(server.base, issued.token);
        await worker.register(registration({ hostname: 'laptop' }));
        await service.command(worker.sessionId!, { kind: 'pause' });
        expect((await worker.heartbeat()).body.commands).toEqual([{ kind: 'pause' }]);
        await expect(service.command(worker.sessionId!, { kind: 'explode' } as never)).rejects.toThrow(/no worker command/);
        expect(await service.tokens()).toEqual([expect.objectContaining({ id: issued.id, label: 'laptop', sessions: 1 })]);
        await service.revokeToken(issued.id);
        expect((await service.tokens())[0].revokedAt).toBeDefined();
        expect(await worker.heartbeat()).toMatchObject({ status: 401, body: { code: 'revoked' } });
        expect((await service.overview()).workers[0].connection).toBe('lost');
        await expect(service.issueToken('  ')).rejects.toThrow(/needs a label/);
    });

    it('says clearly that this machine cannot contribute when no worker launcher is bound', async () => {
        await expect(service.contributeThisMachine('all')).rejects.toThrow(/cannot start a worker/);
        await expect(service.contributeThisMachine('painter' as never)).rejects.toThrow(/no worker role/);
    });
});
