import { spawn } from 'child_process';
import * as path from 'path';
import * as readline from 'readline';
import type { ClaimedJob } from '../../extensions/archive-core/src/common/job-protocol';

/** A worker process holding a job (see `lease-holder-process.js`; it runs the compiled engine: `bash scripts/setup.sh` builds it). */
export interface LeaseHolder {
    readonly job: ClaimedJob;
    /** SIGKILL, and waits for the process to be gone. */
    kill(): Promise<void>;
}

const SCRIPT = path.join(__dirname, 'lease-holder-process.js');
const live = new Set<() => Promise<void>>();

/** Starts a holder process and answers once it claimed its job. */
export async function spawnLeaseHolder(args: string[]): Promise<LeaseHolder> {
    const child = spawn(process.execPath, [SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
    const kill = async () => {
        live.delete(kill);
        if (child.exitCode === null && child.signalCode === null) {
            child.kill('SIGKILL');
        }
        await exited;
    };
    live.add(kill);
    let errors = '';
    child.stderr!.on('data', chunk => errors += String(chunk));
    const line = await new Promise<string>((resolve, reject) => {
        readline.createInterface({ input: child.stdout! }).once('line', resolve);
        child.once('exit', code => reject(new Error(`the lease holder exited with ${code} before it claimed: ${errors}`)));
    });
    const job = JSON.parse(line) as ClaimedJob | null;
    if (!job) {
        await kill();
        throw new Error('the lease holder found no job to claim');
    }
    return { job, kill };
}

/** Kills every holder still running (after a test). */
export async function killLeaseHolders(): Promise<void> {
    await Promise.all([...live].map(kill => kill()));
}
