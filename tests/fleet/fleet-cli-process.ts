import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as path from 'path';

const root = path.resolve(__dirname, '../..');
/** The compiled `imageparser` command. */
export const IMAGEPARSER = path.join(root, 'extensions/archive-core/lib/node/cli/imageparser.js');
const RECORDING_PHASE_MODULE = path.join(root, 'tests/phases/recording-phase-module.js');

/** The environment of a spawned `imageparser` with the recording phase (`record`) contributed and OCR off. */
export function recordingEnv(log: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return { ...process.env, IMAGEPARSER_PHASE_MODULES: RECORDING_PHASE_MODULE, IMAGEPARSER_OCR: 'off', RECORDING_PHASE_LOG: log, RECORDING_PHASE_BATCH: '2', ...extra };
}

/** Runs `imageparser <args>` to its end. */
export function imageparser(args: readonly string[], env: NodeJS.ProcessEnv): { status: number | null; stdout: string; stderr: string } {
    const result = spawnSync(process.execPath, [IMAGEPARSER, ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A running `imageparser serve`. */
export interface ServeProcess {
    readonly child: ChildProcess;
    /** The URL it printed once it listened. */
    readonly base: string;
    readonly stdout: string[];
    readonly stderr: string[];
    readonly exited: Promise<number | NodeJS.Signals>;
}

/** Starts `imageparser serve --port 0` on `archive` and waits for its "serving … at http://…" line. */
export async function startServe(archive: string, env: NodeJS.ProcessEnv): Promise<ServeProcess> {
    const child = spawn(process.execPath, [IMAGEPARSER, 'serve', '--archive', archive, '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: string[] = [];
    const stderr: string[] = [];
    child.stderr!.on('data', chunk => stderr.push(String(chunk)));
    const exited = new Promise<number | NodeJS.Signals>(resolve => child.once('exit', (code, signal) => resolve(signal ?? code ?? -1)));
    const base = await new Promise<string>((resolve, reject) => {
        child.stdout!.on('data', chunk => {
            stdout.push(String(chunk));
            const match = /imageparser: serving (.+) at (http:\/\/\S+)\n/.exec(stdout.join(''));
            if (match) {
                resolve(match[2]);
            }
        });
        exited.then(how => reject(new Error(`imageparser serve ended (${how}) before it listened: ${stderr.join('')}`)));
    });
    return { child, base, stdout, stderr, exited };
}
