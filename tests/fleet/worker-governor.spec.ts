import { Container } from '@theia/core/shared/inversify';
import { describe, expect, it } from 'vitest';
import type { WorkerSchedule } from '../../extensions/workers/src/common/fleet-protocol';
import { DEFAULT_WORKER_SETTINGS, WorkerSettings } from '../../extensions/workers/src/common/worker-settings';
import { GovernorInput, ResourceSample, WorkerGovernor } from '../../extensions/workers/src/node/runtime/worker-governor';
import { bindWorkerGovernor } from '../../extensions/workers/src/node/runtime/worker-governor-bindings';

const MINUTE = 60_000;
const container = new Container();
bindWorkerGovernor(container.bind.bind(container));
const governor = container.get<WorkerGovernor>(WorkerGovernor);

/** A machine at rest: no GPU pressure, a quiet CPU. */
const calm: ResourceSample = { gpuTemperatureC: 55, gpuMemoryPercent: 30, gpuUtilizationPercent: 40, cpuPercent: 20, memoryPercent: 40 };

/** An instant given as wall-clock time in Seoul (UTC+9 all year). */
function seoul(day: string, time: string): number {
    return Date.parse(`${day}T${time}:00+09:00`);
}

function settings(schedule: Partial<WorkerSchedule> = {}, throttle: Partial<WorkerSettings['throttle']> = {}): WorkerSettings {
    return {
        schedule: { ...DEFAULT_WORKER_SETTINGS.schedule, ...schedule },
        throttle: { ...DEFAULT_WORKER_SETTINGS.throttle, ...throttle }
    };
}

function input(now: number, more: Partial<GovernorInput> = {}): GovernorInput {
    return { now, resources: calm, lastWorkAt: now - MINUTE, queueHadWork: true, pausedByAdmin: false, modelLoaded: true, ...more };
}

const night = settings({ activeHours: '22:00-08:00', timezone: 'Asia/Seoul' });

describe('WorkerGovernor schedule', () => {
    it('works inside its hours at full batches and rests outside them with the model unloaded and no claims', () => {
        const inside = governor.decide(input(seoul('2026-12-02', '23:30')), night);
        expect(inside).toEqual({ state: 'active', throttle: 'normal', claim: true, batchScale: 1, waitMs: 0, unloadModel: false, loadModel: false, reportPaused: false });
        const outside = governor.decide(input(seoul('2026-12-02', '12:00')), night);
        expect(outside).toMatchObject({ state: 'idle', claim: false, unloadModel: true, loadModel: false, reportPaused: false });
    });

    it('follows hours across midnight minute by minute', () => {
        const states = ['21:59', '22:00', '23:59', '00:00', '03:00', '07:59', '08:00', '12:00']
            .map(time => governor.decide(input(seoul('2026-12-03', time)), night).state);
        expect(states).toEqual(['idle', 'active', 'active', 'active', 'active', 'active', 'idle', 'idle']);
    });

    it('counts hours across midnight to the day they start on', () => {
        // 2026-12-04 is a Friday.
        const fridayNights = settings({ activeHours: '22:00-08:00', activeDays: ['fri'], timezone: 'Asia/Seoul' });
        const at = (day: string, time: string) => governor.decide(input(seoul(day, time)), fridayNights).state;
        expect(at('2026-12-04', '23:00')).toBe('active');
        expect(at('2026-12-05', '03:00')).toBe('active');
        expect(at('2026-12-04', '03:00')).toBe('idle');
        expect(at('2026-12-05', '23:00')).toBe('idle');
        expect(at('2026-12-05', '08:00')).toBe('idle');
    });

    it('keeps to its days, all day when no hours are set', () => {
        const weekdays = settings({ activeDays: ['mon', 'tue', 'wed', 'thu', 'fri'], timezone: 'Asia/Seoul' });
        // Saturday 2026-12-05 and Sunday 2026-12-06 in Seoul; Monday begins at Seoul's midnight, Sunday 15:00 UTC.
        expect(governor.decide(input(seoul('2026-12-05', '12:00')), weekdays).state).toBe('idle');
        expect(governor.decide(input(seoul('2026-12-06', '23:59')), weekdays).state).toBe('idle');
        expect(governor.decide(input(Date.parse('2026-12-06T15:00:00Z')), weekdays).state).toBe('active');
    });

    it('reads the hours in its own time zone, daylight saving included', () => {
        const office = (timezone: string) => settings({ activeHours: '09:00-18:00', timezone });
        const instant = Date.parse('2026-12-02T01:00:00Z');
        expect(governor.decide(input(instant), office('Asia/Seoul')).state).toBe('active');
        expect(governor.decide(input(instant), office('Europe/Paris')).state).toBe('idle');
        // 09:00 in New York is 14:00 UTC in winter and 13:00 UTC in summer.
        expect(governor.decide(input(Date.parse('2026-01-15T13:30:00Z')), office('America/New_York')).state).toBe('idle');
        expect(governor.decide(input(Date.parse('2026-01-15T14:30:00Z')), office('America/New_York')).state).toBe('active');
        expect(governor.decide(input(Date.parse('2026-07-15T13:30:00Z')), office('America/New_York')).state).toBe('active');
    });

    it('looks again at the next minute while outside its hours, and works from the minute they open', () => {
        const before = seoul('2026-12-02', '21:59') + 12_345;
        const idle = governor.decide(input(before), night);
        expect(idle.state).toBe('idle');
        expect(idle.waitMs).toBe(MINUTE - 12_345);
        expect(governor.decide(input(before + idle.waitMs), night).state).toBe('active');
    });

    it('reloads the model when its hours begin and the queue has work', () => {
        const opened = governor.decide(input(seoul('2026-12-02', '22:00'), { modelLoaded: false, queueHadWork: true, lastWorkAt: seoul('2026-12-02', '07:59') }), night);
        expect(opened).toMatchObject({ state: 'active', claim: true, loadModel: true, unloadModel: false });
    });
});

describe('WorkerGovernor idle timeout', () => {
    const tenMinutes = settings({ idleUnloadMinutes: 10 });
    const now = Date.parse('2026-12-02T03:00:00Z');

    it('keeps the model while the queue has been empty for less than the idle timeout', () => {
        const decision = governor.decide(input(now, { queueHadWork: false, lastWorkAt: now - 10 * MINUTE + 1 }), tenMinutes);
        expect(decision).toMatchObject({ state: 'active', claim: true, batchScale: 1, waitMs: 0, unloadModel: false });
    });

    it('unloads the model after the idle timeout without work, and keeps looking for work', () => {
        const decision = governor.decide(input(now, { queueHadWork: false, lastWorkAt: now - 10 * MINUTE }), tenMinutes);
        expect(decision).toMatchObject({ state: 'idle', claim: true, unloadModel: true, loadModel: false });
        const unloaded = governor.decide(input(now + MINUTE, { queueHadWork: false, lastWorkAt: now - 10 * MINUTE, modelLoaded: false }), tenMinutes);
        expect(unloaded).toMatchObject({ state: 'idle', claim: true, unloadModel: false, loadModel: false });
    });

    it('loads the model again when new work arrives', () => {
        const decision = governor.decide(input(now, { queueHadWork: true, lastWorkAt: now - 30 * MINUTE, modelLoaded: false }), tenMinutes);
        expect(decision).toMatchObject({ state: 'active', claim: true, loadModel: true, unloadModel: false, waitMs: 0 });
    });

    it('counts the idle timeout from the start before the first job, and never unloads at 0 minutes', () => {
        const fresh = (startedAt?: number) => input(now, { queueHadWork: false, lastWorkAt: undefined, startedAt });
        expect(governor.decide(fresh(now - 5 * MINUTE), tenMinutes).unloadModel).toBe(false);
        expect(governor.decide(fresh(now - 11 * MINUTE), tenMinutes).unloadModel).toBe(true);
        expect(governor.decide(fresh(undefined), tenMinutes).unloadModel).toBe(true);
        expect(governor.decide(input(now, { queueHadWork: false, lastWorkAt: now - 1000 * MINUTE }), settings({ idleUnloadMinutes: 0 })))
            .toMatchObject({ state: 'active', unloadModel: false });
    });
});

describe('WorkerGovernor throttle', () => {
    const now = Date.parse('2026-12-02T03:00:00Z');

    it('shrinks batches and pauses between them at warning (past GPU 85 °C or GPU memory 80 %)', () => {
        for (const resources of [{ ...calm, gpuTemperatureC: 86 }, { ...calm, gpuMemoryPercent: 80.5 }, { ...calm, memoryPercent: 81 }]) {
            expect(governor.decide(input(now, { resources }), DEFAULT_WORKER_SETTINGS))
                .toMatchObject({ state: 'active', throttle: 'warning', claim: true, batchScale: 0.5, waitMs: 2000, unloadModel: false });
        }
        expect(governor.decide(input(now, { resources: { ...calm, gpuTemperatureC: 85 } }), DEFAULT_WORKER_SETTINGS).throttle).toBe('normal');
    });

    it('keeps working on a machine at 100 % CPU (no CPU limit by default; a limit of 100 % is never passed), and throttles on CPU limits set lower', () => {
        expect(governor.decide(input(now, { resources: { ...calm, cpuPercent: 100 } }), DEFAULT_WORKER_SETTINGS))
            .toMatchObject({ state: 'active', throttle: 'normal', claim: true, batchScale: 1 });
        const responsive = settings({}, {
            warning: { ...DEFAULT_WORKER_SETTINGS.throttle.warning, cpuPercent: 85 },
            danger: { ...DEFAULT_WORKER_SETTINGS.throttle.danger, cpuPercent: 95 },
            critical: { ...DEFAULT_WORKER_SETTINGS.throttle.critical, cpuPercent: 99 }
        });
        expect(governor.decide(input(now, { resources: { ...calm, cpuPercent: 90 } }), responsive).throttle).toBe('warning');
        // A limit of 100 % is never passed (the worker specs set it to take CPU and memory off the throttle).
        const offAtFull = settings({}, {
            warning: { ...DEFAULT_WORKER_SETTINGS.throttle.warning, cpuPercent: 100, memoryPercent: 100 },
            danger: { ...DEFAULT_WORKER_SETTINGS.throttle.danger, cpuPercent: 100, memoryPercent: 100 },
            critical: { ...DEFAULT_WORKER_SETTINGS.throttle.critical, cpuPercent: 100, memoryPercent: 100 }
        });
        expect(governor.decide(input(now, { resources: { ...calm, cpuPercent: 100, memoryPercent: 100 } }), offAtFull)).toMatchObject({ state: 'active', throttle: 'normal' });
        expect(governor.decide(input(now, { resources: { ...calm, cpuPercent: 100 } }), responsive)).toMatchObject({ state: 'paused', throttle: 'critical', reportPaused: true });
    });

    it('uses the thresholds of the settings', () => {
        const cautious = settings({}, { warning: { ...DEFAULT_WORKER_SETTINGS.throttle.warning, gpuTemperatureC: 70 }, warningBatchScale: 0.25, warningPauseMs: 5000 });
        expect(governor.decide(input(now, { resources: { ...calm, gpuTemperatureC: 72 } }), cautious))
            .toMatchObject({ throttle: 'warning', batchScale: 0.25, waitMs: 5000 });
    });

    it('rests at danger (past 90 °C) with its model kept and no claims, then looks again', () => {
        const decision = governor.decide(input(now, { resources: { ...calm, gpuTemperatureC: 91 } }), DEFAULT_WORKER_SETTINGS);
        expect(decision).toEqual({ state: 'resting', throttle: 'danger', claim: false, batchScale: 0, waitMs: 30_000, unloadModel: false, loadModel: false, reportPaused: false });
        expect(governor.decide(input(now + 30_000, { resources: { ...calm, gpuTemperatureC: 80 } }), DEFAULT_WORKER_SETTINGS))
            .toMatchObject({ state: 'active', throttle: 'normal', claim: true });
    });

    it('pauses at critical, gives GPU memory back and reports "paused"', () => {
        const decision = governor.decide(input(now, { resources: { ...calm, gpuMemoryPercent: 98 } }), DEFAULT_WORKER_SETTINGS);
        expect(decision).toEqual({ state: 'paused', throttle: 'critical', claim: false, batchScale: 0, waitMs: 30_000, unloadModel: true, loadModel: false, reportPaused: true });
    });

    it('never throttles on a metric the machine does not report (no GPU)', () => {
        const cpuOnly: ResourceSample = { cpuPercent: 30, memoryPercent: 50 };
        expect(governor.decide(input(now, { resources: cpuOnly }), DEFAULT_WORKER_SETTINGS).throttle).toBe('normal');
        expect(governor.decide(input(now, { resources: { ...cpuOnly, memoryPercent: 91 } }), DEFAULT_WORKER_SETTINGS).throttle).toBe('danger');
        expect(governor.decide(input(now, { resources: { ...cpuOnly, memoryPercent: 90 } }), DEFAULT_WORKER_SETTINGS).throttle).toBe('warning');
    });

    it('stays paused by an admin whatever the metrics, reporting only a critical level', () => {
        expect(governor.decide(input(now, { pausedByAdmin: true }), DEFAULT_WORKER_SETTINGS))
            .toMatchObject({ state: 'paused', claim: false, reportPaused: false, unloadModel: false });
        expect(governor.decide(input(now, { pausedByAdmin: true, resources: { ...calm, gpuTemperatureC: 96 } }), DEFAULT_WORKER_SETTINGS))
            .toMatchObject({ state: 'paused', claim: false, reportPaused: true, unloadModel: true });
    });
});

describe('WorkerGovernor over a night', () => {
    it('walks active → warning → resting → paused → active → idle timeout → reload → outside hours → next evening', () => {
        let now = seoul('2026-12-02', '21:58');
        let modelLoaded = false;
        let lastWorkAt: number | undefined;
        const startedAt = now;
        const steps: { readonly at: string; readonly resources?: ResourceSample; readonly work: boolean }[] = [
            { at: '21:59', work: true },
            { at: '22:00', work: true },
            { at: '22:30', work: true, resources: { ...calm, gpuTemperatureC: 86 } },
            { at: '22:31', work: true, resources: { ...calm, gpuTemperatureC: 91 } },
            { at: '22:32', work: true, resources: { ...calm, gpuTemperatureC: 96 } },
            { at: '22:40', work: true },
            { at: '22:45', work: false },
            { at: '22:56', work: false },
            { at: '23:10', work: true },
            { at: '07:59', work: true },
            { at: '08:00', work: true },
            { at: '21:00', work: true }
        ];
        const seen: string[] = [];
        let day = '2026-12-02';
        for (const step of steps) {
            if (step.at === '07:59') {
                day = '2026-12-03';
            }
            now = seoul(day, step.at);
            const decision = governor.decide({ now, resources: step.resources ?? calm, lastWorkAt, startedAt, queueHadWork: step.work, pausedByAdmin: false, modelLoaded }, night);
            modelLoaded = (modelLoaded || decision.loadModel) && !decision.unloadModel;
            if (decision.claim && step.work) {
                lastWorkAt = now;
            }
            seen.push(`${step.at} ${decision.state}/${decision.throttle}${decision.loadModel ? ' load' : ''}${decision.unloadModel ? ' unload' : ''}${decision.reportPaused ? ' report-paused' : ''}${decision.claim ? ` claim×${decision.batchScale}` : ''}`);
        }
        expect(seen).toEqual([
            '21:59 idle/normal',
            '22:00 active/normal load claim×1',
            '22:30 active/warning claim×0.5',
            '22:31 resting/danger',
            '22:32 paused/critical unload report-paused',
            '22:40 active/normal load claim×1',
            '22:45 active/normal claim×1',
            '22:56 idle/normal unload claim×1',
            '23:10 active/normal load claim×1',
            '07:59 active/normal claim×1',
            '08:00 idle/normal unload',
            '21:00 idle/normal'
        ]);
    });
});
