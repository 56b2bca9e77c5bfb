import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import BetterSqlite3 = require('better-sqlite3');
import * as sqliteVec from 'sqlite-vec';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { writeNoisePngs } from './generated-images';

const root = path.resolve(__dirname, '../..');

/** The compiled `imageparser` command. */
export const CLI = path.join(root, 'extensions/archive-core/lib/node/cli/imageparser.js');

/** A running `imageparser index` process, with what it printed so far and how it ended. */
export interface CliProcess {
    readonly child: ChildProcess;
    readonly stdout: string[];
    readonly stderr: string[];
    /** The exit code, or the signal that ended it. */
    readonly exited: Promise<number | NodeJS.Signals>;
}

export function spawnIndexer(folder: string, archive: string, threads = 2): CliProcess {
    const child = spawn(process.execPath, [CLI, 'index', folder, '--archive', archive, '--threads', String(threads)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: string[] = [];
    const stderr: string[] = [];
    child.stdout!.on('data', chunk => stdout.push(String(chunk)));
    child.stderr!.on('data', chunk => stderr.push(String(chunk)));
    const exited = new Promise<number | NodeJS.Signals>(resolve => child.once('exit', (code, signal) => resolve(signal ?? code ?? -1)));
    return { child, stdout, stderr, exited };
}

/** One value from the archive, read through a connection of its own; undefined while the file or the table is not there yet. */
export function queryValue<T>(database: string, sql: string, ...params: unknown[]): T | undefined {
    if (!fs.existsSync(database)) {
        return undefined;
    }
    const db = new BetterSqlite3(database, { readonly: true, timeout: 5000 });
    sqliteVec.load(db);
    try {
        return db.prepare(sql).pluck().get(...params) as T;
    } catch {
        return undefined;
    } finally {
        db.close();
    }
}

/** Polls until the condition holds; throws after the time limit (a hang, not a slow machine, is what it catches). */
export async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
        if (Date.now() > deadline) {
            throw new Error(`Gave up waiting for ${what}`);
        }
        await new Promise(resolve => setTimeout(resolve, 10));
    }
}

/** The folder of images a describe block's `imageparser` processes index, and the processes to stop after each test. */
export interface IndexerFolder {
    /** The images, `art` in the temporary folder (set once the block's tests run). */
    readonly art: string;
    /** The path of an archive folder `name` beside the images (not created). */
    archive(name: string): string;
    /** Marks processes to be killed (SIGKILL) after the test, should they still run. */
    track(...processes: CliProcess[]): void;
}

/**
 * Registers the hooks of a describe block whose tests run `imageparser`
 * processes over one folder: before all, `images` PNGs of seeded noise
 * (256 px, `seed`) in a temporary folder; after each test, every tracked
 * process that still runs is killed; after all, the folder is removed.
 */
export function useIndexerFolder(images: number, seed: number): IndexerFolder {
    let temp: ReturnType<typeof makeTempFolder> | undefined;
    let running: CliProcess[] = [];
    beforeAll(async () => {
        temp = makeTempFolder();
        await writeNoisePngs(path.join(temp.folder, 'art'), images, 256, seed);
    }, 60_000);
    afterEach(() => {
        running.forEach(each => each.child.kill('SIGKILL'));
        running = [];
    });
    afterAll(() => temp?.remove());
    return {
        get art() {
            return path.join(temp!.folder, 'art');
        },
        archive: name => path.join(temp!.folder, name),
        track: (...processes) => {
            running.push(...processes);
        }
    };
}
