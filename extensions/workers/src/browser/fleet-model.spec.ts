import * as fs from 'fs';
import * as path from 'path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Container } from '@theia/core/shared/inversify';
import { nls } from '@theia/core/lib/common/nls';
import type { WorkerCommand, WorkerRole } from '../common/fleet-protocol';
import { FleetOverview, FleetService, FleetWorker, IssuedWorkerToken, WorkerTokenInfo } from '../common/fleet-service';
import { scheduleText } from '../common/fleet-text';
import { FleetEvents } from './fleet-events';
import { FleetModel } from './fleet-model';
import { workerRows } from './fleet-worker-card';

function displayLanguage(language: 'ko' | undefined): void {
    (nls as { locale: string | undefined }).locale = language;
    nls.localization = language
        ? { languageId: language, translations: JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../locales/ko-KR.json'), 'utf8')) }
        : undefined;
}

function worker(sessionId: string, fields: Partial<FleetWorker> = {}): FleetWorker {
    return {
        sessionId, tokenId: 't1', tokenLabel: 'studio', role: 'caption', requestedRole: 'caption', state: 'active', connection: 'connected',
        machine: { hostname: `host-${sessionId}`, platform: 'linux', cpuModel: 'Ryzen', cpuCores: 16, memoryTotalMb: 65_536, gpus: [] },
        throttle: 'normal', counters: { done: 0, failed: 0, loads: 1, unloads: 0 }, jobsPerMinute: 0, lastHeartbeatAgeMs: 0,
        registeredAt: 0, startedBy: 'cli', local: false, ...fields
    };
}

function overview(workers: FleetWorker[], fields: Partial<FleetOverview> = {}): FleetOverview {
    return { workers, phases: [], engine: 'embedded', blocked: [], ...fields };
}

/** The backend as the panel sees it: an overview and tokens the test sets, and the calls it got. */
class RecordingFleetService implements FleetService {
    current: FleetOverview = overview([]);
    tokenList: WorkerTokenInfo[] = [];
    readonly calls: string[] = [];
    /** When set, overview() answers only when the test resolves it. */
    held: ((answer: FleetOverview) => void) | undefined;
    holdNext = false;

    overview(): Promise<FleetOverview> {
        if (this.holdNext) {
            this.holdNext = false;
            return new Promise(resolve => this.held = resolve);
        }
        return Promise.resolve(this.current);
    }
    async command(sessionId: string, command: WorkerCommand): Promise<void> {
        this.calls.push(`command ${sessionId} ${JSON.stringify(command)}`);
        if (!this.current.workers.some(each => each.sessionId === sessionId)) {
            throw new Error(`Unknown worker session ${sessionId}`);
        }
    }
    async unblock(hostname: string): Promise<void> {
        this.calls.push(`unblock ${hostname}`);
    }
    async tokens(): Promise<WorkerTokenInfo[]> {
        this.calls.push('tokens');
        return this.tokenList;
    }
    async issueToken(label: string): Promise<IssuedWorkerToken> {
        this.calls.push(`issue ${label}`);
        const info = { id: `id-${label}`, label, createdAt: '2026-11-30T20:00:00Z', sessions: 0 };
        this.tokenList = [...this.tokenList, info];
        return { ...info, token: `secret-of-${label}` };
    }
    async revokeToken(id: string): Promise<void> {
        this.calls.push(`revoke ${id}`);
    }
    async contributeThisMachine(role: WorkerRole): Promise<void> {
        this.calls.push(`contribute ${role}`);
        this.current = { ...this.current, localWorker: { role, pid: 42 } };
    }
    async stopContributing(): Promise<void> {
        this.calls.push('stopContributing');
        this.current = { ...this.current, localWorker: undefined };
    }
}

describe('FleetModel', () => {
    let service: RecordingFleetService;
    let events: FleetEvents;
    let model: FleetModel;

    beforeEach(() => {
        const container = new Container();
        service = new RecordingFleetService();
        container.bind(FleetService).toConstantValue(service);
        container.bind(FleetEvents).toSelf().inSingletonScope();
        container.bind(FleetModel).toSelf().inSingletonScope();
        events = container.get(FleetEvents);
        model = container.get(FleetModel);
    });

    afterEach(() => {
        displayLanguage(undefined);
        vi.useRealTimers();
    });

    it('shows the workers and queues the backend answers, then each overview it sends, with heartbeat ages growing between them', async () => {
        service.current = overview([worker('a', { lastHeartbeatAgeMs: 1500 })], {
            phases: [{ phase: 'caption', model: 'tiny-vlm', queued: 7, leased: 1, done: 2, failed: 0, ratePerMinute: 3, workers: 1 }]
        });
        expect(model.state).toBe('loading');
        model.start();
        await vi.waitFor(() => expect(model.state).toBe('ready'));
        expect(model.workers.map(each => each.sessionId)).toEqual(['a']);
        expect(model.phases[0].queued).toBe(7);

        vi.useFakeTimers({ toFake: ['Date'] });
        await model.refresh();
        expect(model.heartbeatAgeMs(model.find('a')!)).toBe(1500);

        // A lost worker sends nothing: its age keeps growing on the page until the next overview.
        vi.advanceTimersByTime(4000);
        expect(model.heartbeatAgeMs(model.find('a')!)).toBe(5500);

        const changes = vi.fn();
        model.onDidChange(changes);
        events.onFleetChanged(overview([worker('a', { lastHeartbeatAgeMs: 200, state: 'paused' }), worker('b', { role: 'visual' })]));
        expect(changes).toHaveBeenCalled();
        expect(model.find('a')?.state).toBe('paused');
        expect(model.heartbeatAgeMs(model.find('a')!)).toBe(200);
        expect(model.workers.map(each => each.role)).toEqual(['caption', 'visual']);
    });

    it('keeps a newer notice when the answer to an older request arrives after it', async () => {
        model.start();
        await vi.waitFor(() => expect(model.state).toBe('ready'));
        service.holdNext = true;
        const refreshing = model.refresh();
        events.onFleetChanged(overview([worker('new')]));
        service.held!(overview([worker('old')]));
        await refreshing;
        expect(model.workers.map(each => each.sessionId)).toEqual(['new']);
    });

    it('passes worker commands to the backend, marks the worker busy meanwhile, and reports a refusal', async () => {
        service.current = overview([worker('a')]);
        model.start();
        await vi.waitFor(() => expect(model.state).toBe('ready'));
        const pausing = model.pause('a');
        expect(model.isBusy('a')).toBe(true);
        await pausing;
        expect(model.isBusy('a')).toBe(false);
        await model.resume('a');
        await model.changeRole('a', 'visual');
        await model.stop('a');
        await model.block('a');
        await expect(model.pause('gone')).rejects.toThrow('Unknown worker session gone');
        expect(model.isBusy('gone')).toBe(false);
        expect(service.calls.filter(call => call.startsWith('command'))).toEqual([
            'command a {"kind":"pause"}',
            'command a {"kind":"resume"}',
            'command a {"kind":"change-role","role":"visual"}',
            'command a {"kind":"stop"}',
            'command a {"kind":"block"}',
            'command gone {"kind":"pause"}'
        ]);
        await model.unblock('host-a');
        expect(service.calls).toContain('unblock host-a');
    });

    it('holds an issued token\'s secret until dismissed, lists tokens, refuses an empty label, and forgets the secret of a revoked token', async () => {
        model.start();
        await vi.waitFor(() => expect(service.calls).toContain('tokens'));
        await expect(model.issueToken('   ')).rejects.toThrow('A worker token needs a label.');
        expect(service.calls.filter(call => call.startsWith('issue'))).toEqual([]);

        const issued = await model.issueToken('  스튜디오 GPU 3 ');
        expect(issued.token).toBe('secret-of-스튜디오 GPU 3');
        expect(model.issued?.token).toBe('secret-of-스튜디오 GPU 3');
        expect(model.tokens.map(each => each.label)).toEqual(['스튜디오 GPU 3']);
        model.dismissIssued();
        expect(model.issued).toBeUndefined();

        await model.issueToken('night');
        await model.revokeToken('id-night');
        expect(model.issued).toBeUndefined();
        expect(service.calls).toContain('revoke id-night');
    });

    it('asks for the tokens again when workers come or go (their session counts change)', async () => {
        model.start();
        await vi.waitFor(() => expect(model.state).toBe('ready'));
        await vi.waitFor(() => expect(service.calls.filter(call => call === 'tokens')).toHaveLength(1));
        events.onFleetChanged(overview([]));
        events.onFleetChanged(overview([worker('a')]));
        await vi.waitFor(() => expect(service.calls.filter(call => call === 'tokens')).toHaveLength(2));
        events.onFleetChanged(overview([worker('a', { lastHeartbeatAgeMs: 900 })]));
        await Promise.resolve();
        expect(service.calls.filter(call => call === 'tokens')).toHaveLength(2);
    });

    it('contributes this machine and stops it, showing the local worker the backend reports', async () => {
        model.start();
        await vi.waitFor(() => expect(model.state).toBe('ready'));
        await model.contribute('visual');
        expect(model.localWorker).toEqual({ role: 'visual', pid: 42 });
        expect(model.contributionBusy).toBe(false);
        await model.stopContributing();
        expect(model.localWorker).toBeUndefined();
        expect(service.calls).toEqual(expect.arrayContaining(['contribute visual', 'stopContributing']));
    });

    it('says why when the backend cannot answer', async () => {
        service.overview = async () => {
            throw new Error('No FleetService is bound');
        };
        model.start();
        await vi.waitFor(() => expect(model.state).toBe('unavailable'));
        expect(model.error).toBe('No FleetService is bound');
    });
});

describe('what the fleet panel says about a worker', () => {
    afterEach(() => displayLanguage(undefined));

    const gpuWorker = worker('g', {
        role: 'visual', requestedRole: 'auto', state: 'resting', throttle: 'danger', jobsPerMinute: 7.5, lastHeartbeatAgeMs: 0,
        machine: { hostname: '작업실-3', platform: 'linux', cpuModel: 'Ryzen', cpuCores: 16, memoryTotalMb: 65_536, gpus: [{ name: 'RTX 4090', memoryTotalMb: 24_576 }] },
        resources: { gpuTemperatureC: 91, gpuMemoryPercent: 62.4, gpuUtilizationPercent: 99, cpuPercent: 35, memoryPercent: 48, throttle: 'danger' },
        schedule: { activeHours: '22:00-08:00', activeDays: ['mon', 'tue', 'wed', 'thu', 'fri'], timezone: 'Asia/Seoul', idleUnloadMinutes: 10 },
        currentJob: { assetId: 17, phase: 'visual', name: '포스터.psd' },
        counters: { done: 1234, failed: 2, loads: 1, unloads: 0 }
    });
    const rows = (each: FleetWorker, age = 4000) => Object.fromEntries(workerRows(each, age).map(([kind, label, value]) => [kind, `${label}: ${value}`]));

    it('in English: role asked and given, schedule across midnight, GPU and machine metrics, current job, throughput, heartbeat age', () => {
        const shown = rows(gpuWorker, 65_000);
        expect(shown.role).toBe('Role: Image embeddings (asked for Automatic)');
        expect(shown.state).toBe('State: Resting');
        expect(shown.schedule).toBe('Schedule: 22:00-08:00, Mon, Tue, Wed, Thu, Fri (Asia/Seoul)');
        expect(shown['gpu-temperature']).toBe('GPU temperature: 91°C');
        expect(shown['gpu-memory']).toBe('GPU memory: 62%');
        expect(shown.cpu).toBe('CPU: 35%');
        expect(shown.throttle).toBe('Throttle level: Danger: resting');
        expect(shown.job).toBe('Current job: Image embeddings: 포스터.psd');
        expect(shown.throughput).toBe('Throughput: 7.5 per minute');
        expect(shown.done).toBe('Jobs done: 1,234');
        expect(shown.heartbeat).toBe('Last heartbeat: 1m 5s ago');
        expect(shown.machine).toBe('Machine: 16 CPU cores, 64 GB memory; RTX 4090 (24 GB)');
    });

    it('without a GPU and without a schedule: no GPU rows, all day every day, no current job', () => {
        const shown = rows(worker('c', { resources: { cpuPercent: 12, memoryPercent: 30, throttle: 'normal' } }));
        expect(Object.keys(shown).filter(kind => kind.startsWith('gpu'))).toEqual([]);
        expect(shown.schedule).toBe('Schedule: All day, every day');
        expect(shown.job).toBe('Current job: None');
        expect(shown.role).toBe('Role: Captions');
        expect(scheduleText({ activeDays: ['sat', 'sun', 'mon', 'tue', 'wed', 'thu', 'fri'], idleUnloadMinutes: 0 })).toBe('All day, every day');
    });

    it('in Korean', () => {
        displayLanguage('ko');
        const shown = rows(gpuWorker, 65_000);
        expect(shown.role).toBe('역할: 이미지 임베딩 (요청: 자동)');
        expect(shown.schedule).toBe('일정: 22:00-08:00, 월, 화, 수, 목, 금 (Asia/Seoul)');
        expect(shown.state).toBe('상태: 휴식 중');
        expect(shown.throughput).toBe('처리량: 분당 7.5개');
        expect(shown.heartbeat).toBe('마지막 하트비트: 1분 5초 전');
        expect(shown.failed).toBe('실패한 작업: 2');
    });
});
