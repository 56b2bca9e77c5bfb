import { execFile } from 'child_process';
import * as os from 'os';
import type { GpuInfo, WorkerMachine } from '../../common/fleet-protocol';

/**
 * The machine a worker runs on, as it registers: host name, platform, CPU,
 * memory and the GPUs `nvidia-smi` lists (none when it is absent or fails).
 */
export async function describeMachine(): Promise<WorkerMachine> {
    const cpus = os.cpus();
    return {
        hostname: os.hostname(),
        platform: `${os.platform()} ${os.release()} ${os.arch()}`,
        cpuModel: cpus[0]?.model.trim() ?? '',
        cpuCores: cpus.length,
        memoryTotalMb: Math.round(os.totalmem() / (1024 * 1024)),
        gpus: await listGpus()
    };
}

/** `nvidia-smi --query-gpu=name,memory.total`; empty when it is not installed, fails or takes too long. */
export function listGpus(): Promise<GpuInfo[]> {
    return new Promise(resolve => {
        execFile('nvidia-smi', ['--query-gpu=name,memory.total', '--format=csv,noheader,nounits'], { timeout: 5000, encoding: 'utf8', windowsHide: true },
            (error, stdout) => resolve(error ? [] : parseGpuList(stdout)));
    });
}

/** `NVIDIA H200, 143771` lines as GPUs; lines that do not read so are left out. */
export function parseGpuList(output: string): GpuInfo[] {
    return output.split(/\r?\n/).map(line => {
        const comma = line.lastIndexOf(',');
        const name = line.slice(0, comma).trim();
        const memoryTotalMb = Number(line.slice(comma + 1).trim());
        return comma > 0 && name && Number.isFinite(memoryTotalMb) ? { name, memoryTotalMb } : undefined;
    }).filter((gpu): gpu is GpuInfo => !!gpu);
}
