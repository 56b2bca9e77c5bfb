import * as os from 'os';
import { ILogger } from '@theia/core/lib/common/logger';
import { inject, injectable, named, optional } from '@theia/core/shared/inversify';
import * as si from 'systeminformation';
import type { WorkerMachine } from '../../common/fleet-protocol';
import { GpuReading, readNvidiaSmi } from './nvidia-smi-reader';
import type { ResourceMonitor, ResourceSample } from './worker-governor';
import type { WorkerMachineProbe } from './worker-machine-probe';

const MB = 1024 * 1024;

function percent(part: number, whole: number): number {
    return whole > 0 ? Math.min(100, Math.max(0, Math.round((part / whole) * 1000) / 10)) : 0;
}

function highest(values: readonly (number | undefined)[]): number | undefined {
    const known = values.filter((value): value is number => value !== undefined);
    return known.length ? Math.max(...known) : undefined;
}

/**
 * The machine's metrics: GPUs through `nvidia-smi` (the hottest, fullest and
 * busiest GPU count; `systeminformation` misses GPUs `lspci` does not list),
 * CPU load and system memory through `systeminformation`. A machine without
 * `nvidia-smi` reports no GPU fields; a metric that cannot be read is left
 * out (CPU and memory fall back to Node's `os`). Never throws.
 */
@injectable()
export class SystemResourceMonitor implements ResourceMonitor, WorkerMachineProbe {
    @inject(ILogger) @named('workers:ResourceMonitor') @optional()
    protected readonly logger?: ILogger;

    /** The program asked for GPU metrics. */
    protected nvidiaSmiCommand = 'nvidia-smi';
    protected readonly nvidiaSmiTimeoutMs = 5000;
    /** Set once `nvidia-smi` was not found: it is not looked for again. */
    protected nvidiaSmiAbsent = false;
    protected nvidiaSmiFailureLogged = false;

    async sample(): Promise<ResourceSample> {
        const [gpus, cpuPercent, memoryPercent] = await Promise.all([this.gpus(), this.cpuPercent(), this.memoryPercent()]);
        const gpuMemory = highest(gpus.map(gpu => gpu.memoryTotalMb && gpu.memoryUsedMb !== undefined ? percent(gpu.memoryUsedMb, gpu.memoryTotalMb) : undefined));
        const sample: { -readonly [K in keyof ResourceSample]: ResourceSample[K] } = { cpuPercent, memoryPercent };
        const temperature = highest(gpus.map(gpu => gpu.temperatureC));
        const utilization = highest(gpus.map(gpu => gpu.utilizationPercent));
        if (temperature !== undefined) {
            sample.gpuTemperatureC = temperature;
        }
        if (gpuMemory !== undefined) {
            sample.gpuMemoryPercent = gpuMemory;
        }
        if (utilization !== undefined) {
            sample.gpuUtilizationPercent = utilization;
        }
        return sample;
    }

    async machine(): Promise<WorkerMachine> {
        const cpus = os.cpus();
        const gpus = await this.gpus();
        return {
            hostname: os.hostname(),
            platform: process.platform,
            cpuModel: cpus[0]?.model.trim() ?? '',
            cpuCores: cpus.length,
            memoryTotalMb: Math.round(os.totalmem() / MB),
            gpus: gpus.map(gpu => ({ name: gpu.name, memoryTotalMb: gpu.memoryTotalMb ?? 0 }))
        };
    }

    protected async gpus(): Promise<readonly GpuReading[]> {
        if (this.nvidiaSmiAbsent) {
            return [];
        }
        const result = await readNvidiaSmi(this.nvidiaSmiCommand, this.nvidiaSmiTimeoutMs);
        if (result.kind === 'absent') {
            this.nvidiaSmiAbsent = true;
            return [];
        }
        if (result.kind === 'failed') {
            if (!this.nvidiaSmiFailureLogged) {
                this.nvidiaSmiFailureLogged = true;
                this.logger?.warn(`nvidia-smi failed, GPU metrics left out: ${result.message}`);
            }
            return [];
        }
        return result.gpus;
    }

    protected async cpuPercent(): Promise<number> {
        try {
            const load = await si.currentLoad();
            if (Number.isFinite(load.currentLoad)) {
                return Math.min(100, Math.max(0, Math.round(load.currentLoad * 10) / 10));
            }
        } catch {
            // Falls back to the load average below.
        }
        return percent(os.loadavg()[0], os.cpus().length || 1);
    }

    protected async memoryPercent(): Promise<number> {
        try {
            const memory = await si.mem();
            if (memory.total > 0) {
                return percent(memory.total - memory.available, memory.total);
            }
        } catch {
            // Falls back to Node's numbers below.
        }
        return percent(os.totalmem() - os.freemem(), os.totalmem());
    }
}
