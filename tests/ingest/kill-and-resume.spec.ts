import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import BetterSqlite3 = require('better-sqlite3');
import * as sqliteVec from 'sqlite-vec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { AppServer } from '../e2e/app-server';

const root = path.resolve(__dirname, '../..');
const corpus = path.resolve(root, '../shared/corpus');
const cli = path.join(root, 'extensions/archive-core/lib/node/cli/imageparser.js');

function query<T>(database: string, sql: string): T | undefined {
    if (!fs.existsSync(database)) {
        return undefined;
    }
    const db = new BetterSqlite3(database, { readonly: true, timeout: 5000 });
    sqliteVec.load(db);
    try {
        return db.prepare(sql).pluck().get() as T;
    } catch {
        return undefined;
    } finally {
        db.close();
    }
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
        if (Date.now() > deadline) {
            throw new Error(`Gave up waiting for ${what}`);
        }
        await new Promise(resolve => setTimeout(resolve, 50));
    }
}

describe('killing the indexing process mid-ingest', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let archive: string;
    let database: string;
    let server: AppServer | undefined;

    beforeAll(() => {
        temp = makeTempFolder();
        archive = path.join(temp.folder, 'archive');
        database = path.join(archive, 'archive.sqlite');
    });

    afterAll(async () => {
        await server?.stop();
        temp.remove();
    });

    it('leaves no half-written or duplicate assets, and the restarted backend completes the run', async () => {
        const child = spawn(process.execPath, [cli, 'index', corpus, '--archive', archive, '--threads', '2'], { stdio: 'ignore' });
        const exited = new Promise<NodeJS.Signals | null>(resolve => child.once('exit', (_code, signal) => resolve(signal)));
        await until(() => (query<number>(database, "SELECT count(*) FROM files WHERE state = 'indexed'") ?? 0) >= 60, 120_000, '60 indexed files');
        child.kill('SIGKILL');
        expect(await exited).toBe('SIGKILL');

        const pendingAfterKill = query<number>(database, "SELECT count(*) FROM files WHERE state = 'pending'")!;
        console.log(`killed with ${query<number>(database, "SELECT count(*) FROM files WHERE state = 'indexed'")} indexed and ${pendingAfterKill} pending`);
        expect(pendingAfterKill).toBeGreaterThan(0);
        expect(query<string>(database, "SELECT state FROM ingest_runs")).toBe('running');
        const checkWhole = () => {
            // Every asset carries everything the parse phase writes, or does not exist.
            expect(query<number>(database, `SELECT count(*) FROM assets a WHERE a.thumbnail_hash IS NULL OR a.preview_hash IS NULL OR a.phash IS NULL
                OR NOT EXISTS (SELECT 1 FROM phase_states p WHERE p.asset_id = a.id AND p.phase = 'parse' AND p.state = 'done')
                OR NOT EXISTS (SELECT 1 FROM asset_text t WHERE t.rowid = a.id)`)).toBe(0);
            expect(query<number>(database, "SELECT count(*) FROM files WHERE state = 'indexed' AND asset_id IS NULL")).toBe(0);
            expect(query<number>(database, 'SELECT count(*) - count(DISTINCT content_hash) FROM assets')).toBe(0);
            const vectors = query<string>(database, "SELECT name FROM vector_indexes WHERE model = 'builtin-colour-v1'")!;
            expect(query<number>(database, `SELECT count(*) FROM ${vectors}`)).toBe(query<number>(database, 'SELECT count(*) FROM assets'));
        };
        checkWhole();

        // The app's backend, started on the same archive, resumes the run by itself.
        server = await AppServer.start({ IMAGEPARSER_HOME: archive, THEIA_CONFIG_DIR: path.join(temp.folder, 'theia-config'), IMAGEPARSER_PARSE_THREADS: '2' });
        await until(() => query<string>(database, 'SELECT state FROM ingest_runs') === 'done', 180_000, 'the resumed run to finish');
        expect(server.log).toContain(`Resuming the ingest of ${corpus}`);

        checkWhole();
        expect(query<number>(database, 'SELECT count(*) FROM ingest_runs')).toBe(1);
        expect(query<number>(database, "SELECT count(*) FROM files WHERE state = 'indexed'")).toBe(386);
        expect(query<number>(database, "SELECT count(*) FROM files WHERE state = 'failed'")).toBe(5);
        expect(query<number>(database, "SELECT count(*) FROM files WHERE state = 'pending'")).toBe(0);
        expect(query<number>(database, 'SELECT count(*) FROM assets')).toBe(386);
    }, 180_000);
});
