import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseNvidiaSmiCsv } from '../../extensions/workers/src/node/runtime/nvidia-smi-reader';
import { SystemResourceMonitor } from '../../extensions/workers/src/node/runtime/system-resource-monitor';

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'resource-monitor-'));
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

/**
 * This machine has no GPU: a GPU driver's `nvidia-smi` is played by a shell
 * script printing what a real one printed, so the monitor's own path (run the
 * program, read its CSV, take the hottest GPU) runs for real.
 */
function program(name: string, body: string): string {
    const file = path.join(folder, name);
    fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    return file;
}

class MonitorWith extends SystemResourceMonitor {
    constructor(command: string) {
        super();
        this.nvidiaSmiCommand = command;
    }
}

describe('nvidia-smi CSV', () => {
    it('reads one GPU a line, names with commas, and leaves out fields it reports as not available', () => {
        const text = [
            'NVIDIA H200, 143771, 71884, 64, 97',
            'NVIDIA GeForce RTX 4090, Founders, 24564, 1024, 41, 3',
            'Tesla K80, 11441, [N/A], [Not Supported], [N/A]',
            '',
            'WARNING: infoROM is corrupted at gpu 0000:04:00.0'
        ].join('\r\n');
        expect(parseNvidiaSmiCsv(text)).toEqual([
            { name: 'NVIDIA H200', memoryTotalMb: 143771, memoryUsedMb: 71884, temperatureC: 64, utilizationPercent: 97 },
            { name: 'NVIDIA GeForce RTX 4090, Founders', memoryTotalMb: 24564, memoryUsedMb: 1024, temperatureC: 41, utilizationPercent: 3 },
            { name: 'Tesla K80', memoryTotalMb: 11441, memoryUsedMb: undefined, temperatureC: undefined, utilizationPercent: undefined }
        ]);
    });
});

describe('SystemResourceMonitor', () => {
    it('reports CPU and memory without GPU fields on a machine without nvidia-smi', async () => {
        const monitor = new MonitorWith(path.join(folder, 'no-such-nvidia-smi'));
        const sample = await monitor.sample();
        expect(Object.keys(sample).sort()).toEqual(['cpuPercent', 'memoryPercent']);
        expect(sample.cpuPercent).toBeGreaterThanOrEqual(0);
        expect(sample.cpuPercent).toBeLessThanOrEqual(100);
        expect(sample.memoryPercent).toBeGreaterThan(0);
        expect(sample.memoryPercent).toBeLessThanOrEqual(100);
        const machine = await monitor.machine();
        expect(machine).toMatchObject({ hostname: os.hostname(), platform: process.platform, cpuCores: os.cpus().length, gpus: [] });
        expect(machine.memoryTotalMb).toBe(Math.round(os.totalmem() / 1024 / 1024));
    });

    it('takes the hottest, fullest and busiest of several GPUs', async () => {
        const smi = program('nvidia-smi', [
            'case "$1" in --query-gpu=name,memory.total,memory.used,temperature.gpu,utilization.gpu) ;; *) exit 2 ;; esac',
            'echo "NVIDIA RTX A6000, 49140, 45000, 71, 12"',
            'echo "NVIDIA RTX A6000, 49140, 1000, 88, 99"'
        ].join('\n'));
        const monitor = new MonitorWith(smi);
        expect(await monitor.sample()).toMatchObject({ gpuTemperatureC: 88, gpuMemoryPercent: 91.6, gpuUtilizationPercent: 99 });
        expect((await monitor.machine()).gpus).toEqual([{ name: 'NVIDIA RTX A6000', memoryTotalMb: 49140 }, { name: 'NVIDIA RTX A6000', memoryTotalMb: 49140 }]);
    });

    it('goes on without GPU fields when nvidia-smi fails (driver not loaded)', async () => {
        const smi = program('nvidia-smi-broken', 'echo "NVIDIA-SMI has failed because it couldn\'t communicate with the NVIDIA driver." >&2\nexit 9');
        const sample = await new MonitorWith(smi).sample();
        expect(sample.gpuTemperatureC).toBeUndefined();
        expect(sample.gpuMemoryPercent).toBeUndefined();
        expect(typeof sample.cpuPercent).toBe('number');
    });
});
