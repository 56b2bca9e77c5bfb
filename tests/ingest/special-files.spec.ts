import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerThreadParsePool } from '../../extensions/archive-core/src/node/ingest/parse-pool';
import { ArchiveDatabase } from '../../extensions/archive-core/src/node/store/database';
import { SqliteIngestRepository } from '../../extensions/archive-core/src/node/store/ingest-repository';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';

const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'extensions/archive-core/lib/node/cli/imageparser.js');

/** Opens and closes the FIFO's write end, so a reader blocked on it (code without the fix) is let go and the test process can exit. */
function releaseReaders(fifo: string): void {
    try {
        fs.closeSync(fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
    } catch {
        // No reader waits.
    }
}

/**
 * A named pipe (FIFO) where an indexed file was: opening it for reading
 * would wait for a writer forever and hold a thread, so hashing and parsing
 * refuse it at once as not a regular file, and the CLI still finishes.
 */
describe('special files where images were', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let art: string;
    let fifo: string;
    let pool: WorkerThreadParsePool;

    beforeAll(async () => {
        temp = makeTempFolder();
        art = path.join(temp.folder, 'art');
        fs.mkdirSync(art);
        await sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 10, g: 200, b: 60 } } }).png().toFile(path.join(art, 'real.png'));
        fifo = path.join(art, 'pipe.png');
        execFileSync('mkfifo', [fifo]);
        pool = new WorkerThreadParsePool({ threads: 2, timeoutMs: 30_000 });
    });

    afterAll(async () => {
        releaseReaders(fifo);
        await pool.destroy();
        temp.remove();
    });

    it('hashing and parsing refuse a named pipe as not a regular file, and keep working for real files', async () => {
        const outcomes = await Promise.all([pool.hash(fifo), pool.parse(fifo, true), pool.parse(fifo, false), pool.hash(fifo), pool.parse(fifo)]);
        for (const outcome of outcomes) {
            expect(outcome).toEqual({ ok: false, error: { code: 'unreadable', message: 'pipe.png is a named pipe (FIFO), not a regular file; ImageParser reads only regular files.' } });
        }
        const hashed = await pool.hash(path.join(art, 'real.png'));
        expect(hashed.ok).toBe(true);
        const parsed = await pool.parse(path.join(art, 'real.png'));
        expect(parsed.ok && [parsed.asset.width, parsed.asset.height]).toEqual([40, 30]);
    });

    it('a symbolic link put where an indexed file was is not followed', async () => {
        const link = path.join(art, 'link.png');
        fs.symlinkSync(path.join(art, 'real.png'), link);
        try {
            const outcome = await pool.parse(link, true);
            expect(outcome).toEqual({ ok: false, error: { code: 'unreadable', message: 'link.png is a symbolic link, not a regular file; ImageParser reads only regular files.' } });
        } finally {
            fs.rmSync(link);
        }
    });

    it('the CLI finishes a run whose pending file became a named pipe, and exits', async () => {
        // A run that was killed after discovery, while pipe.png was still an image: it stays pending in that run.
        const archive = path.join(temp.folder, 'archive');
        const database = ArchiveDatabase.open(path.join(archive, 'archive.sqlite'));
        try {
            const repository = new SqliteIngestRepository(database);
            const run = repository.startRun(art);
            const stat = fs.statSync(path.join(art, 'real.png'));
            repository.recordDiscovery(run, [
                { path: path.join(art, 'real.png'), size: stat.size, mtimeMs: stat.mtimeMs },
                { path: fifo, size: stat.size, mtimeMs: stat.mtimeMs }
            ]);
        } finally {
            database.close();
        }
        const child = spawn(process.execPath, [cli, 'index', art, '--archive', archive, '--threads', '2'], { stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        child.stdout.on('data', chunk => stdout += chunk);
        // Code without the fix never exits (a thread stays blocked opening the pipe): stop it, so the test fails instead of hanging.
        const guard = setTimeout(() => {
            releaseReaders(fifo);
            child.kill('SIGKILL');
        }, 90_000);
        const code = await new Promise<number | null>(resolve => child.once('exit', resolve));
        clearTimeout(guard);
        expect(code).toBe(0);
        expect(stdout).toMatch(/^1 indexed, [01] failed\n/);
        expect(stdout).not.toMatch(/timeout/);
    }, 120_000);
});
