import * as fs from 'fs';
import * as path from 'path';
import { Container } from '@theia/core/shared/inversify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SearchQuery, SearchResult, SearchService } from '../../extensions/archive-core/src/common/search-protocol';
import { ArchiveIngester } from '../../extensions/archive-core/src/node/ingest/archive-ingester';
import { ArchiveStore } from '../../extensions/archive-core/src/node/store/archive-store';
import { TagRepository } from '../../extensions/archive-core/src/node/store/tag-repository';
import { createArchiveTestContainer, disposeArchiveTestContainer, makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { writeSearchFixtures } from './search-fixtures';
import orientationFilterBackendModule from '../sample-orientation-filter/src/node/orientation-filter-backend-module';

const corpus = path.resolve(__dirname, '../../../shared/corpus');

describe('triaxis search over the corpus and generated assets', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let container: Container;
    let generated: string;
    let search: SearchService;
    const idOf = new Map<string, number>();

    const names = (result: SearchResult) => result.hits.map(hit => hit.name);
    const run = (query: SearchQuery) => search.search({ limit: 1000, ...query });

    beforeAll(async () => {
        temp = makeTempFolder();
        generated = path.join(temp.folder, 'generated');
        await writeSearchFixtures(generated);
        container = createArchiveTestContainer(path.join(temp.folder, 'archive'), { threads: 2 });
        // The sample third-party package's backend module, loaded as the app loads it.
        container.load(orientationFilterBackendModule);
        const ingester = container.get<ArchiveIngester>(ArchiveIngester);
        await ingester.finished(await ingester.start(corpus));
        await ingester.finished(await ingester.start(generated));
        search = container.get<SearchService>(SearchService);
        const { database } = await container.get<ArchiveStore>(ArchiveStore).open();
        for (const row of database.reader.prepare("SELECT path, asset_id FROM files WHERE state = 'indexed'").all() as { path: string; asset_id: number }[]) {
            idOf.set(path.relative(temp.folder, row.path), row.asset_id);
        }
    }, 120_000);

    afterAll(async () => {
        await disposeArchiveTestContainer(container);
        temp.remove();
    });

    it('finds English words in file names, layer names and text layers, ranked by relevance', async () => {
        const forest = await run({ text: 'forest' });
        expect(names(forest)[0]).toBe('forest.psd');
        expect(forest.hits[0].reason.fields).toContain('name');
        const adventure = await run({ text: 'adventure' });
        expect(names(adventure)).toEqual(['forest.psd']);
        expect(adventure.hits[0].reason).toMatchObject({ fields: ['text'] });
        expect(adventure.hits[0].reason.snippet).toContain('«Adventure»');
        expect(adventure.hits[0].axes.S?.rank).toBe(1);
    });

    it('finds a two-syllable Korean layer name, a word inside a compound, and mixed Korean/English queries', async () => {
        const background = await run({ text: '배경' });
        expect(names(background).sort()).toEqual(['forest.psd', '캐릭터배경 hero.png']);
        const forestHit = background.hits.find(hit => hit.name === 'forest.psd')!;
        expect(forestHit.reason.fields).toContain('layers');
        expect(forestHit.reason.snippet).toContain('«배경»');
        expect(names(await run({ text: 'layer:배경' }))).toEqual(['forest.psd']);
        expect(names(await run({ text: '캐릭터' }))).toEqual(['캐릭터배경 hero.png']);
        expect(names(await run({ text: '고양이 adventure' }))).toEqual(['forest.psd']);
        expect(names(await run({ text: '야경 night' }))).toEqual(['city.psd']);
        // One syllable matches as a prefix of a word's syllables.
        expect(names(await run({ text: 'layer:배' }))).toEqual(['forest.psd']);
    });

    it('honours field prefixes, phrases, prefix stars and negation', async () => {
        expect(names(await run({ text: 'text:야경' }))).toEqual(['city.psd']);
        expect(names(await run({ text: 'layer:야경' }))).toEqual([]);
        expect(names(await run({ text: 'path:characters' }))).toEqual(['캐릭터배경 hero.png']);
        expect(names(await run({ text: 'tag:forest' }))).toEqual([]);
        expect(names(await run({ text: 'path:generated ext:psd' })).sort()).toEqual(['city.psd', 'forest.psd']);
        expect(names(await run({ text: 'forest ext:png' }))).toEqual([]);
        expect(names(await run({ text: '"night city"' }))).toEqual(['city.psd']);
        expect(names(await run({ text: '"city night"' }))).toEqual([]);
        expect(names(await run({ text: 'path:scene*' })).sort()).toEqual(['city.psd', 'forest.psd']);
        expect(names(await run({ text: 'path:scenes -city' }))).toEqual(['forest.psd']);
        expect(names(await run({ text: 'path:colours -yellow -ext:jpg' })).sort()).toEqual(['blue.png', 'red-1.png', 'red-2.png']);
    });

    it('applies every built-in filter, alone and with words', async () => {
        const generatedOnly = { kind: 'folder', path: generated };
        const all = await run({ filters: [generatedOnly] });
        expect(all.total).toBe(10);
        expect(names(await run({ filters: [generatedOnly, { kind: 'type', types: ['psd'] }] })).sort()).toEqual(['city.psd', 'forest.psd']);
        expect(names(await run({ filters: [generatedOnly, { kind: 'layers', min: 4 }] }))).toEqual(['forest.psd']);
        expect(names(await run({ filters: [generatedOnly, { kind: 'resolution', min: 600, max: 600 }] })).sort())
            .toEqual(['landscape yellow.png', 'portrait yellow.png']);
        expect(names(await run({ filters: [{ kind: 'folder', path: path.join(generated, 'characters') }] }))).toEqual(['캐릭터배경 hero.png']);
        const future = new Date(Date.now() + 86_400_000).toISOString();
        expect((await run({ filters: [generatedOnly, { kind: 'added', to: future }] })).total).toBe(10);
        expect((await run({ filters: [generatedOnly, { kind: 'added', from: future }] })).total).toBe(0);
        expect((await run({ filters: [generatedOnly, { kind: 'modified', from: '2000-01-01' }] })).total).toBe(10);
        expect((await run({ filters: [generatedOnly, { kind: 'modified', to: '2000-01-01' }] })).total).toBe(0);

        const { database } = await container.get<ArchiveStore>(ArchiveStore).open();
        database.write(db => db.prepare('UPDATE assets SET rating = 4 WHERE id = ?').run(idOf.get('generated/colours/blue.png')));
        expect(names(await run({ filters: [{ kind: 'rating', min: 4 }] }))).toEqual(['blue.png']);

        const tags = container.get<TagRepository>(TagRepository);
        await tags.addTags([idOf.get('generated/colours/red-1.png')!, idOf.get('generated/colours/red-2.png')!], ['warm']);
        await tags.addTags([idOf.get('generated/colours/red-2.png')!], ['final']);
        expect(names(await run({ filters: [{ kind: 'tags', tags: ['warm', 'final'], mode: 'any' }] })).sort()).toEqual(['red-1.png', 'red-2.png']);
        expect(names(await run({ filters: [{ kind: 'tags', tags: ['WARM', 'final'], mode: 'all' }] }))).toEqual(['red-2.png']);
        expect(names(await run({ text: 'tag:final' }))).toEqual(['red-2.png']);
        expect(names(await run({ text: 'red', filters: [{ kind: 'tags', tags: ['final'], mode: 'any' }] }))).toEqual(['red-2.png']);

        expect((await run({ filters: [generatedOnly, { kind: 'state', state: 'missing' }] })).total).toBe(0);
        fs.renameSync(path.join(generated, 'colours', 'blue.png'), path.join(temp.folder, 'blue-moved-away.png'));
        const ingester = container.get<ArchiveIngester>(ArchiveIngester);
        await ingester.finished(await ingester.start(generated));
        const missing = await run({ filters: [{ kind: 'state', state: 'missing' }] });
        expect(names(missing)).toEqual(['blue.png']);
        expect(missing.hits[0].missing).toBe(true);
        fs.renameSync(path.join(temp.folder, 'blue-moved-away.png'), path.join(generated, 'colours', 'blue.png'));
        await ingester.finished(await ingester.start(generated));
        expect((await run({ filters: [{ kind: 'state', state: 'missing' }] })).total).toBe(0);

        await expect(run({ filters: [{ kind: 'no-such-filter' }] })).rejects.toThrow('No search filter named "no-such-filter"');
        await expect(run({ filters: [{ kind: 'layers', min: 'many' }] })).rejects.toThrow('must be a number');
    });

    it('applies a filter contributed by a separate package through the SearchFilterCompiler point', async () => {
        const filters = (orientation: string) => [{ kind: 'folder', path: path.join(generated, 'colours') }, { kind: 'sample.orientation', orientation }];
        expect(names(await run({ filters: filters('portrait') }))).toEqual(['portrait yellow.png']);
        expect(names(await run({ filters: filters('square') }))).toEqual(['square yellow.png']);
        expect((await run({ filters: filters('landscape') })).total).toBe(5);
        expect(names(await run({ text: 'yellow', filters: filters('landscape') }))).toEqual(['landscape yellow.png']);
        await expect(run({ filters: filters('round') })).rejects.toThrow('The orientation filter is one of portrait, landscape, square.');
    });

    it('sorts by every field in both directions', async () => {
        const { database } = await container.get<ArchiveStore>(ArchiveStore).open();
        const filters = [{ kind: 'folder', path: generated }];
        const rows = database.reader.prepare(`SELECT a.id, a.rating, a.width * a.height AS pixels, a.layer_count, a.registered_at,
                (SELECT max(mtime_ms) FROM files f WHERE f.asset_id = a.id) AS mtime,
                (SELECT lower(path) FROM files f WHERE f.asset_id = a.id ORDER BY f.id LIMIT 1) AS path
            FROM assets a WHERE a.id IN (SELECT asset_id FROM files WHERE path LIKE ?)`).all(`${generated}%`) as
            { id: number; rating: number; pixels: number; layer_count: number; registered_at: string; mtime: number; path: string }[];
        const expectOrder = async (by: 'rating' | 'resolution' | 'layers' | 'added' | 'modified' | 'name', key: (row: typeof rows[number]) => number | string) => {
            for (const direction of ['asc', 'desc'] as const) {
                const ids = (await run({ filters, sort: { by, direction } })).hits.map(hit => hit.assetId);
                const expected = [...rows].sort((a, b) => {
                    const [x, y] = [key(a), key(b)];
                    const order = x < y ? -1 : x > y ? 1 : 0;
                    return (direction === 'asc' ? order : -order) || a.id - b.id;
                }).map(row => row.id);
                expect(ids, `${by} ${direction}`).toEqual(expected);
            }
        };
        await expectOrder('rating', row => row.rating);
        await expectOrder('resolution', row => row.pixels);
        await expectOrder('layers', row => row.layer_count);
        await expectOrder('added', row => row.registered_at);
        await expectOrder('modified', row => row.mtime);
        await expectOrder('name', row => path.basename(row.path));
        const relevance = await run({ text: 'yellow', sort: { by: 'relevance', direction: 'desc' } });
        expect(relevance.hits.map(hit => hit.axes.S!.rank)).toEqual([1, 2, 3]);
    });

    it('finds look-alikes of reference images with AND and OR, and near-duplicates by perceptual hash', async () => {
        const red1 = idOf.get('generated/colours/red-1.png')!;
        const red2 = idOf.get('generated/colours/red-2.png')!;
        const blue = idOf.get('generated/colours/blue.png')!;
        const filters = [{ kind: 'folder', path: generated }];
        const similar = await run({ references: { assetIds: [red1], mode: 'or' }, filters });
        expect(names(similar).slice(0, 2).sort()).toEqual(['red-1-copy.jpg', 'red-2.png']);
        expect(names(similar)).not.toContain('red-1.png');
        expect(similar.hits[0].reason.similarity).toBeGreaterThan(90);
        expect(similar.axes.find(axis => axis.axis === 'V')).toMatchObject({ used: true });

        const both = await run({ references: { assetIds: [red1, blue], mode: 'and' }, filters });
        const either = await run({ references: { assetIds: [red1, blue], mode: 'or' }, filters });
        // Close to any: the reds and the blue hero lead; close to all scores each hit by its farther reference.
        expect(names(either).slice(0, 3).sort()).toEqual(['red-1-copy.jpg', 'red-2.png', '캐릭터배경 hero.png'].sort());
        const orSimilarity = new Map(either.hits.map(hit => [hit.assetId, hit.reason.similarity!]));
        for (const hit of both.hits) {
            expect(hit.reason.similarity!).toBeLessThanOrEqual(orSimilarity.get(hit.assetId)!);
        }
        expect(both.hits[0].reason.similarity).toBeLessThan(either.hits[0].reason.similarity!);

        const duplicates = await run({ nearDuplicatesOf: red1 });
        expect(names(duplicates)).toEqual(['red-1-copy.jpg']);
        expect(duplicates.hits[0].reason.hashDistance).toBeLessThanOrEqual(10);
        expect(names(await run({ nearDuplicatesOf: red2 }))).not.toContain('blue.png');
    });

    it('fuses words and look-alikes by weighted rank, and reports skipped axes', async () => {
        const red1 = idOf.get('generated/colours/red-1.png')!;
        const fused = await run({ text: 'yellow', references: { assetIds: [red1], mode: 'or' }, filters: [{ kind: 'folder', path: generated }] });
        const landscape = fused.hits.find(hit => hit.name === 'landscape yellow.png')!;
        expect(landscape.axes.S).toBeDefined();
        expect(landscape.axes.V).toBeDefined();
        expect(fused.axes.find(axis => axis.axis === 'M')).toMatchObject({ used: false, skipped: 'no-text-model' });
        const wordsOnly = await run({ text: 'yellow', references: { assetIds: [red1], mode: 'or' }, weights: { V: 0 }, filters: [{ kind: 'folder', path: generated }] });
        expect(wordsOnly.total).toBe(3);
        expect(wordsOnly.axes.find(axis => axis.axis === 'V')).toMatchObject({ used: false, skipped: 'switched-off' });
    });

    it('caches repeated queries and drops the cache when a tag edit changes the answer', async () => {
        const query = { text: 'tag:mascot' };
        expect(await run(query)).toMatchObject({ total: 0, cached: false });
        expect(await run(query)).toMatchObject({ total: 0, cached: true });
        await container.get<TagRepository>(TagRepository).addTags([idOf.get('generated/scenes/city.psd')!], ['mascot']);
        const after = await run(query);
        expect(after).toMatchObject({ total: 1, cached: false });
        expect(names(after)).toEqual(['city.psd']);
        expect(await run({ ...query, offset: 0, limit: 5 })).toMatchObject({ total: 1, cached: true });
        expect(await search.suggest('masc')).toEqual(['mascot']);
        expect(await search.suggest('배')).toContain('배경');
    });
});
