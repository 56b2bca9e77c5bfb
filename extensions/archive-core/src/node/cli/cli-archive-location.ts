import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'jsonc-parser';
import { ARCHIVE_LOCATION_PREFERENCE } from '../../common/archive-preferences';
import { ArchiveLocation, resolveArchiveLocation } from '../store/archive-location';

/**
 * The archive the command-line tool works on: `--archive`, then the same
 * choice the app makes (IMAGEPARSER_HOME, the user's preference in Theia's
 * settings.json, then ~/.imageparser), so both share one archive by default.
 */
export function cliArchiveLocation(explicit: string | undefined): ArchiveLocation {
    if (explicit) {
        return { folder: path.resolve(explicit), source: 'environment' };
    }
    const configFolder = process.env.THEIA_CONFIG_DIR ?? path.join(os.homedir(), '.theia');
    let preference: string | undefined;
    try {
        const settings = parse(fs.readFileSync(path.join(configFolder, 'settings.json'), 'utf8'));
        preference = typeof settings?.[ARCHIVE_LOCATION_PREFERENCE] === 'string' ? settings[ARCHIVE_LOCATION_PREFERENCE] : undefined;
    } catch {
        preference = undefined;
    }
    return resolveArchiveLocation({ env: process.env, preference });
}
