import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import BetterSqlite3 = require('better-sqlite3');
import * as sqliteVec from 'sqlite-vec';
import sharp from 'sharp';
import { Container } from '@theia/core/shared/inversify';
import { ApplicationError } from '@theia/core/lib/common/application-error';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportOptions, ExportReport, TransferErrors, TransferProgress } from '../../extensions/archive-core/src/common/archive-transfer-protocol';
import { SearchService } from '../../extensions/archive-core/src/common/search-protocol';
import { ArchiveIngester } from '../../extensions/archive-core/src/node/ingest/archive-ingester';
import { ArchiveStore } from '../../extensions/archive-core/src/node/store/archive-store';
import { CommentRepository } from '../../extensions/archive-core/src/node/store/comment-repository';
import { RatingRepository } from '../../extensions/archive-core/src/node/store/rating-repository';
import { TagRepository } from '../../extensions/archive-core/src/node/store/tag-repository';
import { VectorIndexRepository } from '../../extensions/archive-core/src/node/store/vector-index-repository';
import { createArchiveTestContainer, disposeArchiveTestContainer, makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { ArchiveExporter } from '../../extensions/archive-core/src/node/transfer/archive-exporter';
import { bindArchiveExport } from '../../extensions/archive-core/src/node/transfer/archive-export-bindings';
import {
    EXPORT_FORMAT, FILES_TABLE, MANIFEST_TABLE, MEDIA_HASH_PATTERN, MEDIA_TABLE, PORTABLE_TABLES, ROOTS_TABLE, VECTORS_TABLE
} from '../../extensions/archive-core/src/node/transfer/export-format';

type Row = Record<string, unknown>;

const DIMENSIONS = 8;

/** Reads an export file the way anyone would: SQLite, read-only. */
function openExport(file: string): BetterSqlite3.Database {
    return new BetterSqlite3(file, { readonly: true, fileMustExist: true });
}

function manifestOf(db: BetterSqlite3.Database): Record<string, string> {
    return Object.fromEntries((db.prepare(`SELECT key, value FROM ${MANIFEST_TABLE}`).all() as { key: string; value: string }[]).map(row => [row.key, row.value]));
}

function count(db: BetterSqlite3.Database, table: string): number {
    return db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
}

function refusal(error: unknown): string | undefined {
    return TransferErrors.Refused.is(error as object) ? (error as ApplicationError<number, { reason: string }>).data.reason : undefined;
}

/** Coloured, noise-textured PNGs (distinct content hashes). */
async function writeImage(file: string, seed: number): Promise<void> {
    const noise = Buffer.alloc(24 * 16 * 3);
    let state = seed * 7919 + 1;
    for (let i = 0; i < noise.length; i++) {
        state = (state * 1103515245 + 12345) & 0x7fffffff;
        noise[i] = (state >> 16) & 0xff;
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await sharp(noise, { raw: { width: 24, height: 16, channels: 3 } }).resize(240, 160).png().toFile(file);
}

describe('archive export', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let container: Container;
    let exporter: ArchiveExporter;
    let root: string;
    let archiveFile: string;
    /** Asset id by file name. */
    const ids = new Map<string, number>();
    const originalPaths: string[] = [];
    let visualIndex: string;
    /** Vector indexes of the archive: ingest's visual descriptors and the test's own. */
    let indexes: { name: string; dimensions: number }[];
    let collectionIds: { folder: number; manual: number; smart: number; child: number; deleted: number };

    const output = (name: string) => path.join(temp.folder, 'exports', name);
    const run = (options: Partial<ExportOptions> & { file: string }, progress: (p: Omit<TransferProgress, 'operationId'>) => void = () => undefined, signal = new AbortController().signal): Promise<ExportReport> =>
        exporter.export({ scope: { kind: 'archive' }, ...options }, progress, signal);

    /** A second connection to the archive, as another process (the app's ingest, a worker) would have. */
    const withArchive = <T>(work: (db: BetterSqlite3.Database) => T): T => {
        const db = new BetterSqlite3(archiveFile, { timeout: 5000 });
        try {
            sqliteVec.load(db);
            db.pragma('foreign_keys = ON');
            return work(db);
        } finally {
            db.close();
        }
    };

    beforeAll(async () => {
        temp = makeTempFolder('imageparser-export-');
        root = path.join(temp.folder, '사진 원본');
        const names = ['캐릭터/영웅.png', '캐릭터/악당.png', '캐릭터/hero.png', '배경/숲.png', '배경/city.png', '배경2/sky.png'];
        for (const [i, name] of names.entries()) {
            await writeImage(path.join(root, name), i + 1);
            originalPaths.push(path.join(root, name));
        }
        fs.mkdirSync(path.join(temp.folder, 'exports'));
        container = createArchiveTestContainer(path.join(temp.folder, 'archive'), { threads: 1 });
        bindArchiveExport(container.bind.bind(container));
        exporter = container.get<ArchiveExporter>(ArchiveExporter);
        const ingester = container.get<ArchiveIngester>(ArchiveIngester);
        await ingester.finished(await ingester.start(root));
        const { database } = await container.get<ArchiveStore>(ArchiveStore).open();
        archiveFile = database.file;
        for (const row of database.reader.prepare('SELECT path, asset_id FROM files WHERE asset_id IS NOT NULL').all() as { path: string; asset_id: number }[]) {
            ids.set(path.basename(row.path), row.asset_id);
        }
        expect(ids.size).toBe(names.length);
        const id = (name: string) => ids.get(name)!;
        await container.get<TagRepository>(TagRepository).addTags([id('영웅.png'), id('hero.png')], ['캐릭터', 'hero']);
        await container.get<RatingRepository>(RatingRepository).setRating([id('영웅.png')], 4, 'tester');
        const comments = container.get<CommentRepository>(CommentRepository);
        const comment = await comments.add(id('영웅.png'), '첫 번째 의견', '김작가');
        await comments.edit(comment.id, '고친 의견', '김작가');
        const vectors = container.get<VectorIndexRepository>(VectorIndexRepository);
        visualIndex = await vectors.ensureIndex('visual', 'test-model', DIMENSIONS);
        for (const [name, assetId] of ids) {
            await vectors.put(visualIndex, assetId, Float32Array.from({ length: DIMENSIONS }, (_, i) => (i + 1) * name.length / 10));
        }
        indexes = withArchive(db => db.prepare('SELECT name, dimensions FROM vector_indexes ORDER BY name').all() as { name: string; dimensions: number }[]);
        expect(indexes.map(index => index.name)).toContain(visualIndex);
        // Collections, phase records, secrets and presets as the other scopes' code writes them (their repositories land separately).
        collectionIds = withArchive(db => {
            const now = new Date().toISOString();
            const insert = db.prepare(`INSERT INTO collections (uid, parent_id, kind, name, position, cover_asset_id, query, created_at, updated_at, deleted_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
            const folder = Number(insert.run('uid-folder', null, 'folder', '작업 폴더', 1, null, null, now, now, null).lastInsertRowid);
            const manual = Number(insert.run('uid-manual', folder, 'manual', '캐릭터 모음', 1, id('hero.png'), null, now, now, null).lastInsertRowid);
            const child = Number(insert.run('uid-child', folder, 'manual', '빈 모음', 2, null, null, now, now, null).lastInsertRowid);
            const smart = Number(insert.run('uid-smart', null, 'smart', '별점 4 이상', 2, null, JSON.stringify({ filters: [] }), now, now, null).lastInsertRowid);
            const deleted = Number(insert.run('uid-deleted', null, 'manual', '지운 모음', 3, null, null, now, now, now).lastInsertRowid);
            // A saved search and a preset that name a folder by its path.
            const folderFilter = JSON.stringify({ filters: [{ kind: 'folder', path: path.join(root, '캐릭터') }] });
            insert.run('uid-smart-folder', null, 'smart', '캐릭터 폴더', 4, null, folderFilter, now, now, null);
            db.prepare('INSERT INTO filter_presets (uid, name, filters, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
                .run('uid-preset-folder', '폴더 필터', JSON.stringify([{ kind: 'folder', path: path.join(root, '배경') }]), now, now);
            const member = db.prepare('INSERT INTO collection_members (collection_id, asset_id, position, added_at) VALUES (?, ?, ?, ?)');
            member.run(manual, id('영웅.png'), 1, now);
            member.run(manual, id('악당.png'), 2, now);
            member.run(deleted, id('city.png'), 1, now);
            db.prepare('INSERT INTO smart_collection_members (collection_id, asset_id, rank) VALUES (?, ?, ?)').run(smart, id('숲.png'), 1);
            db.prepare('INSERT INTO filter_presets (uid, name, filters, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run('uid-preset', '좋은 것', '[]', now, now);
            const hash = db.prepare('SELECT content_hash FROM assets WHERE id = ?').pluck().get(id('hero.png'));
            db.prepare(`INSERT OR REPLACE INTO phase_states (asset_id, phase, model, state, content_hash, error_code, error, attempts, updated_at)
                VALUES (?, 'caption', 'm', 'failed', ?, 'decode', ?, 1, ?)`).run(id('hero.png'), hash, `cannot decode ${originalPaths[2]}`, now);
            db.prepare(`INSERT OR REPLACE INTO phase_results (content_hash, phase, model, config_version, result, created_at)
                VALUES (?, 'probe', 'm', '', ?, ?)`).run(hash, JSON.stringify({ source: originalPaths[2] }), now);
            return { folder, manual, smart, child, deleted };
        });
    }, 120_000);

    afterAll(async () => {
        await disposeArchiveTestContainer(container);
        temp.remove();
    });

    it('exports the whole archive: manifest counts match the rows, every portable table, vectors, media, collections; no secrets or jobs', async () => {
        const file = output('전체.imageparser-export');
        const steps = new Set<string>();
        const report = await run({ file }, p => steps.add(p.step));
        expect(report).toMatchObject({ file, assets: 6, vectors: 6 * indexes.length, collections: 5 });
        expect(report.media).toBeGreaterThanOrEqual(6);
        expect(report.bytes).toBe(fs.statSync(file).size);
        expect([...steps]).toEqual(expect.arrayContaining(['snapshot', 'select', 'vectors', 'media', 'commit']));
        const db = openExport(file);
        try {
            const manifest = manifestOf(db);
            expect(manifest).toMatchObject({
                format: EXPORT_FORMAT, formatVersion: '1', scopeLabel: 'archive', includesMedia: 'true', includesPaths: 'true',
                assets: '6', files: '6', vectors: String(6 * indexes.length), collections: '5'
            });
            expect(Number(manifest.schemaVersion)).toBeGreaterThanOrEqual(22);
            expect(Number(manifest.media)).toBe(count(db, MEDIA_TABLE));
            expect(Number(manifest.mediaBytes)).toBe(db.prepare(`SELECT sum(size) FROM ${MEDIA_TABLE}`).pluck().get());
            expect(count(db, 'assets')).toBe(6);
            expect(count(db, FILES_TABLE)).toBe(6);
            // Rollback-journal mode (header bytes 18-19 are 1 in legacy mode, 2 in WAL).
            expect([...fs.readFileSync(file).subarray(18, 20)]).toEqual([1, 1]);
            const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]).sort();
            expect(tables).toEqual([...PORTABLE_TABLES, MANIFEST_TABLE, ROOTS_TABLE, FILES_TABLE, VECTORS_TABLE, MEDIA_TABLE].sort());
            expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE type IN ('view', 'trigger')").pluck().get()).toBe(0);
            // Files: below their root, '/'-separated, with the root's absolute path beside them.
            const roots = db.prepare(`SELECT id, path FROM ${ROOTS_TABLE}`).all() as { id: number; path: string }[];
            expect(roots.map(r => r.path)).toEqual([root]);
            const files = db.prepare(`SELECT relative_path, root_id, state FROM ${FILES_TABLE} ORDER BY relative_path`).all() as Row[];
            expect(files.map(f => f.relative_path)).toEqual(['배경/city.png', '배경/숲.png', '배경2/sky.png', '캐릭터/hero.png', '캐릭터/악당.png', '캐릭터/영웅.png'].sort());
            expect(new Set(files.map(f => f.root_id))).toEqual(new Set([roots[0].id]));
            // Annotations with their history.
            const heroId = ids.get('영웅.png');
            expect(db.prepare('SELECT rating FROM assets WHERE id = ?').pluck().get(heroId)).toBe(4);
            expect(db.prepare('SELECT t.name FROM asset_tags a JOIN tags t ON t.id = a.tag_id WHERE a.asset_id = ? ORDER BY t.name').pluck().all(heroId)).toEqual(['hero', '캐릭터']);
            expect(db.prepare('SELECT body FROM comments WHERE asset_id = ?').pluck().all(heroId)).toEqual(['고친 의견']);
            expect(db.prepare('SELECT body FROM comment_revisions ORDER BY revision').pluck().all()).toEqual(['첫 번째 의견', '고친 의견']);
            expect(count(db, 'layers')).toBeGreaterThanOrEqual(0);
            expect(count(db, 'schema_migrations')).toBe(Number(manifest.schemaVersion));
            // Vectors: float32, 4 × dimensions bytes, from the archive's index, named by a vector_indexes row.
            expect(db.prepare('SELECT name, dimensions FROM vector_indexes ORDER BY name').all()).toEqual(indexes);
            for (const index of indexes) {
                expect(db.prepare(`SELECT DISTINCT length(embedding) FROM ${VECTORS_TABLE} WHERE index_name = ?`).pluck().all(index.name)).toEqual([4 * index.dimensions]);
            }
            const vector = db.prepare(`SELECT embedding FROM ${VECTORS_TABLE} WHERE index_name = ? AND asset_id = ?`).pluck().get(visualIndex, heroId) as Buffer;
            expect(vector.length).toBe(4 * DIMENSIONS);
            const expected = Float32Array.from({ length: DIMENSIONS }, (_, i) => (i + 1) * '영웅.png'.length / 10);
            expect([...new Float32Array(vector.buffer.slice(vector.byteOffset, vector.byteOffset + vector.length))]).toEqual([...expected]);
            // Media: named by the sha-256 of their bytes, size = length(bytes); every asset's thumbnail is there.
            for (const media of db.prepare(`SELECT hash, size, bytes FROM ${MEDIA_TABLE}`).all() as { hash: string; size: number; bytes: Buffer }[]) {
                expect(media.hash).toMatch(MEDIA_HASH_PATTERN);
                expect(media.size).toBe(media.bytes.length);
                expect(crypto.createHash('sha256').update(media.bytes).digest('hex')).toBe(media.hash);
            }
            expect(db.prepare(`SELECT count(*) FROM assets WHERE thumbnail_hash IS NOT NULL AND thumbnail_hash NOT IN (SELECT hash FROM ${MEDIA_TABLE})`).pluck().get()).toBe(0);
            // Live collections with their members and presets; the deleted one stays home.
            expect(db.prepare('SELECT name FROM collections ORDER BY id').pluck().all()).toEqual(['작업 폴더', '캐릭터 모음', '빈 모음', '별점 4 이상', '캐릭터 폴더']);
            expect(db.prepare('SELECT asset_id FROM collection_members WHERE collection_id = ? ORDER BY position').pluck().all(collectionIds.manual))
                .toEqual([ids.get('영웅.png'), ids.get('악당.png')]);
            expect(db.prepare('SELECT name FROM filter_presets ORDER BY name').pluck().all()).toEqual(['좋은 것', '폴더 필터'].sort());
            // Phase errors and results travel with paths included.
            expect(db.prepare("SELECT error FROM phase_states WHERE phase = 'caption'").pluck().get()).toContain('hero.png');
        } finally {
            db.close();
        }
    });

    it('exports one collection folder: its collections and their (manual and smart) members only, the top one top-level', async () => {
        const file = output('collection.imageparser-export');
        const report = await run({ file, scope: { kind: 'collection', collectionId: collectionIds.folder } });
        expect(report).toMatchObject({ assets: 2, collections: 3 });
        const db = openExport(file);
        try {
            expect(manifestOf(db).scopeLabel).toBe('collection: 작업 폴더');
            expect((db.prepare('SELECT id FROM assets ORDER BY id').pluck().all() as number[])).toEqual([ids.get('영웅.png'), ids.get('악당.png')].sort((a, b) => a! - b!));
            expect(db.prepare('SELECT name, parent_id FROM collections ORDER BY id').all()).toEqual([
                { name: '작업 폴더', parent_id: null }, { name: '캐릭터 모음', parent_id: collectionIds.folder }, { name: '빈 모음', parent_id: collectionIds.folder }
            ]);
            // hero.png is the cover but not a member: the cover does not point outside the file.
            expect(db.prepare('SELECT cover_asset_id FROM collections WHERE id = ?').pluck().get(collectionIds.manual)).toBeNull();
            expect(count(db, 'filter_presets')).toBe(0);
            expect(count(db, VECTORS_TABLE)).toBe(2 * indexes.length);
        } finally {
            db.close();
        }
        const smart = await run({ file: output('smart.imageparser-export'), scope: { kind: 'collection', collectionId: collectionIds.smart } });
        expect(smart).toMatchObject({ assets: 1, collections: 1 });
        const smartDb = openExport(output('smart.imageparser-export'));
        expect(smartDb.prepare('SELECT id FROM assets').pluck().all()).toEqual([ids.get('숲.png')]);
        smartDb.close();
    });

    it('exports a folder: the files below it, not a sibling whose name starts the same', async () => {
        const file = output('folder.imageparser-export');
        const report = await run({ file, scope: { kind: 'folder', path: path.join(root, '배경') + path.sep } });
        expect(report.assets).toBe(2);
        const db = openExport(file);
        try {
            expect((db.prepare(`SELECT relative_path FROM ${FILES_TABLE} ORDER BY relative_path`).pluck().all())).toEqual(['배경/city.png', '배경/숲.png']);
            expect(manifestOf(db).scopeLabel).toBe(`folder: ${path.join(root, '배경')}`);
            expect(count(db, 'collections')).toBe(0);
        } finally {
            db.close();
        }
    });

    it('exports every hit of a query through the search engine, and a list of assets without media', async () => {
        const search = container.get<SearchService>(SearchService);
        const query = { text: 'png' };
        const hits = await search.search({ ...query, limit: 1000 });
        expect(hits.total).toBe(6);
        const report = await run({ file: output('query.imageparser-export'), scope: { kind: 'query', query: { ...query, limit: 2 } } });
        expect(report.assets).toBe(hits.total);
        const byTag = await run({ file: output('tag.imageparser-export'), scope: { kind: 'query', query: { text: 'tag:hero' } } });
        expect(byTag.assets).toBe(2);

        const listed = [ids.get('숲.png')!, ids.get('sky.png')!, 987654];
        const file = output('assets.imageparser-export');
        const assets = await run({ file, scope: { kind: 'assets', assetIds: listed }, includeMedia: false });
        expect(assets).toMatchObject({ assets: 2, media: 0 });
        const db = openExport(file);
        try {
            expect(manifestOf(db)).toMatchObject({ includesMedia: 'false', media: '0', mediaBytes: '0', assets: '2' });
            expect(count(db, MEDIA_TABLE)).toBe(0);
        } finally {
            db.close();
        }
    });

    it('without paths, no original path or root folder appears anywhere in the bytes; files keep their names only', async () => {
        const file = output('no-paths.imageparser-export');
        await run({ file, includePaths: false });
        const folderFile = output('no-paths-folder.imageparser-export');
        await run({ file: folderFile, includePaths: false, scope: { kind: 'folder', path: path.join(root, '캐릭터') } });
        for (const exported of [file, folderFile]) {
            const bytes = fs.readFileSync(exported);
            const needles = [root, temp.folder, ...originalPaths, ...originalPaths.map(p => path.dirname(p)), '캐릭터/영웅.png', '배경/숲.png'];
            for (const needle of needles) {
                for (const encoding of ['utf8', 'utf16le'] as const) {
                    expect(bytes.includes(Buffer.from(needle, encoding)), `${needle} (${encoding}) in ${path.basename(exported)}`).toBe(false);
                }
            }
        }
        const db = openExport(file);
        try {
            expect(manifestOf(db).includesPaths).toBe('false');
            expect(count(db, ROOTS_TABLE)).toBe(0);
            expect(db.prepare(`SELECT relative_path FROM ${FILES_TABLE} ORDER BY relative_path`).pluck().all())
                .toEqual(['city.png', 'hero.png', 'sky.png', '숲.png', '악당.png', '영웅.png'].sort());
            expect(db.prepare(`SELECT count(*) FROM ${FILES_TABLE} WHERE root_id IS NOT NULL`).pluck().get()).toBe(0);
            expect(db.prepare("SELECT error, error_code FROM phase_states WHERE phase = 'caption'").get()).toEqual({ error: null, error_code: 'decode' });
            // A saved search or preset naming a folder by its path stays home; the others travel.
            expect(db.prepare('SELECT name FROM collections ORDER BY id').pluck().all()).toEqual(['작업 폴더', '캐릭터 모음', '빈 모음', '별점 4 이상']);
            expect(db.prepare('SELECT name FROM filter_presets').pluck().all()).toEqual(['좋은 것']);
            expect(manifestOf(db).collections).toBe('4');
            expect(count(db, 'assets')).toBe(6);
        } finally {
            db.close();
        }
        const folderDb = openExport(folderFile);
        expect(manifestOf(folderDb).scopeLabel).toBe('folder: 캐릭터');
        folderDb.close();
    });

    it('writes one consistent snapshot while other connections keep writing', async () => {
        const heroId = ids.get('영웅.png')!;
        const skyId = ids.get('sky.png')!;
        const before = withArchive(db => ({
            assets: db.prepare('SELECT id, rating FROM assets ORDER BY id').all() as { id: number; rating: number }[],
            tags: db.prepare('SELECT count(*) FROM asset_tags').pluck().get() as number
        }));
        let writes = 0;
        const writer = new BetterSqlite3(archiveFile, { timeout: 5000 });
        writer.pragma('foreign_keys = ON');
        let steady: ReturnType<typeof setInterval> | undefined;
        try {
            const file = output('snapshot.imageparser-export');
            await run({ file }, progress => {
                if (progress.step === 'snapshot') {
                    // Another process's steady writes: ratings flip while the export runs.
                    steady = setInterval(() => {
                        writer.prepare('UPDATE assets SET rating = ? WHERE id != ?').run(1 + (writes++ % 5), heroId);
                    }, 1);
                    // Right after the snapshot began: a new rating, an asset deleted, a tag added, a new asset.
                    writer.prepare('UPDATE assets SET rating = 1 WHERE id = ?').run(heroId);
                    writer.prepare('DELETE FROM assets WHERE id = ?').run(skyId);
                    writer.prepare("INSERT INTO tags (name) VALUES ('나중') ON CONFLICT DO NOTHING").run();
                    writer.prepare("INSERT INTO asset_tags (asset_id, tag_id, source) SELECT ?, id, 'user' FROM tags WHERE name = '나중'").run(heroId);
                    writer.prepare(`INSERT INTO assets (content_hash, kind, registered_at) VALUES ('${'f'.repeat(64)}', 'png', '2026-01-01')`).run();
                    // The app's own write path too (it runs at the exporter's next turn).
                    void container.get<RatingRepository>(RatingRepository).setRating([ids.get('숲.png')!], 5, 'tester');
                }
            });
            expect(writes).toBeGreaterThan(0);
            const db = openExport(file);
            try {
                expect(db.prepare('SELECT id, rating FROM assets ORDER BY id').all()).toEqual(before.assets);
                expect(count(db, 'asset_tags')).toBe(before.tags);
                expect(manifestOf(db).assets).toBe(String(before.assets.length));
                expect(db.prepare(`SELECT count(*) FROM ${FILES_TABLE} WHERE asset_id = ?`).pluck().get(skyId)).toBe(1);
                expect(db.prepare(`SELECT count(*) FROM ${VECTORS_TABLE} WHERE asset_id = ?`).pluck().get(skyId)).toBe(indexes.length);
                // Every row points at an exported asset.
                for (const table of ['asset_tags', 'layers', 'comments', 'phase_states', FILES_TABLE, VECTORS_TABLE, 'collection_members']) {
                    expect(db.prepare(`SELECT count(*) FROM ${table} WHERE asset_id NOT IN (SELECT id FROM assets)`).pluck().get(), table).toBe(0);
                }
            } finally {
                db.close();
            }
            // The writes did land in the archive.
            expect(withArchive(db => db.prepare('SELECT count(*) FROM assets WHERE id = ?').pluck().get(skyId))).toBe(0);
        } finally {
            if (steady) {
                clearInterval(steady);
            }
            writer.close();
        }
    });

    it('cancelling leaves nothing behind; an existing file is refused unless overwriting', async () => {
        const exports = path.join(temp.folder, 'exports');
        const listing = () => fs.readdirSync(exports).sort();
        const before = listing();
        for (const at of ['snapshot', 'select', 'vectors', 'media'] as const) {
            const controller = new AbortController();
            const file = output(`cancelled-${at}.imageparser-export`);
            const error = await run({ file }, p => p.step === at && controller.abort(), controller.signal).catch(e => e);
            expect(refusal(error), at).toBe('cancelled');
            expect(listing(), at).toEqual(before);
        }

        const existing = output('existing.imageparser-export');
        fs.writeFileSync(existing, 'keep me');
        const refused = await run({ file: existing }).catch(e => e);
        expect(refusal(refused)).toBe('target-exists');
        expect(fs.readFileSync(existing, 'utf8')).toBe('keep me');
        const replaced = await run({ file: existing, overwrite: true, scope: { kind: 'assets', assetIds: [ids.get('영웅.png')!] } });
        expect(replaced.assets).toBe(1);
        const db = openExport(existing);
        expect(manifestOf(db).assets).toBe('1');
        db.close();
        expect(listing()).toEqual([...before, 'existing.imageparser-export'].sort());

        // Not even with overwrite does an export replace the archive's own database.
        const archiveBytes = fs.statSync(archiveFile).size;
        expect(refusal(await run({ file: archiveFile, overwrite: true }).catch(e => e))).toBe('target-exists');
        expect(fs.statSync(archiveFile).size).toBe(archiveBytes);
        expect(fs.readdirSync(path.dirname(archiveFile)).filter(name => name.endsWith('.tmp'))).toEqual([]);
    });

    it('places a file outside any root under its own folder as an extra root (and by name alone without paths)', async () => {
        const heroId = ids.get('영웅.png')!;
        withArchive(db => db.prepare('UPDATE files SET root_id = NULL WHERE asset_id = ?').run(heroId));
        const file = output('rootless.imageparser-export');
        await run({ file, scope: { kind: 'assets', assetIds: [heroId, ids.get('악당.png')!] } });
        const db = openExport(file);
        try {
            const rows = db.prepare(`SELECT r.path AS root, f.relative_path FROM ${FILES_TABLE} f JOIN ${ROOTS_TABLE} r ON r.id = f.root_id ORDER BY f.relative_path`).all();
            expect(rows).toEqual([{ root: path.join(root, '캐릭터'), relative_path: '영웅.png' }, { root, relative_path: '캐릭터/악당.png' }]);
        } finally {
            db.close();
        }
        const bare = output('rootless-bare.imageparser-export');
        await run({ file: bare, includePaths: false, scope: { kind: 'assets', assetIds: [heroId] } });
        const bareDb = openExport(bare);
        expect(bareDb.prepare(`SELECT root_id, relative_path FROM ${FILES_TABLE}`).all()).toEqual([{ root_id: null, relative_path: '영웅.png' }]);
        bareDb.close();
    });

    it('leaves a superseded asset out of a whole-archive export, none of its bytes in the file (free space included)', async () => {
        const marker = `superseded-${crypto.randomBytes(8).toString('hex')}`;
        withArchive(db => db.prepare(`INSERT INTO assets (content_hash, kind, registered_at, notes, superseded) VALUES (?, 'png', ?, ?, 1)`)
            .run(crypto.createHash('sha256').update(marker).digest('hex'), new Date().toISOString(), marker));
        const current = withArchive(db => db.prepare('SELECT count(*) FROM assets WHERE superseded = 0').pluck().get() as number);
        for (const includePaths of [true, false]) {
            const file = output(`without-superseded-${includePaths}.imageparser-export`);
            const report = await run({ file, includePaths, includeMedia: false });
            expect(report.assets).toBe(current);
            const db = openExport(file);
            try {
                expect(count(db, 'assets')).toBe(current);
                expect(db.prepare('SELECT count(*) FROM assets WHERE superseded <> 0').pluck().get()).toBe(0);
            } finally {
                db.close();
            }
            expect(fs.readFileSync(file).includes(Buffer.from(marker))).toBe(false);
        }
    });
});
