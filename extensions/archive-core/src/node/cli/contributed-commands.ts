/**
 * `imageparser` commands other packages implement (the worker fleet lives in
 * `@imageparser/workers`, which depends on this package, not the other way):
 * each names a module exporting {@link ContributedCommand}, loaded only when
 * its command runs.
 */
export interface ContributedCommand {
    /** Runs the command with the arguments after its name; answers the exit status. */
    run(args: readonly string[]): Promise<number>;
}

export interface ContributedCommandEntry {
    readonly module: string;
    readonly usage: string;
}

export const CONTRIBUTED_COMMANDS: Readonly<Record<string, ContributedCommandEntry>> = {
    serve: {
        module: '@imageparser/workers/lib/node/cli/serve-command',
        usage: 'serve [--archive <folder>] [--port <n>] [--host <a>]   serve the archive to worker machines (worker API, queue, phases) without the app'
    },
    worker: {
        module: '@imageparser/workers/lib/node/cli/worker-command',
        usage: 'worker --server <url> --token <t> [--role caption|visual|text|ocr|all|auto] [--settings <user-settings.yaml>]   contribute this machine as a worker'
    },
    token: {
        module: '@imageparser/workers/lib/node/cli/token-command',
        usage: 'token issue <label> | token list | token revoke <id> [--archive <folder>]   worker tokens'
    }
};

/** Loads a contributed command's module; a clear error when its package is not installed. */
export function loadContributedCommand(name: string): ContributedCommand {
    const entry = CONTRIBUTED_COMMANDS[name];
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const loaded = require(entry.module) as Partial<ContributedCommand>;
        if (typeof loaded.run !== 'function') {
            throw new Error(`${entry.module} exports no run function`);
        }
        return loaded as ContributedCommand;
    } catch (error) {
        throw new Error(`The ${name} command is not available: ${error instanceof Error ? error.message : String(error)}`);
    }
}
