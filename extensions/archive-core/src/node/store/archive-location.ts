import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ArchiveLocationSource } from '../../common/archive-protocol';

/** The name of the folder that, placed next to the app, switches on portable mode. */
export const PORTABLE_FOLDER_NAME = 'imageparser-data';
/** The database file inside an archive folder. */
export const ARCHIVE_DATABASE_FILE = 'archive.sqlite';

/** The folder an archive lives in, and why that folder was chosen. */
export interface ArchiveLocation {
    readonly folder: string;
    readonly source: ArchiveLocationSource;
}

export namespace ArchiveLocation {
    export function databaseFile(location: ArchiveLocation): string {
        return path.join(location.folder, ARCHIVE_DATABASE_FILE);
    }
    export function mediaFolder(location: ArchiveLocation): string {
        return path.join(location.folder, 'media');
    }
}

export interface ArchiveLocationInputs {
    /** The environment; `IMAGEPARSER_HOME` wins over everything else. */
    readonly env: NodeJS.ProcessEnv;
    /** The `imageparser.archive.location` preference, if set. */
    readonly preference?: string;
    /** The folder the application runs from; portable mode looks for {@link PORTABLE_FOLDER_NAME} there. */
    readonly appFolder?: string;
    /** The user's home folder; the default archive is `.imageparser` inside it. */
    readonly homeFolder?: string;
}

/**
 * Chooses the archive folder: `IMAGEPARSER_HOME`, then the preference, then an
 * `imageparser-data` folder next to the app (portable mode), then
 * `~/.imageparser`. A leading `~` in the environment or preference means the
 * home folder; relative paths are taken from the app folder.
 */
export function resolveArchiveLocation(inputs: ArchiveLocationInputs): ArchiveLocation {
    const home = inputs.homeFolder ?? os.homedir();
    const base = inputs.appFolder ?? process.cwd();
    const fromEnv = inputs.env.IMAGEPARSER_HOME?.trim();
    if (fromEnv) {
        return { folder: absolute(fromEnv, home, base), source: 'environment' };
    }
    const fromPreference = inputs.preference?.trim();
    if (fromPreference) {
        return { folder: absolute(fromPreference, home, base), source: 'preference' };
    }
    if (inputs.appFolder) {
        const portable = path.join(inputs.appFolder, PORTABLE_FOLDER_NAME);
        if (isFolder(portable)) {
            return { folder: portable, source: 'portable' };
        }
    }
    return { folder: path.join(home, '.imageparser'), source: 'default' };
}

function absolute(value: string, home: string, base: string): string {
    const expanded = value === '~' || value.startsWith('~/') || value.startsWith('~\\') ? path.join(home, value.slice(1)) : value;
    return path.resolve(base, expanded);
}

function isFolder(folder: string): boolean {
    try {
        return fs.statSync(folder).isDirectory();
    } catch {
        return false;
    }
}
