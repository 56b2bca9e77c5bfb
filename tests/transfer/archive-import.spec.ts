import * as fs from 'fs';
import * as path from 'path';
import { Container } from '@theia/core/shared/inversify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TransferProgress } from '../../extensions/archive-core/src/common/archive-transfer-protocol';
import { SearchService } from '../../extensions/archive-core/src/common/search-protocol';
import { ArchiveIngester } from '../../extensions/archive-core/src/node/ingest/archive-ingester';
import { ArchiveStore } from '../../extensions/archive-core/src/node/store/archive-store';
import { CommentRepository } from '../../extensions/archive-core/src/node/store/comment-repository';
import { RatingRepository } from '../../extensions/archive-core/src/node/store/rating-repository';
import { TagRepository } from '../../extensions/archive-core/src/node/store/tag-repository';
import { VectorIndexRepository } from '../../extensions/archive-core/src/node/store/vector-index-repository';
import { disposeArchiveTestContainer, makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { ArchiveImporter } from '../../extensions/archive-core/src/node/transfer/archive-importer';
import { writeSearchFixtures } from '../search/search-fixtures';
import { makeReadOnly } from '../store/read-only-folder';
import { annotateArchive, archiveFingerprint, createTransferContainer, editExport, exportTo, importInto, refusalOf, vectorOf } from './transfer-archives';

/** The archive importer's merge, on export files of the app's exporter. */
describe('archive import', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let a: Container;
    let images: string;
    let exported: string;
    let hashes: Map<number, string>;
    const others: Container[] = [];

    /** A fresh archive, with the images copied to a folder of its own (another path than A's). */
    const freshArchive = async (name: string, withImages = true): Promise<{ container: Container; folder: string; images: string }> => {
        const folder = path.join(temp.folder, name);
        const copy = path.join(temp.folder, `${name}-images`);
        if (withImages) {
            fs.cpSync(images, copy, { recursive: true });
        }
        const container = createTransferContainer(folder);
        others.push(container);
        await container.get<ArchiveStore>(ArchiveStore).open();
        return { container, folder, images: copy };
    };
    const db = async (container: Container) => (await container.get<ArchiveStore>(ArchiveStore).open()).database.reader;

    beforeAll(async () => {
        temp = makeTempFolder('imageparser-import-');
        images = path.join(temp.folder, 'images');
        await writeSearchFixtures(images);
        a = createTransferContainer(path.join(temp.folder, 'a'));
        ({ hashes } = await annotateArchive(a, images));
        exported = path.join(temp.folder, 'a.imageparser-export');
        await exportTo(a, exported);
    }, 120_000);

    afterAll(async () => {
        for (const container of [a, ...others]) {
            await disposeArchiveTestContainer(container);
        }
        temp.remove();
    });

    it('brings every asset, tag, rating, comment revision, collection, preset, vector and thumbnail into a fresh archive at another path', async () => {
        const b = await freshArchive('b');
        const steps = new Set<string>();
        const report = await importInto(b.container, { file: exported, rootMap: { [images]: b.images } }, undefined,
            (progress: Omit<TransferProgress, 'operationId'>) => steps.add(progress.step));
        expect(report).toMatchObject({
            assetsAdded: 10, assetsMerged: 0, filesAdded: 10, ratingsSet: 5, commentsAdded: 3, revisionsAdded: 6, captionsAdded: 1, vectorsAdded: 20,
            collectionsAdded: 3, unchanged: false, dryRun: false, conflicts: []
        });
        // Two vectors an asset: the ingester's visual descriptor and the test model's.
        expect(report.tagsAdded).toBe(4 * 2 + 6);
        expect(report.mediaAdded).toBeGreaterThanOrEqual(10);
        expect([...steps]).toEqual(expect.arrayContaining(['check', 'merge', 'vectors', 'media', 'commit']));
        const reader = await db(b.container);
        const idOf = new Map((reader.prepare('SELECT content_hash, id FROM assets').all() as { content_hash: string; id: number }[]).map(row => [row.content_hash, row.id]));
        expect(idOf.size).toBe(10);
        // Files at the mapped folder, on disk, found by a search on their Korean name.
        const files = reader.prepare('SELECT path, state FROM files ORDER BY path').all() as { path: string; state: string }[];
        expect(files.every(file => file.path.startsWith(b.images + path.sep) && file.state === 'indexed')).toBe(true);
        const search = b.container.get<SearchService>(SearchService);
        expect((await search.search({ text: '캐릭터배경', limit: 10 })).hits.map(hit => hit.name)).toEqual(['캐릭터배경 hero.png']);
        expect((await search.search({ text: 'tag:캐릭터', limit: 20 })).total).toBe(4);
        for (const [aId, hash] of hashes) {
            const bId = idOf.get(hash)!;
            const tags = b.container.get<TagRepository>(TagRepository);
            expect(await tags.tagsOf(bId)).toEqual(await a.get<TagRepository>(TagRepository).tagsOf(aId));
            const aComments = await a.get<CommentRepository>(CommentRepository).list(aId);
            const bComments = await b.container.get<CommentRepository>(CommentRepository).list(bId);
            expect(bComments.map(c => ({ ...c, id: 0, assetId: 0 }))).toEqual(aComments.map(c => ({ ...c, id: 0, assetId: 0 })));
            const vector = (await b.container.get<VectorIndexRepository>(VectorIndexRepository).vectors('vec_visual_test_model', [bId])).get(bId);
            expect(vector && [...vector]).toEqual([...vectorOf(hash)]);
            const thumbnail = reader.prepare('SELECT thumbnail_hash FROM assets WHERE id = ?').pluck().get(bId) as string;
            expect((await b.container.get<ArchiveStore>(ArchiveStore).open()).media.has(thumbnail)).toBe(true);
        }
        expect(reader.prepare('SELECT rating, count(*) AS n FROM assets GROUP BY rating ORDER BY rating').all()).toEqual([
            { rating: 0, n: 5 }, { rating: 2, n: 2 }, { rating: 4, n: 3 }]);
        // The collection in its folder, its members in their own order, its cover; the preset's collection filter points at B's collection.
        const collections = reader.prepare('SELECT id, uid, kind, name, parent_id, cover_asset_id FROM collections ORDER BY id').all() as
            { id: number; uid: string; kind: string; name: string; parent_id: number | null; cover_asset_id: number | null }[];
        expect(collections.map(c => [c.uid, c.kind, c.name])).toEqual([['folder-uid-1', 'folder', '작업'], ['manual-uid-1', 'manual', '캐릭터 모음'], ['smart-uid-1', 'smart', '닮은 것']]);
        // The smart collection's saved search names B's asset and B's collection.
        const smartQuery = JSON.parse(reader.prepare("SELECT query FROM collections WHERE uid = 'smart-uid-1'").pluck().get() as string);
        expect(smartQuery).toEqual({ text: 'hero', references: { assetIds: [idOf.get([...hashes.values()][1])], mode: 'or' }, filters: [{ kind: 'collection', collectionId: collections[1].id }] });
        expect(collections[1].parent_id).toBe(collections[0].id);
        const aReader = await db(a);
        const order = (r: typeof reader, uid: string) => (r.prepare(`SELECT a.content_hash FROM collection_members m JOIN collections c ON c.id = m.collection_id
            JOIN assets a ON a.id = m.asset_id WHERE c.uid = ? ORDER BY m.position`).pluck().all(uid) as string[]);
        expect(order(reader, 'manual-uid-1')).toEqual(order(aReader, 'manual-uid-1'));
        expect(order(reader, 'manual-uid-1')).toHaveLength(4);
        const cover = (r: typeof reader) => r.prepare("SELECT a.content_hash FROM collections c JOIN assets a ON a.id = c.cover_asset_id WHERE c.uid = 'manual-uid-1'").pluck().get();
        expect(cover(reader)).toBe(cover(aReader));
        const preset = JSON.parse(reader.prepare("SELECT filters FROM filter_presets WHERE uid = 'preset-uid-1'").pluck().get() as string);
        expect(preset).toEqual([{ kind: 'rating', min: 4 }, { kind: 'collection', collectionId: collections[1].id }]);

        // A second import of the same file changes nothing.
        const before = archiveFingerprint(b.folder);
        const again = await importInto(b.container, { file: exported, rootMap: { [images]: b.images } });
        expect(again).toMatchObject({ unchanged: true, assetsAdded: 0, assetsMerged: 0, filesAdded: 0, tagsAdded: 0, commentsAdded: 0, revisionsAdded: 0,
            vectorsAdded: 0, mediaAdded: 0, collectionsAdded: 0, collectionsMerged: 0, conflicts: [] });
        expect(archiveFingerprint(b.folder)).toBe(before);
    });

    it('merges into assets already here: fills what they lack, keeps their own values and reports the conflicts', async () => {
        const c = await freshArchive('c');
        const ingester = c.container.get<ArchiveIngester>(ArchiveIngester);
        await ingester.finished(await ingester.start(c.images));
        const reader = await db(c.container);
        const idOf = new Map((reader.prepare('SELECT content_hash, id FROM assets').all() as { content_hash: string; id: number }[]).map(row => [row.content_hash, row.id]));
        const ids = [...hashes.values()].map(hash => idOf.get(hash)!);
        // A's first three have rating 4: here the first gets 5 (a conflict), the other two none (set from the file).
        await c.container.get<RatingRepository>(RatingRepository).setRating([ids[0]], 5, 'other');
        await c.container.get<TagRepository>(TagRepository).addTags([ids[0]], ['캐릭터'], { author: 'other' });
        const [aComment] = await a.get<CommentRepository>(CommentRepository).list([...hashes.keys()][0]);
        (await c.container.get<ArchiveStore>(ArchiveStore).open()).database.write(db => {
            db.prepare("INSERT INTO asset_captions (asset_id, language, model, text, created_at) VALUES (?, 'ko', 'other-captioner', '다른 설명', ?)")
                .run(ids[0], new Date().toISOString());
            // The path where A has hero.png holds other content here (a file replaced on this machine).
            db.prepare("UPDATE files SET asset_id = ?, content_hash = ? WHERE path LIKE '%blue.png'").run(ids[0], [...hashes.values()][0]);
            // A's first comment as it was before its edit (same author and time): here it has its first revision only.
            const comment = aComment!;
            const id = Number(db.prepare('INSERT INTO comments (asset_id, author, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
                .run(ids[0], comment.author, comment.revisions[0].body, comment.createdAt, comment.createdAt).lastInsertRowid);
            db.prepare('INSERT INTO comment_revisions (comment_id, revision, body, author, written_at) VALUES (?, 1, ?, ?, ?)')
                .run(id, comment.revisions[0].body, comment.author, comment.revisions[0].writtenAt);
            // The same collection (by uid) under another name, holding one of its members already.
            const now = new Date().toISOString();
            const mine = Number(db.prepare("INSERT INTO collections (uid, kind, name, position, created_at, updated_at) VALUES ('manual-uid-1', 'manual', '내 모음', 1, ?, ?)")
                .run(now, now).lastInsertRowid);
            db.prepare('INSERT INTO collection_members (collection_id, asset_id, position, added_at) VALUES (?, ?, 1, ?)').run(mine, ids[3], now);
        });
        const report = await importInto(c.container, { file: exported, rootMap: { [images]: c.images } });
        expect(report.assetsAdded).toBe(0);
        expect(report.assetsMerged).toBe(10);
        expect(report.filesAdded).toBe(0);
        expect(report.ratingsSet).toBe(4);
        expect(report.tagsAdded).toBe(4 * 2 + 6 - 1);
        const first = [...hashes.values()][0];
        const blue = [...hashes.values()][1];
        expect(report.conflicts).toEqual([
            { kind: 'rating', contentHash: first, subject: expect.any(String), local: '5', incoming: '4' },
            { kind: 'caption', contentHash: first, subject: 'ko', local: '다른 설명', incoming: '숲 속의 영웅' },
            { kind: 'file', contentHash: blue, subject: path.join(c.images, 'colours', 'blue.png'), local: first, incoming: blue },
            { kind: 'collection', subject: '내 모음', local: '내 모음', incoming: '캐릭터 모음' }
        ]);
        expect(report.collectionsAdded).toBe(2);
        expect(report.collectionsMerged).toBe(1);
        // Its own member first, then the file's others in the file's order (A's: the reverse of the ids).
        expect(reader.prepare(`SELECT m.asset_id FROM collection_members m JOIN collections c ON c.id = m.collection_id
            WHERE c.uid = 'manual-uid-1' ORDER BY m.position`).pluck().all()).toEqual([ids[3], ids[2], ids[1], ids[0]]);
        expect(reader.prepare("SELECT name FROM collections WHERE uid = 'manual-uid-1'").pluck().get()).toBe('내 모음');
        expect(reader.prepare("SELECT text FROM asset_captions WHERE asset_id = ? AND language = 'ko'").pluck().get(ids[0])).toBe('다른 설명');
        // The comment here gained A's edit: both revisions, and the edited text shown.
        expect(report.commentsAdded).toBe(2);
        expect(report.revisionsAdded).toBe(1 + 2 * 2);
        const [merged] = await c.container.get<CommentRepository>(CommentRepository).list(ids[0]);
        expect({ body: merged.body, updatedAt: merged.updatedAt, revisions: merged.revisions }).toEqual({ body: aComment.body, updatedAt: aComment.updatedAt, revisions: aComment.revisions });
        expect(reader.prepare('SELECT rating FROM assets WHERE id = ?').pluck().get(ids[0])).toBe(5);
        expect(reader.prepare('SELECT rating FROM assets WHERE id = ?').pluck().get(ids[1])).toBe(4);
        expect((await c.container.get<SearchService>(SearchService).search({ text: '고친 의견', limit: 20 })).total).toBe(3);
    });

    it('inspects a file without importing it: what it holds and its roots with their asset counts', async () => {
        const d = await freshArchive('inspected', false);
        const before = archiveFingerprint(d.folder);
        const inspection = await d.container.get<ArchiveImporter>(ArchiveImporter).inspect(exported);
        expect(inspection).toMatchObject({ file: exported, formatVersion: 1, assets: 10, includesMedia: true, includesPaths: true, roots: [{ path: images, assets: 10 }] });
        expect(inspection.bytes).toBe(fs.statSync(exported).size);
        expect(archiveFingerprint(d.folder)).toBe(before);
    });

    it('points a saved search\'s or preset\'s folder filter at the mapped root', async () => {
        const withFolder = path.join(temp.folder, 'folder-filter.imageparser-export');
        fs.copyFileSync(exported, withFolder);
        const filters = (folder: string) => JSON.stringify([{ kind: 'folder', path: folder }, { kind: 'rating', min: 1 }]);
        editExport(withFolder, `INSERT INTO filter_presets (uid, name, filters, created_at, updated_at) VALUES ('preset-uid-2', '색', ?, 'then', 'then')`,
            filters(path.join(images, 'colours')));
        editExport(withFolder, `UPDATE collections SET query = ? WHERE uid = 'smart-uid-1'`, JSON.stringify({ filters: [{ kind: 'folder', path: images }] }));
        const k = await freshArchive('folders', false);
        const mapped = path.join(temp.folder, '다른 곳');
        await importInto(k.container, { file: withFolder, rootMap: { [images]: mapped } });
        const reader = await db(k.container);
        expect(reader.prepare("SELECT filters FROM filter_presets WHERE uid = 'preset-uid-2'").pluck().get()).toBe(filters(path.join(mapped, 'colours')));
        expect(JSON.parse(reader.prepare("SELECT query FROM collections WHERE uid = 'smart-uid-1'").pluck().get() as string)).toEqual({ filters: [{ kind: 'folder', path: mapped }] });
    });

    it('refuses a circle of parent folders in a file (a folder inside a collection inside it) as damaged, writing nothing', async () => {
        const circle = path.join(temp.folder, 'circle.imageparser-export');
        fs.copyFileSync(exported, circle);
        editExport(circle, "UPDATE collections SET parent_id = (SELECT id FROM collections WHERE uid = 'manual-uid-1') WHERE uid = 'folder-uid-1'");
        const h = await freshArchive('circle', false);
        const before = archiveFingerprint(h.folder);
        const refusal = await refusalOf(importInto(h.container, { file: circle }));
        expect(refusal).toMatchObject({ reason: 'damaged', detail: 'the collection "folder-uid-1" lies inside "manual-uid-1", which is not a folder' });
        expect(archiveFingerprint(h.folder)).toBe(before);
    });

    it('refuses to import into a read-only archive', async () => {
        const r = await freshArchive('read-only', false);
        r.container.get<ArchiveStore>(ArchiveStore).close();
        const restore = makeReadOnly(r.folder);
        try {
            const readOnly = createTransferContainer(r.folder);
            others.push(readOnly);
            expect((await refusalOf(importInto(readOnly, { file: exported }))).reason).toBe('read-only');
        } finally {
            restore();
        }
    });

    it('a dry run reports what the import would do and writes nothing', async () => {
        const d = await freshArchive('d');
        const before = archiveFingerprint(d.folder);
        const report = await importInto(d.container, { file: exported, rootMap: { [images]: d.images }, dryRun: true });
        expect(report).toMatchObject({ dryRun: true, assetsAdded: 10, filesAdded: 10, vectorsAdded: 20, collectionsAdded: 3, unchanged: false });
        expect(report.mediaAdded).toBeGreaterThanOrEqual(10);
        expect(archiveFingerprint(d.folder)).toBe(before);
    });

    it('a cancelled import rolls back and leaves no temporary media behind', async () => {
        const e = await freshArchive('e');
        const before = archiveFingerprint(e.folder);
        for (const step of ['check', 'merge', 'vectors', 'media', 'commit']) {
            const controller = new AbortController();
            const refusal = await refusalOf(importInto(e.container, { file: exported, rootMap: { [images]: e.images } }, controller.signal, progress => {
                if (progress.step === step) {
                    controller.abort();
                }
            }));
            expect(refusal.reason, step).toBe('cancelled');
            expect(archiveFingerprint(e.folder), step).toBe(before);
        }
        const media = path.join(e.folder, 'media');
        expect(fs.existsSync(media) ? (fs.readdirSync(media, { recursive: true }) as string[]).filter(name => name.endsWith('.tmp')) : []).toEqual([]);
        const report = await importInto(e.container, { file: exported, rootMap: { [images]: e.images } });
        expect(report.assetsAdded).toBe(10);
    });

    it('records files not on disk here as missing, and finds a file without paths under the folder given', async () => {
        const f = await freshArchive('f', false);
        const empty = path.join(temp.folder, 'nowhere');
        const report = await importInto(f.container, { file: exported, rootMap: { [images]: empty } });
        expect(report.filesAdded).toBe(10);
        const reader = await db(f.container);
        expect(reader.prepare('SELECT DISTINCT state FROM files').pluck().all()).toEqual(['missing']);

        const noPaths = path.join(temp.folder, 'no-paths.imageparser-export');
        await exportTo(a, noPaths, { includePaths: false, includeMedia: false });
        const g = await freshArchive('g', false);
        const under = path.join(temp.folder, '받은 파일');
        fs.mkdirSync(under);
        fs.copyFileSync(path.join(images, 'colours', 'blue.png'), path.join(under, 'blue.png'));
        const inspection = await g.container.get<ArchiveImporter>(ArchiveImporter).inspect(noPaths);
        expect(inspection).toMatchObject({ includesPaths: false, includesMedia: false, assets: 10, roots: [] });
        const placed = await importInto(g.container, { file: noPaths, placeUnder: under });
        expect(placed.mediaAdded).toBe(0);
        const gReader = await db(g.container);
        // Only the file that is there is recorded; the other assets arrive without a file, at no guessed path.
        expect(placed).toMatchObject({ assetsAdded: 10, filesAdded: 1, filesFound: 1, filesNotFound: 9 });
        const files = gReader.prepare('SELECT path, state FROM files ORDER BY path').all() as { path: string; state: string }[];
        expect(files).toEqual([{ path: path.join(under, 'blue.png'), state: 'indexed' }]);
        // No media in the file: no thumbnail hash pointing at nothing.
        expect(gReader.prepare('SELECT count(*) FROM assets WHERE thumbnail_hash IS NOT NULL').pluck().get()).toBe(0);
    });
});
