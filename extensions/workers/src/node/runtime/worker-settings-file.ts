import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { nls } from '@theia/core/lib/common/nls';
import { WORKER_SETTINGS_ENV, WorkerSettings, DEFAULT_WORKER_SETTINGS } from '../../common/worker-settings';
import { parseWorkerSettings, WorkerSettingsError } from './worker-settings-reader';

export { parseWorkerSettings, WorkerSettingsError } from './worker-settings-reader';

/** The worker's settings and where they came from. */
export interface LoadedWorkerSettings {
    readonly settings: WorkerSettings;
    /** The file read, or looked for when `found` is false. */
    readonly file: string;
    /** False when the default file is absent (the defaults apply). */
    readonly found: boolean;
}

/**
 * Where the settings live: `--settings FILE` (`flag`), else
 * `$IMAGEPARSER_WORKER_SETTINGS`, else `~/.imageparser/user-settings.yaml`.
 * `explicit` is true for the first two.
 */
export function workerSettingsPath(flag?: string, env: NodeJS.ProcessEnv = process.env): { readonly file: string; readonly explicit: boolean } {
    const chosen = flag || env[WORKER_SETTINGS_ENV];
    return chosen
        ? { file: path.resolve(chosen), explicit: true }
        : { file: path.join(os.homedir(), '.imageparser', 'user-settings.yaml'), explicit: false };
}

/**
 * Loads the worker's `user-settings.yaml` (see `worker-settings.ts` for its
 * shape). The default file may be absent (the defaults apply); a file named
 * by `--settings` or the environment must exist. Throws
 * {@link WorkerSettingsError} naming the file, line and field for anything
 * it cannot use: the worker does not start on a bad file.
 */
export async function loadWorkerSettings(flag?: string, env: NodeJS.ProcessEnv = process.env): Promise<LoadedWorkerSettings> {
    const { file, explicit } = workerSettingsPath(flag, env);
    let text: string;
    try {
        text = await fs.promises.readFile(file, 'utf8');
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' && !explicit) {
            return { settings: DEFAULT_WORKER_SETTINGS, file, found: false };
        }
        throw new WorkerSettingsError(code === 'ENOENT'
            ? nls.localize('imageparser/workers/settings/missing', 'The worker settings file {0} does not exist.', file)
            : nls.localize('imageparser/workers/settings/unreadable', 'The worker settings file {0} cannot be read: {1}', file, (error as Error).message), file);
    }
    return { settings: parseWorkerSettings(text.replace(/^\uFEFF/, ''), file), file, found: true };
}
