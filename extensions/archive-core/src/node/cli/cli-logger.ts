import { ILogger } from '@theia/core/lib/common/logger';
import { printable } from '../../common/printable-text';

/**
 * The logger the command-line tool gives archive-core's services: warnings
 * and errors go to standard error, one line each (control characters in
 * file names escaped); the rest stays quiet so the progress bar remains
 * readable.
 */
export function createCliLogger(): ILogger {
    const logger: ILogger = new Proxy({} as ILogger, {
        get: (_target, name) => {
            if (name === 'then') {
                return undefined;
            }
            if (name === 'child') {
                return () => logger;
            }
            if (name === 'warn' || name === 'error' || name === 'fatal') {
                return async (...args: unknown[]) => {
                    process.stderr.write(`\n${String(name)}: ${printable(args.map(arg => arg instanceof Error ? arg.message : String(arg)).join(' '))}\n`);
                };
            }
            if (typeof name === 'string' && name.startsWith('is')) {
                return async () => name === 'isWarn' || name === 'isError' || name === 'isFatal';
            }
            return async () => undefined;
        }
    });
    return logger;
}
