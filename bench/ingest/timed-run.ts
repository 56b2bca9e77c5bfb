/**
 * Runs a command under GNU time and reads back its wall time and peak
 * resident memory. For a pipeline of worker processes (xargs -P) the peak is
 * the largest single process, as the kernel reports for waited-for children.
 */
import * as cp from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface TimedResult {
    readonly seconds: number;
    readonly peakRssMb: number;
    readonly stdout: string;
}

export function timedRun(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): TimedResult {
    const timeFile = path.join(os.tmpdir(), `imageparser-bench-time-${process.pid}.txt`);
    const result = cp.spawnSync('/usr/bin/time', ['-f', '%e %M', '-o', timeFile, command, ...args], {
        cwd: options.cwd, env: options.env ?? process.env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024
    });
    if (result.status !== 0) {
        throw new Error(`${command} ${args.join(' ').slice(0, 200)} exited with ${result.status}:\n${result.stderr.slice(-2000)}`);
    }
    const [seconds, kilobytes] = fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
    fs.rmSync(timeFile, { force: true });
    return { seconds, peakRssMb: kilobytes / 1024, stdout: result.stdout };
}

/**
 * Runs `command ...args file...` through xargs, `parallel` processes at a
 * time, each given `perProcess` files at the end of its arguments.
 */
export function timedXargs(files: readonly string[], parallel: number, perProcess: number, command: string[], env?: NodeJS.ProcessEnv): TimedResult {
    const listFile = path.join(os.tmpdir(), `imageparser-bench-list-${process.pid}.txt`);
    fs.writeFileSync(listFile, files.join('\0'));
    try {
        return timedRun('xargs', ['-0', '-a', listFile, '-P', String(parallel), '-n', String(perProcess), ...command], { env });
    } finally {
        fs.rmSync(listFile, { force: true });
    }
}
