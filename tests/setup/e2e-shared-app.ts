import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { TestProject } from 'vitest/node';
import { freePort } from '../e2e/app-server';
import { SharedSearchFixturesApp, START_ERROR_FILE, startSearchFixturesServer } from '../e2e/search-fixtures-server';

const e2eFolder = path.resolve(__dirname, '../e2e');

/** The e2e files that use the shared app: those that call `openSharedSearchFixturesApp`. */
function sharingFiles(): string[] {
    return fs.readdirSync(e2eFolder).filter(name => name.endsWith('.e2e.ts')
        && fs.readFileSync(path.join(e2eFolder, name), 'utf8').includes('openSharedSearchFixturesApp()'));
}

/**
 * Whether this run may need the shared app: no file filter on the command
 * line, or one naming a file that uses it (`vitest run --project e2e
 * tests/e2e/drop-files.e2e.ts` starts none).
 */
function wanted(): boolean {
    const args = process.argv.slice(2);
    const filters = args.filter((arg, index) => !arg.startsWith('-') && /[/.]/.test(arg) && !/^--[^=]+$/.test(args[index - 1] ?? ''));
    return !filters.length || sharingFiles().some(file => filters.some(filter => file.includes(path.basename(filter)) || filter.includes(file)));
}

/**
 * The e2e project's global setup: one app over the search fixtures for every
 * file that only reads them, started once per run beside the first files
 * (not awaited: files with their own app go ahead meanwhile), stopped after
 * the last. Its files say where it answers through `inject`.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
    if (!wanted()) {
        project.provide('sharedSearchFixturesApp', undefined);
        return undefined;
    }
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'imageparser-e2e-shared-'));
    const port = await freePort();
    const shared: SharedSearchFixturesApp = { url: `http://127.0.0.1:${port}`, folder };
    project.provide('sharedSearchFixturesApp', shared);
    const starting = startSearchFixturesServer(folder, port).catch(error => {
        fs.writeFileSync(path.join(folder, START_ERROR_FILE), error instanceof Error ? error.stack ?? error.message : String(error));
        return undefined;
    });
    return async () => {
        await (await starting)?.stop();
        fs.rmSync(folder, { recursive: true, force: true });
    };
}
