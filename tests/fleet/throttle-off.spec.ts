import { describe, expect, it } from 'vitest';
import { readWorkerSettings } from '../../extensions/workers/src/node/runtime/worker-settings-reader';
import { throttleLevelOf } from '../../extensions/workers/src/node/runtime/worker-throttle';

/**
 * A machine that is busy with other work reads 100 % CPU: its owner can take
 * CPU and memory off the throttle with a limit of 101 (never reached), so
 * the worker is not paused for good while its GPU limits still hold.
 */
describe('CPU and memory taken off the throttle', () => {
    const off = '{ cpuPercent: 101, memoryPercent: 101 }';
    const settings = readWorkerSettings(`worker:\n  throttle:\n    warning: ${off}\n    danger: ${off}\n    critical: ${off}\n`, 'user-settings.yaml');

    it('leaves a machine at 100 % CPU and memory at normal, and still rests it when its GPU is hot', () => {
        expect(throttleLevelOf({ cpuPercent: 100, memoryPercent: 100 }, settings.throttle)).toBe('normal');
        expect(throttleLevelOf({ cpuPercent: 100, memoryPercent: 100, gpuTemperatureC: 91 }, settings.throttle)).toBe('danger');
    });

    it('still refuses a limit past 101', () => {
        expect(() => readWorkerSettings('worker:\n  throttle:\n    critical: { cpuPercent: 102 }\n', 'user-settings.yaml')).toThrow(/from 0 to 101/);
    });
});
