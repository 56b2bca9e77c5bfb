import { execFile } from 'child_process';

/** One GPU's line of `nvidia-smi --query-gpu=… --format=csv,noheader,nounits`; a field it could not read is undefined. */
export interface GpuReading {
    readonly name: string;
    readonly memoryTotalMb?: number;
    readonly memoryUsedMb?: number;
    readonly temperatureC?: number;
    readonly utilizationPercent?: number;
}

/** The fields asked of `nvidia-smi`, in the order {@link parseNvidiaSmiCsv} reads them. */
export const NVIDIA_SMI_QUERY = 'name,memory.total,memory.used,temperature.gpu,utilization.gpu';

function numberOf(field: string | undefined): number | undefined {
    // `[N/A]`, `[Not Supported]`, `[Unknown Error]` and empty fields are not numbers.
    const value = field === undefined || field.trim() === '' ? NaN : Number(field.trim());
    return Number.isFinite(value) ? value : undefined;
}

/**
 * Reads `nvidia-smi`'s CSV (no header, no units), one GPU a line. A GPU
 * name may hold commas: the four numbers are the last four fields. Lines
 * that are not GPUs (warnings, blank lines) are skipped.
 */
export function parseNvidiaSmiCsv(text: string): GpuReading[] {
    const gpus: GpuReading[] = [];
    for (const line of text.split(/\r?\n/)) {
        const fields = line.split(',');
        if (fields.length < 5) {
            continue;
        }
        const numbers = fields.slice(-4).map(numberOf);
        if (numbers.every(value => value === undefined)) {
            continue;
        }
        const [memoryTotalMb, memoryUsedMb, temperatureC, utilizationPercent] = numbers;
        gpus.push({ name: fields.slice(0, -4).join(',').trim(), memoryTotalMb, memoryUsedMb, temperatureC, utilizationPercent });
    }
    return gpus;
}

/** What one run of `nvidia-smi` gave: its GPUs, `absent` when there is no such program, or the failure. */
export type NvidiaSmiResult =
    | { readonly kind: 'gpus'; readonly gpus: readonly GpuReading[] }
    | { readonly kind: 'absent' }
    | { readonly kind: 'failed'; readonly message: string };

/** Runs `nvidia-smi` (stdin ignored, killed after `timeoutMs`); never throws. */
export function readNvidiaSmi(command: string, timeoutMs: number): Promise<NvidiaSmiResult> {
    return new Promise(resolve => {
        try {
            const child = execFile(command, [`--query-gpu=${NVIDIA_SMI_QUERY}`, '--format=csv,noheader,nounits'],
                { timeout: timeoutMs, windowsHide: true, encoding: 'utf8' },
                (error, stdout) => {
                    if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
                        resolve({ kind: 'absent' });
                    } else if (error) {
                        resolve({ kind: 'failed', message: error.message });
                    } else {
                        resolve({ kind: 'gpus', gpus: parseNvidiaSmiCsv(stdout) });
                    }
                });
            child.stdin?.end();
        } catch (error) {
            resolve({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
        }
    });
}
