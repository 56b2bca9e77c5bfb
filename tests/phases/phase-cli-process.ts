import { spawn } from 'child_process';
import * as path from 'path';
import { CLI, CliProcess } from '../ingest/cli-process';

/** The module a spawned `imageparser` loads the recording phase from. */
export const RECORDING_PHASE_MODULE = path.join(__dirname, 'recording-phase-module.js');

/** Options of the recording phase in a spawned process. */
export interface RecordingOptions {
    /** The file each execution is appended to. */
    readonly log: string;
    readonly delayMs?: number;
    readonly batchSize?: number;
    /** The job lease of the spawned process, in ms. */
    readonly leaseMs?: number;
    /** How long a process stalls when the test asks for it (see recording-phase-module.js). */
    readonly stallMs?: number;
}

/** Spawns the built `imageparser` with `args` on `archive`, the recording phase contributed. */
export function spawnPhases(args: readonly string[], archive: string, recording: RecordingOptions): CliProcess {
    const env: NodeJS.ProcessEnv = {
        ...process.env,
        IMAGEPARSER_PHASE_MODULES: RECORDING_PHASE_MODULE,
        // The command-line tool runs OCR too when the language data is installed: these runs are about the queue and the recording phase.
        IMAGEPARSER_OCR: 'off',
        RECORDING_PHASE_LOG: recording.log,
        RECORDING_PHASE_DELAY_MS: String(recording.delayMs ?? 0),
        RECORDING_PHASE_BATCH: String(recording.batchSize ?? 2),
        RECORDING_PHASE_STALL_MS: String(recording.stallMs ?? 0),
        ...(recording.leaseMs ? { IMAGEPARSER_JOB_LEASE_MS: String(recording.leaseMs) } : {})
    };
    const child = spawn(process.execPath, [CLI, ...args, '--archive', archive], { stdio: ['ignore', 'pipe', 'pipe'], env });
    const stdout: string[] = [];
    const stderr: string[] = [];
    child.stdout!.on('data', chunk => stdout.push(String(chunk)));
    child.stderr!.on('data', chunk => stderr.push(String(chunk)));
    const exited = new Promise<number | NodeJS.Signals>(resolve => child.once('exit', (code, signal) => resolve(signal ?? code ?? -1)));
    return { child, stdout, stderr, exited };
}

/** Executions per job id in a recording log: `pid jobId assetId` per line. */
export function executions(lines: string): { pid: number; jobId: number; assetId: number }[] {
    return lines.split('\n').filter(Boolean).map(line => {
        const [pid, jobId, assetId] = line.split(' ').map(Number);
        return { pid, jobId, assetId };
    });
}
