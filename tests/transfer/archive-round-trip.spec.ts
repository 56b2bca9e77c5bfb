import * as fs from 'fs';
import * as path from 'path';
import BetterSqlite3 = require('better-sqlite3');
import { Container } from '@theia/core/shared/inversify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SearchQuery, SearchService } from '../../extensions/archive-core/src/common/search-protocol';
import { ArchiveStore } from '../../extensions/archive-core/src/node/store/archive-store';
import { ARCHIVE_DATABASE_FILE } from '../../extensions/archive-core/src/node/store/archive-location';
import { disposeArchiveTestContainer, makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { ArchiveExporter } from '../../extensions/archive-core/src/node/transfer/archive-exporter';
import { ExportOptions } from '../../extensions/archive-core/src/common/archive-transfer-protocol';
import { writeSearchFixtures } from '../search/search-fixtures';
import { annotateArchive, archiveFingerprint, createTransferContainer, importInto } from './transfer-archives';

const corpus = path.resolve(__dirname, '../../../shared/corpus');

/** Twenty searches: words (Korean, English, mixed), field prefixes, comments, filters, sorted browsing. */
const QUERIES: SearchQuery[] = [
    { text: 'forest' }, { text: '배경' }, { text: 'hero' }, { text: '캐릭터' }, { text: 'yellow' }, { text: 'red' }, { text: '야경 night' },
    { text: '고양이 adventure' }, { text: 'colours' }, { text: 'layer' }, { text: 'text' }, { text: 'psd' }, { text: '의견' },
    { text: 'revised' }, { text: '영웅' }, { text: 'tag:background' }, { text: 'layer:배경' },
    { filters: [{ kind: 'rating', min: 4 }] },
    { filters: [{ kind: 'tags', tags: ['캐릭터'], mode: 'any' } as never] },
    { sort: { by: 'name', direction: 'asc' } },
];

/**
 * The round trip through the real exporter and importer: archive A
 * (the corpus's rasters and the generated images, annotated) exported with
 * thumbnails and imported into a fresh archive B whose images lie at
 * another path; then one collection exported without thumbnails and
 * without paths into archive C.
 */
describe('archive round trip', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let a: Container;
    let b: Container;
    let c: Container;
    let aImages: string;
    let bImages: string;
    const containers: Container[] = [];

    const exporter = (container: Container) => container.get<ArchiveExporter>(ArchiveExporter);
    const exportArchive = (container: Container, options: ExportOptions) => exporter(container).export(options, () => undefined, new AbortController().signal);
    const reader = async (container: Container) => (await container.get<ArchiveStore>(ArchiveStore).open()).database.reader;
    const open = (name: string): Container => {
        const container = createTransferContainer(path.join(temp.folder, name));
        containers.push(container);
        return container;
    };

    /** Per content hash: tags, rating, comment revisions, vectors of every index, collections it is in (by uid, with its place). */
    const contents = async (container: Container): Promise<Map<string, unknown>> => {
        const db = await reader(container);
        const indexes = db.prepare('SELECT name FROM vector_indexes ORDER BY name').pluck().all() as string[];
        const result = new Map<string, unknown>();
        for (const asset of db.prepare('SELECT id, content_hash, rating, kind, width, height, layer_count FROM assets WHERE superseded = 0').all() as
            { id: number; content_hash: string }[]) {
            result.set(asset.content_hash, {
                asset: { ...asset, id: undefined },
                tags: db.prepare(`SELECT t.name, x.source FROM asset_tags x JOIN tags t ON t.id = x.tag_id WHERE x.asset_id = ? ORDER BY t.name, x.source`).all(asset.id),
                captions: db.prepare('SELECT language, model, text, created_at FROM asset_captions WHERE asset_id = ? ORDER BY language').all(asset.id),
                words: db.prepare('SELECT word, stem FROM caption_words WHERE asset_id = ? ORDER BY word').all(asset.id),
                layers: db.prepare('SELECT idx, name, kind, text FROM layers WHERE asset_id = ? ORDER BY idx').all(asset.id),
                revisions: db.prepare(`SELECT c.author, c.created_at, c.body, r.revision, r.body AS revisionBody, r.written_at FROM comments c
                    JOIN comment_revisions r ON r.comment_id = c.id WHERE c.asset_id = ? ORDER BY c.created_at, r.revision`).all(asset.id),
                vectors: indexes.map(index => [index, (db.prepare(`SELECT embedding FROM ${index} WHERE asset_id = ?`).pluck().get(BigInt(asset.id)) as Buffer | undefined)?.toString('hex')]),
                collections: db.prepare(`SELECT c.uid, c.name, m.position FROM collection_members m JOIN collections c ON c.id = m.collection_id
                    WHERE m.asset_id = ? ORDER BY c.uid`).all(asset.id)
            });
        }
        return result;
    };

    beforeAll(async () => {
        temp = makeTempFolder('imageparser-round-trip-');
        // Both image folders' paths have the same length, so text ranking (which weighs a path's length) sees the same documents.
        aImages = path.join(temp.folder, 'a-images');
        bImages = path.join(temp.folder, 'b-images');
        fs.cpSync(path.join(corpus, 'raster'), path.join(aImages, 'raster'), { recursive: true });
        await writeSearchFixtures(path.join(aImages, 'generated'));
        fs.cpSync(aImages, bImages, { recursive: true });
        a = open('a');
        await annotateArchive(a, aImages);
        b = open('b');
        c = open('c');
        await b.get<ArchiveStore>(ArchiveStore).open();
        await c.get<ArchiveStore>(ArchiveStore).open();
    }, 180_000);

    afterAll(async () => {
        for (const container of containers) {
            await disposeArchiveTestContainer(container);
        }
        temp.remove();
    });

    it('A (with thumbnails) into a fresh B at another path: every asset, tag, rating, comment revision, collection and vector; the same top 20 for 20 searches; a second import changes nothing', async () => {
        const file = path.join(temp.folder, 'a.imageparser-export');
        const exported = await exportArchive(a, { file, scope: { kind: 'archive' }, includeMedia: true });
        expect(exported.assets).toBeGreaterThan(50);
        const report = await importInto(b, { file, rootMap: { [aImages]: bImages } });
        expect(report.assetsAdded).toBe(exported.assets);
        expect(report.vectorsAdded).toBe(exported.vectors);
        expect(report.mediaAdded).toBe(exported.media);
        expect(report.conflicts).toEqual([]);

        const inA = await contents(a);
        const inB = await contents(b);
        expect(inB.size).toBe(inA.size);
        for (const [hash, what] of inA) {
            expect(inB.get(hash), hash).toEqual(what);
        }
        // Every file of A's is in B under B's folder, on disk.
        const files = (await reader(b)).prepare('SELECT path, state FROM files ORDER BY path').all() as { path: string; state: string }[];
        const aFiles = (await reader(a)).prepare("SELECT path FROM files WHERE asset_id IS NOT NULL AND state = 'indexed' ORDER BY path").pluck().all() as string[];
        expect(files.map(f => path.relative(bImages, f.path))).toEqual(aFiles.map(f => path.relative(aImages, f)));
        expect(new Set(files.map(f => f.state))).toEqual(new Set(['indexed']));
        const collections = (db: BetterSqlite3.Database) => db.prepare('SELECT uid, kind, name, position, (SELECT uid FROM collections p WHERE p.id = c.parent_id) AS parent FROM collections c ORDER BY uid').all();
        expect(collections(await reader(b))).toEqual(collections(await reader(a)));

        const top20 = async (container: Container, query: SearchQuery) => {
            const db = await reader(container);
            const result = await container.get<SearchService>(SearchService).search({ ...query, limit: 20 });
            return result.hits.map(hit => db.prepare('SELECT content_hash FROM assets WHERE id = ?').pluck().get(hit.assetId));
        };
        let nonEmpty = 0;
        for (const query of QUERIES) {
            const expected = await top20(a, query);
            nonEmpty += expected.length ? 1 : 0;
            expect(await top20(b, query), JSON.stringify(query)).toEqual(expected);
        }
        expect(nonEmpty).toBeGreaterThanOrEqual(18);

        const before = archiveFingerprint(path.join(temp.folder, 'b'));
        const again = await importInto(b, { file, rootMap: { [aImages]: bImages } });
        expect(again.unchanged).toBe(true);
        expect(again.conflicts).toEqual([]);
        expect(archiveFingerprint(path.join(temp.folder, 'b'))).toBe(before);
        console.log(`A → B: ${exported.assets} assets, ${exported.vectors} vectors, ${exported.media} thumbnails and previews, ${exported.collections} collections, `
            + `${report.tagsAdded} tags, ${report.commentsAdded} comments with ${report.revisionsAdded} revisions arrived, every asset's rows equal by content hash; `
            + `top 20 equal for ${QUERIES.length} of ${QUERIES.length} searches (${nonEmpty} with hits); second import: unchanged, archive fingerprint equal`);
    });

    it('one collection without thumbnails or paths into C: only its assets, and no original path anywhere in the export or in C', async () => {
        const aDb = await reader(a);
        const collectionId = aDb.prepare("SELECT id FROM collections WHERE uid = 'manual-uid-1'").pluck().get() as number;
        const members = aDb.prepare(`SELECT a.content_hash FROM collection_members m JOIN assets a ON a.id = m.asset_id
            WHERE m.collection_id = ? ORDER BY m.position`).pluck().all(collectionId) as string[];
        const file = path.join(temp.folder, 'client.imageparser-export');
        await exportArchive(a, { file, scope: { kind: 'collection', collectionId }, includeMedia: false, includePaths: false });
        const under = path.join(temp.folder, 'client');
        const report = await importInto(c, { file, placeUnder: under });
        expect(report.assetsAdded).toBe(members.length);
        const cDb = await reader(c);
        expect(cDb.prepare('SELECT content_hash FROM assets ORDER BY content_hash').pluck().all()).toEqual([...members].sort());
        expect(cDb.prepare(`SELECT a.content_hash FROM collection_members m JOIN assets a ON a.id = m.asset_id
            JOIN collections c ON c.id = m.collection_id WHERE c.uid = 'manual-uid-1' ORDER BY m.position`).pluck().all()).toEqual(members);
        expect(cDb.prepare('SELECT count(*) FROM assets WHERE thumbnail_hash IS NOT NULL OR preview_hash IS NOT NULL').pluck().get()).toBe(0);
        expect((cDb.prepare('SELECT path FROM files').pluck().all() as string[]).every(p => path.dirname(p) === under)).toBe(true);

        // Grep the bytes: the export file, and C's database with its log once the import is in.
        const aPaths = aDb.prepare('SELECT path FROM files').pluck().all() as string[];
        const needles = [aImages, temp.folder + path.sep + 'a-images', ...aPaths, ...aPaths.map(p => path.relative(aImages, p)).filter(p => p.includes('/'))];
        (c.get<ArchiveStore>(ArchiveStore)).close();
        const haystacks = [file, ...[ARCHIVE_DATABASE_FILE, `${ARCHIVE_DATABASE_FILE}-wal`].map(name => path.join(temp.folder, 'c', name))].filter(f => fs.existsSync(f));
        let searched = 0;
        for (const haystack of haystacks) {
            const bytes = fs.readFileSync(haystack);
            searched += bytes.length;
            for (const needle of needles) {
                expect(bytes.includes(Buffer.from(needle)), `${needle} in ${haystack}`).toBe(false);
            }
        }
        console.log(`A → C (one collection, no thumbnails, no paths): ${report.assetsAdded} assets of A's ${aDb.prepare('SELECT count(*) FROM assets').pluck().get()}; `
            + `${needles.length} original paths looked for in ${haystacks.length} files (${searched} bytes): none found`);
    });
});
