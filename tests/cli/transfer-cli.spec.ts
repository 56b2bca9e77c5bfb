import { spawn, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import BetterSqlite3 = require('better-sqlite3');
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
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
const BULK_ASSETS = 600;

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
        // Deterministic: the export is held inside its media step until the
        // signal has been sent. Archive A gets 600 more assets with thumbnails
        // (three batches of media, so a turn of the event loop, where the
        // signal is handled, comes after the first), and the media file read
        // first is replaced by a named pipe: reading it blocks the export
        // until this test, having sent SIGINT, writes the file's bytes.
        const archiveBig = path.join(temp.folder, 'archive-big');
        fs.cpSync(archiveA, archiveBig, { recursive: true });
        const mediaFolder = path.join(archiveBig, 'media');
        const mediaPath = (hash: string) => path.join(mediaFolder, hash.slice(0, 2), hash.slice(2, 4), hash);
        const big = new BetterSqlite3(path.join(archiveBig, 'archive.sqlite'));
        try {
            const now = new Date().toISOString();
            const asset = big.prepare(`INSERT INTO assets (content_hash, kind, width, height, thumbnail_hash, thumbnail_mime, registered_at)
                VALUES (?, 'png', 8, 8, ?, 'image/webp', ?)`);
            const file = big.prepare(`INSERT INTO files (root_id, path, size, mtime_ms, content_hash, asset_id, state, updated_at)
                VALUES ((SELECT min(id) FROM roots), ?, 100, 0, ?, ?, 'indexed', ?)`);
            big.transaction(() => {
                for (let i = 0; i < BULK_ASSETS; i++) {
                    const bytes = Buffer.from(`thumbnail ${i}`);
                    const hash = createHash('sha256').update(bytes).digest('hex');
                    fs.mkdirSync(path.dirname(mediaPath(hash)), { recursive: true });
                    fs.writeFileSync(mediaPath(hash), bytes);
                    const contentHash = createHash('sha256').update(`asset ${i}`).digest('hex');
                    const assetId = asset.run(contentHash, hash, now).lastInsertRowid;
                    file.run(path.join(art, 'bulk', `${i}.png`), contentHash, assetId, now);
                }
            })();
        } finally {
            big.close();
        }
        const first = (queryValue<string>(path.join(archiveBig, 'archive.sqlite'), `SELECT min(hash) FROM (SELECT thumbnail_hash AS hash FROM assets
            WHERE thumbnail_hash IS NOT NULL UNION SELECT preview_hash FROM assets WHERE preview_hash IS NOT NULL)`))!;
        const pipe = mediaPath(first);
        const firstBytes = fs.readFileSync(pipe);
        fs.rmSync(pipe);
        const made = spawnSync('mkfifo', [pipe]);
        expect(made.status, String(made.stderr)).toBe(0);

        const folder = path.join(temp.folder, 'interrupted');
        fs.mkdirSync(folder);
        const file = path.join(folder, 'cut.imageparser-export');
        const interrupted = await imageparser(['export', file, '--archive', archiveBig], async child => {
            // The pipe opens for writing (without waiting) only once the export has it open for reading.
            let writer: number | undefined;
            await until(() => {
                try {
                    writer = fs.openSync(pipe, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
                } catch (error) {
                    if ((error as NodeJS.ErrnoException).code !== 'ENXIO') {
                        throw error;
                    }
                }
                return writer !== undefined || child.exitCode !== null;
            }, 60_000, 'the export to read the first media file');
            expect(fs.readdirSync(folder).length, 'the export writes beside the target').toBeGreaterThan(0);
            child.kill('SIGINT');
            if (writer !== undefined) {
                fs.writeSync(writer, firstBytes);
                fs.closeSync(writer);
            }
        });
        expect(interrupted.code, interrupted.stdout + interrupted.stderr).toBe(130);
        expect(interrupted.stderr).toContain('cancelled: nothing was written');
        expect(fs.readdirSync(folder)).toEqual([]);
    }, 120_000);
});
