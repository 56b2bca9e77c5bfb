import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { CLI } from '../ingest/cli-process';

/** A spawned `imageparser` of a fleet run: its output so far (also appended to its log file) and how it ended. */
export interface FleetProcess {
    /** `server`, `worker-2`, `token`…: how the log and the messages name it. */
    readonly name: string;
    readonly child: ChildProcess;
    readonly output: string[];
    readonly exited: Promise<number | NodeJS.Signals>;
    /** The file its stdout and stderr go to (kept for a failing run). */
    readonly log: string;
}

export function alive(process: FleetProcess): boolean {
    return process.child.exitCode === null && process.child.signalCode === null;
}

/** A free TCP port on 127.0.0.1 (the OS picks it; it is closed again before it is answered). */
export async function freePort(): Promise<number> {
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
    });
    const port = (server.address() as net.AddressInfo).port;
    await new Promise(resolve => server.close(resolve));
    return port;
}

/**
 * Spawns the built `imageparser` with `args`: stdin ignored (workers never
 * read it), stdout and stderr kept in memory and appended to
 * `logs/<name>.log`, so a failing run leaves every process's output.
 */
export function spawnImageparser(name: string, args: readonly string[], env: NodeJS.ProcessEnv, logs: string): FleetProcess {
    fs.mkdirSync(logs, { recursive: true });
    const log = path.join(logs, `${name}.log`);
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    const output: string[] = [];
    const record = (chunk: Buffer) => {
        const text = chunk.toString('utf8');
        output.push(text);
        fs.appendFileSync(log, text);
    };
    fs.appendFileSync(log, `--- ${new Date().toISOString()} pid ${child.pid}: imageparser ${args.join(' ')}\n`);
    child.stdout!.on('data', record);
    child.stderr!.on('data', record);
    const exited = new Promise<number | NodeJS.Signals>(resolve => child.once('exit', (code, signal) => {
        fs.appendFileSync(log, `--- ${new Date().toISOString()} pid ${child.pid} exited: ${signal ?? code}\n`);
        resolve(signal ?? code ?? -1);
    }));
    return { name, child, output, exited, log };
}

/** Resolves once the process printed a line matching `pattern` (answers the match); rejects when it exits first or after `timeoutMs`. */
export function waitForOutput(process: FleetProcess, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
        const check = () => process.output.join('').match(pattern);
        const done = (action: () => void) => {
            clearInterval(poll);
            clearTimeout(timer);
            action();
        };
        const poll = setInterval(() => {
            const match = check();
            if (match) {
                done(() => resolve(match));
            } else if (!alive(process)) {
                done(() => reject(new Error(`${process.name} exited before printing ${pattern} (see ${process.log}):\n${process.output.join('').slice(-3000)}`)));
            }
        }, 20);
        const timer = setTimeout(() => done(() => reject(new Error(`${process.name} printed no ${pattern} within ${timeoutMs} ms (see ${process.log})`))), timeoutMs);
    });
}

/** SIGKILLs the process if it still runs and waits for it to be gone; answers whether it was alive. */
export async function killHard(process: FleetProcess): Promise<boolean> {
    const wasAlive = alive(process);
    if (wasAlive) {
        process.child.kill('SIGKILL');
    }
    await process.exited;
    return wasAlive;
}
