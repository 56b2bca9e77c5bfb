/**
 * `imageparser worker --server URL --token T [--role R] [--settings FILE]`:
 * contributes this machine to an archive's server as a worker. It reads no
 * stdin (a blocked pipe can never hang it), exits when its parent dies
 * (IPC disconnect or the parent's pid gone) and gives its held jobs back on
 * SIGTERM, SIGINT, a stop or block command. Exit status: 0 stopped, 1 the
 * server refused it (token revoked, machine blocked) or it could not start,
 * 2 wrong arguments.
 */
import 'reflect-metadata';
import { printable } from '@imageparser/archive-core/lib/common/printable-text';
import { WORKER_ROLES, WorkerRole } from '../../common/fleet-protocol';
import { WORKER_SETTINGS_ENV, WorkerSettings } from '../../common/worker-settings';
import { RegistrationRefusedError } from '../runtime/fleet-connection';
import { watchParent } from '../runtime/parent-watch';
import { loadWorkerSettings } from '../runtime/worker-settings-file';
import { createWorkerContainer } from '../runtime/worker-container';
import { WorkerEnd, WorkerRuntime } from '../runtime/worker-runtime';

/** The environment variables a worker reads when an option is not given (a token kept out of the process list). */
export namespace WorkerCommandEnv {
    export const SERVER = 'IMAGEPARSER_SERVER_URL';
    export const TOKEN = 'IMAGEPARSER_WORKER_TOKEN';
    /** How the worker was started, for the admin panel: `cli` unless a launcher says `app` or `test`. */
    export const STARTED_BY = 'IMAGEPARSER_WORKER_STARTED_BY';
}

const USAGE = `usage: imageparser worker --server <url> --token <token> [--role caption|visual|text|ocr|all|auto] [--settings <user-settings.yaml>]

  --server <url>      the archive's server, e.g. http://archive-server:3000 (or ${WorkerCommandEnv.SERVER})
  --token <token>     a worker token issued in the fleet panel or with \`imageparser token issue\` (or ${WorkerCommandEnv.TOKEN})
  --role <role>       the phase to run with its model kept loaded, \`all\` for every phase, \`auto\` to let the server choose (default)
  --settings <file>   this machine's schedule and throttle settings (default: ${WORKER_SETTINGS_ENV}, else ~/.imageparser/user-settings.yaml)

  The models are the ones the app's AI settings name, given here by environment variables:
  IMAGEPARSER_CAPTION_ENDPOINT, IMAGEPARSER_CAPTION_MODEL, IMAGEPARSER_VISUAL_MODEL, IMAGEPARSER_TEXT_MODEL.

exit status: 0 stopped (SIGTERM, Ctrl+C, a stop command, its parent gone: held jobs are given back),
             1 the server refused it or it could not start, 2 wrong arguments`;

export interface WorkerArguments {
    readonly server: string;
    readonly token: string;
    readonly role: WorkerRole;
    /** `--settings`, when given (else the environment's or the default file, see `loadWorkerSettings`). */
    readonly settings?: string;
}

/** What the arguments ask for: a worker to run, help, or why they are wrong. */
export function parseWorkerArguments(args: readonly string[], env: NodeJS.ProcessEnv = process.env): WorkerArguments | { readonly help: true } | { readonly error: string } {
    const values: Record<string, string | undefined> = {};
    for (let i = 0; i < args.length; i++) {
        const arg = args[i];
        if (arg === '--help' || arg === '-h') {
            return { help: true };
        }
        const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
        if (!['--server', '--token', '--role', '--settings'].includes(name)) {
            return { error: arg.startsWith('-') ? `unknown option ${printable(arg)}` : `unexpected argument ${printable(arg)}` };
        }
        const value = inline ?? (i + 1 < args.length && !args[i + 1].startsWith('--') ? args[++i] : undefined);
        if (value === undefined || !value.trim()) {
            return { error: `${name} needs a value` };
        }
        values[name] = value.trim();
    }
    const server = values['--server'] ?? env[WorkerCommandEnv.SERVER]?.trim();
    const token = values['--token'] ?? env[WorkerCommandEnv.TOKEN]?.trim();
    const role = values['--role'] ?? 'auto';
    if (!server) {
        return { error: `--server is needed (or ${WorkerCommandEnv.SERVER})` };
    }
    if (!token) {
        return { error: `--token is needed (or ${WorkerCommandEnv.TOKEN})` };
    }
    if (!(WORKER_ROLES as readonly string[]).includes(role)) {
        return { error: `--role must be one of ${WORKER_ROLES.join(', ')}, not ${printable(role)}` };
    }
    return { server, token, role: role as WorkerRole, settings: values['--settings'] };
}

export async function run(args: readonly string[]): Promise<number> {
    const parsed = parseWorkerArguments(args);
    if ('help' in parsed) {
        process.stdout.write(`${USAGE}\n`);
        return 0;
    }
    if ('error' in parsed) {
        process.stderr.write(`imageparser: ${parsed.error}\n${USAGE}\n`);
        return 2;
    }
    let settings: WorkerSettings;
    try {
        settings = (await loadWorkerSettings(parsed.settings)).settings;
    } catch (error) {
        // The message names the file, the line and the field.
        process.stderr.write(`imageparser: ${messageOf(error)}\n`);
        return 1;
    }
    let runtime: WorkerRuntime;
    try {
        const container = createWorkerContainer({ serverUrl: parsed.server, token: parsed.token }, {
            role: parsed.role, settings,
            startedBy: process.env[WorkerCommandEnv.STARTED_BY]?.trim() || 'cli'
        });
        runtime = container.get(WorkerRuntime);
    } catch (error) {
        process.stderr.write(`imageparser: ${messageOf(error)}\n`);
        return 1;
    }
    // Whatever ends the worker first, its held jobs go back to the server.
    const stopWatching = watchParent(() => {
        process.stderr.write('imageparser: the worker\'s parent process is gone: stopping\n');
        runtime.stop('parent');
    });
    let signalled = false;
    const onSignal = () => {
        signalled = true;
        runtime.stop('signal');
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
    process.once('SIGHUP', onSignal);
    try {
        process.stderr.write(`imageparser: worker connecting to ${printable(parsed.server)} as ${parsed.role}\n`);
        const registration = await runtime.start();
        process.stderr.write(`imageparser: worker registered (session ${registration.sessionId}), role ${registration.role}, `
            + `phases ${runtime.runningPhases().join(', ') || 'none yet'}\n`);
        const end: WorkerEnd = await runtime.ended;
        const counters = runtime.counters();
        process.stderr.write(`imageparser: worker stopped: ${counters.done} done, ${counters.failed} failed, `
            + `${counters.loads} model ${counters.loads === 1 ? 'load' : 'loads'}, ${counters.unloads} ${counters.unloads === 1 ? 'unload' : 'unloads'}\n`);
        if (end.kind === 'refused') {
            process.stderr.write(`imageparser: ${end.error.message}\n`);
            return 1;
        }
        return 0;
    } catch (error) {
        if (signalled) {
            // Stopped before the server answered (it could not be reached): nothing was held.
            await runtime.stop('signal').catch(() => undefined);
            return 0;
        }
        if (error instanceof RegistrationRefusedError) {
            process.stderr.write(`imageparser: ${error.message}\n`);
        } else {
            process.stderr.write(`imageparser: the worker failed: ${messageOf(error)}\n`);
        }
        await runtime.stop('signal').catch(() => undefined);
        return 1;
    } finally {
        stopWatching();
        process.removeListener('SIGTERM', onSignal);
        process.removeListener('SIGINT', onSignal);
        process.removeListener('SIGHUP', onSignal);
    }
}

function messageOf(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
