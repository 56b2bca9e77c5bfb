import { printable } from '@imageparser/archive-core/lib/common/printable-text';

/** Arguments split into positional ones and `--name value` options (`--flag` alone is `true`). */
export interface CliArguments {
    readonly positional: readonly string[];
    readonly options: ReadonlyMap<string, string | true>;
}

/** Splits `args`; refuses an option not in `known`. */
export function parseCliArguments(args: readonly string[], known: readonly string[]): CliArguments | { readonly error: string } {
    const positional: string[] = [];
    const options = new Map<string, string | true>();
    for (let i = 0; i < args.length; i++) {
        const arg = args[i];
        if (!arg.startsWith('--')) {
            positional.push(arg);
            continue;
        }
        const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
        if (!known.includes(name)) {
            return { error: `unknown option ${printable(arg)}` };
        }
        if (inline !== undefined) {
            options.set(name, inline);
        } else if (i + 1 < args.length && !args[i + 1].startsWith('--')) {
            options.set(name, args[++i]);
        } else {
            options.set(name, true);
        }
    }
    return { positional, options };
}

/** A string option's value, undefined when absent; an error message when given without a value. */
export function stringOption(parsed: CliArguments, name: string): string | undefined {
    const value = parsed.options.get(name);
    if (value === true) {
        throw new CliUsageError(`--${name} needs a value`);
    }
    return value;
}

/** A wrong use of a command: exit status 2 with the message and the usage. */
export class CliUsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'CliUsageError';
    }
}
