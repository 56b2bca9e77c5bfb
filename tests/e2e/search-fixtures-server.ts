import { execFile } from 'child_process';
import * as path from 'path';
import { promisify } from 'util';
import { writeSearchFixtures } from '../search/search-fixtures';
import { AppServer } from './app-server';

const root = path.resolve(__dirname, '../..');

/** Where the e2e global setup's shared app answers (see `tests/setup/e2e-shared-app.ts`). */
export interface SharedSearchFixturesApp {
    readonly url: string;
    /** The folder holding `art/` (the fixtures) and `archive/`. */
    readonly folder: string;
}

declare module 'vitest' {
    export interface ProvidedContext {
        sharedSearchFixturesApp: SharedSearchFixturesApp | undefined;
    }
}

/** The file in the shared app's folder where the global setup writes why the app did not start. */
export const START_ERROR_FILE = 'start-error.txt';

/**
 * Writes the search fixtures (10 images) into `folder/art` and indexes them
 * into `folder/archive` with the `imageparser` command (the same ingester
 * the app runs); returns the archive folder.
 */
export async function indexSearchFixtures(folder: string): Promise<string> {
    const images = path.join(folder, 'art');
    await writeSearchFixtures(images);
    const archive = path.join(folder, 'archive');
    // Not spawnSync: the global setup runs this in vitest's own process, beside the first test files.
    const indexed = await promisify(execFile)(process.execPath, [path.join(root, 'extensions/archive-core/lib/node/cli/imageparser.js'), 'index', images, '--archive', archive],
        { encoding: 'utf8' }).catch((error: { stdout?: string; stderr?: string; message: string }) => ({ stdout: error.stdout ?? '', stderr: `${error.stderr ?? ''}${error.message}` }));
    if (!indexed.stdout.includes('10 indexed, 0 failed')) {
        throw new Error(`Indexing the search fixtures did not index all 10:\n${indexed.stdout}${indexed.stderr}`);
    }
    return archive;
}

/** The built browser app on a freshly indexed archive of the search fixtures in `folder`. */
export async function startSearchFixturesServer(folder: string, port?: number): Promise<AppServer> {
    const archive = await indexSearchFixtures(folder);
    return AppServer.start({ IMAGEPARSER_HOME: archive, THEIA_CONFIG_DIR: path.join(folder, 'theia-config') }, port);
}

