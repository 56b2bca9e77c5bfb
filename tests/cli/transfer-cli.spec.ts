import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import BetterSqlite3 = require('better-sqlite3');
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { ArchiveDatabase } from '../../extensions/archive-core/src/node/store/database';
import { ARCHIVE_MIGRATIONS } from '../../extensions/archive-core/src/node/store/migrations';
import { createVectorIndex } from '../../extensions/archive-core/src/node/store/vector-index-repository';
import { CLI, queryValue, until } from '../ingest/cli-process';
import { writeNoisePngs } from '../ingest/generated-images';

/**
 * `imageparser export` and `imageparser import` as real processes over real
 * archives: an archive indexed from a folder with a Korean name, a
 * collection with a Korean name, the file imported into a fresh archive
 * with the folder mapped to where a copy of the images lies.
 */

interface Run {
    readonly code: number | NodeJS.Signals;
    readonly stdout: string;
    readonly stderr: string;
}

function imageparser(args: readonly string[], whileRunning?: (child: ReturnType<typeof spawn>) => Promise<void>): Promise<Run> {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', chunk => stdout += String(chunk));
    child.stderr!.on('data', chunk => stderr += String(chunk));
    const exited = new Promise<number | NodeJS.Signals>(resolve => child.once('exit', (code, signal) => resolve(signal ?? code ?? -1)));
    return (async () => {
        await whileRunning?.(child).catch(error => {
            child.kill('SIGKILL');
            throw error;
        });
        const code = await exited;
        return { code, stdout, stderr };
    })();
}

const IMAGES = 24;
const BULK_ASSETS = 30_000;

describe('imageparser export and import', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let art: string;
    let copy: string;
    let archiveA: string;

    beforeAll(async () => {
        temp = makeTempFolder('imageparser-transfer-cli-');
        art = path.join(temp.folder, '작업 폴더', '캐릭터 art');
        copy = path.join(temp.folder, 'elsewhere', 'art copy');
        await writeNoisePngs(art, IMAGES, 128, 11, '그림');
        fs.cpSync(art, copy, { recursive: true });
        archiveA = path.join(temp.folder, 'archive-a');
        const indexed = await imageparser(['index', art, '--archive', archiveA, '--threads', '2']);
        expect(indexed.code, indexed.stderr).toBe(0);
        // A manual collection of the first 5 assets, and two collections that share a name.
        const db = new BetterSqlite3(path.join(archiveA, 'archive.sqlite'));
        try {
            const now = new Date().toISOString();
            const insert = db.prepare("INSERT INTO collections (uid, kind, name, position, created_at, updated_at) VALUES (?, 'manual', ?, ?, ?, ?)");
            const heroes = Number(insert.run('uid-heroes', '영웅', 1, now, now).lastInsertRowid);
            insert.run('uid-twin-1', '쌍둥이', 2, now, now);
            insert.run('uid-twin-2', '쌍둥이', 3, now, now);
            const ids = db.prepare('SELECT id FROM assets ORDER BY id LIMIT 5').pluck().all() as number[];
            ids.forEach((id, index) => db.prepare('INSERT INTO collection_members (collection_id, asset_id, position, added_at) VALUES (?, ?, ?, ?)')
                .run(heroes, id, index + 1, now));
        } finally {
            db.close();
        }
    }, 120_000);

    afterAll(() => temp?.remove());

    it('exports the whole archive and imports it into a fresh one with the folder mapped; a second import changes nothing', async () => {
        const file = path.join(temp.folder, '내보내기', 'all.imageparser-export');
        fs.mkdirSync(path.dirname(file));
        const exported = await imageparser(['export', file, '--archive', archiveA]);
        console.log(exported.stdout.trim());
        expect(exported.code, exported.stderr).toBe(0);
        expect(exported.stdout).toMatch(new RegExp(`^exported ${IMAGES} assets \\(\\d+ thumbnails and previews, \\d+ vectors?, 3 collections\\) to .*all\\.imageparser-export: `));
        expect(fs.existsSync(file)).toBe(true);
        expect(fs.readdirSync(path.dirname(file))).toEqual(['all.imageparser-export']);

        const archiveB = path.join(temp.folder, 'archive-b');
        const dryRun = await imageparser(['import', file, '--archive', archiveB, '--dry-run']);
        console.log(dryRun.stdout.trim());
        expect(dryRun.code, dryRun.stderr).toBe(0);
        expect(dryRun.stdout).toContain(`root ${art}: ${IMAGES} assets`);
        expect(dryRun.stdout).toContain(`dry run, nothing written: would import ${file}: ${IMAGES} assets added`);
        expect(queryValue<number>(path.join(archiveB, 'archive.sqlite'), 'SELECT count(*) FROM assets') ?? 0).toBe(0);

        const imported = await imageparser(['import', file, '--archive', archiveB, '--map', `${art}=${copy}`]);
        console.log(imported.stdout.trim());
        expect(imported.code, imported.stderr).toBe(0);
        expect(imported.stdout).toMatch(new RegExp(`^imported .*: ${IMAGES} assets added, 0 merged, ${IMAGES} files, `));
        const databaseB = path.join(archiveB, 'archive.sqlite');
        expect(queryValue<number>(databaseB, 'SELECT count(*) FROM assets')).toBe(IMAGES);
        expect(queryValue<string>(databaseB, "SELECT group_concat(name, ',') FROM collections")).toContain('영웅');
        // The files are where the copy lies, and they are there.
        expect(queryValue<string>(databaseB, 'SELECT path FROM roots')).toBe(copy);

        const again = await imageparser(['import', file, '--archive', archiveB, '--map', `${art}=${copy}`]);
        expect(again.code, again.stderr).toBe(0);
        expect(again.stdout).toBe(`nothing to import from ${file}: the archive has all it holds\n`);
    }, 120_000);

    it('exports a collection named in Korean without paths or media: only its members, no folder path in the bytes', async () => {
        const file = path.join(temp.folder, 'heroes.imageparser-export');
        const exported = await imageparser(['export', file, '--archive', archiveA, '--collection', '영웅', '--no-paths', '--no-media']);
        console.log(exported.stdout.trim());
        expect(exported.code, exported.stderr).toBe(0);
        expect(exported.stdout).toMatch(/^exported 5 assets \(0 thumbnails and previews, \d+ vectors?, 1 collection\)/);
        const bytes = fs.readFileSync(file);
        for (const text of [art, path.dirname(art), temp.folder, '작업 폴더']) {
            expect(bytes.includes(Buffer.from(text, 'utf8')), text).toBe(false);
        }
        const inspected = await imageparser(['import', file, '--archive', path.join(temp.folder, 'archive-c'), '--dry-run']);
        expect(inspected.code, inspected.stderr).toBe(0);
        expect(inspected.stdout).toContain('without thumbnails or previews, without paths (file names only)');
    }, 60_000);

    it('refuses what it cannot do with the reason and a documented exit status, writing nothing', async () => {
        const archiveD = path.join(temp.folder, 'archive-d');
        const notExport = path.join(art, fs.readdirSync(art)[0]);
        const refused = await imageparser(['import', notExport, '--archive', archiveD]);
        expect(refused.code).toBe(3);
        expect(refused.stderr).toContain(`${notExport} is not an ImageParser archive export`);
        expect(queryValue<number>(path.join(archiveD, 'archive.sqlite'), 'SELECT count(*) FROM assets') ?? 0).toBe(0);

        const missing = await imageparser(['import', path.join(temp.folder, 'nowhere.imageparser-export'), '--archive', archiveD]);
        expect(missing.code).toBe(3);
        expect(missing.stderr).toContain('cannot be read');

        const target = path.join(temp.folder, 'exists.imageparser-export');
        fs.writeFileSync(target, 'keep me');
        const exists = await imageparser(['export', target, '--archive', archiveA]);
        expect(exists.code).toBe(3);
        expect(exists.stderr).toContain(`${target} exists already; add --overwrite to replace it`);
        expect(fs.readFileSync(target, 'utf8')).toBe('keep me');
        const overwritten = await imageparser(['export', target, '--archive', archiveA, '--overwrite', '--no-media']);
        expect(overwritten.code, overwritten.stderr).toBe(0);
        expect(fs.readFileSync(target).subarray(0, 15).toString()).toBe('SQLite format 3');

        const unknown = await imageparser(['export', target, '--archive', archiveA, '--collection', '없는 컬렉션']);
        expect(unknown.code).toBe(1);
        expect(unknown.stderr).toContain('no collection is named 없는 컬렉션');
        const twins = await imageparser(['export', target, '--archive', archiveA, '--collection', '쌍둥이', '--overwrite']);
        expect(twins.code).toBe(1);
        expect(twins.stderr).toMatch(/2 collections are named 쌍둥이; give the id of the one to export:\n {2}\d+: 쌍둥이 \(manual\)\n {2}\d+: 쌍둥이 \(manual\)/);

        for (const args of [
            ['export'], ['export', 'a', 'b'], ['export', 'x', '--collection', 'a', '--folder', 'b'], ['import', 'x', '--map', 'no-equals'],
            ['import', 'x', '--no-media'], ['export', 'x', '--collection']
        ]) {
            const wrong = await imageparser([...args, '--archive', archiveD]);
            expect(wrong.code, args.join(' ')).toBe(2);
            expect(wrong.stderr, args.join(' ')).toContain('usage: imageparser');
        }
        expect(fs.existsSync(path.join(temp.folder, 'x'))).toBe(false);
    }, 90_000);

    it('stops on Ctrl+C: exit 130, no file and no temporary file left', async () => {
        // An archive large enough that its export still runs when the signal
        // arrives on a fast machine: archive A with 30,000 more assets, each
        // with a 1152-d vector (about 140 MB to copy), so the export crosses
        // 30 batches, each a point where it can stop.
        const archiveBig = path.join(temp.folder, 'archive-big');
        fs.cpSync(archiveA, archiveBig, { recursive: true });
        const big = ArchiveDatabase.open(path.join(archiveBig, 'archive.sqlite'), { migrations: ARCHIVE_MIGRATIONS });
        try {
            big.write(db => {
                const index = createVectorIndex(db, 'meaning', 'test/interrupt-bulk', 1152);
                const rootId = db.prepare('SELECT id FROM roots ORDER BY id LIMIT 1').pluck().get() as number;
                db.exec(`CREATE TEMP TABLE bulk AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${BULK_ASSETS}) SELECT 1000000 + i AS id FROM n`);
                const now = new Date().toISOString();
                db.prepare(`INSERT INTO assets (id, content_hash, kind, width, height, registered_at)
                    SELECT id, printf('%064x', id), 'png', 64, 64, ? FROM bulk`).run(now);
                db.prepare(`INSERT INTO files (root_id, path, size, mtime_ms, content_hash, asset_id, state, updated_at)
                    SELECT ?, ? || '/bulk/' || id || '.png', 1000, 0, printf('%064x', id), id, 'indexed', ? FROM bulk`).run(rootId, art, now);
                db.exec(`INSERT INTO ${index} (asset_id, embedding) SELECT id, zeroblob(4608) FROM bulk`);
            });
        } finally {
            big.close();
        }
        const folder = path.join(temp.folder, 'interrupted');
        fs.mkdirSync(folder);
        const file = path.join(folder, 'cut.imageparser-export');
        const interrupted = await imageparser(['export', file, '--archive', archiveBig, '--no-media'], async child => {
            // Interrupted once the export has begun writing beside the target.
            await until(() => fs.readdirSync(folder).length > 0 || child.exitCode !== null, 30_000, 'the export to start writing');
            child.kill('SIGINT');
        });
        expect(interrupted.code, interrupted.stdout + interrupted.stderr).toBe(130);
        expect(interrupted.stderr).toContain('cancelled: nothing was written');
        expect(fs.readdirSync(folder)).toEqual([]);
    }, 120_000);
});
