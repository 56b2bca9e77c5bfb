import * as path from 'path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Collection, CollectionFilterClause } from '../../extensions/archive-core/src/common/collection-protocol';
import type { SearchQuery } from '../../extensions/archive-core/src/common/search-protocol';
import { ArchiveIngester } from '../../extensions/archive-core/src/node/ingest/archive-ingester';
import { ArchiveStore } from '../../extensions/archive-core/src/node/store/archive-store';
import { CollectionRepository } from '../../extensions/archive-core/src/node/store/collection-repository';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { writeDistinctPngs } from '../../extensions/archive-core/src/node/test/distinct-images';
import { CollectionsTestArchive, openCollectionsTestArchive } from './collections-test-archive';

/** Collections, folders, members, smart collections and presets against a real archive file, through the RPC service a frontend uses. */
describe('collections store', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let archive: CollectionsTestArchive;
    /** Asset ids of 그림-000.png … 그림-009.png. */
    let a: number[];
    let images: string;

    const byId = async (id: number): Promise<Collection> => (await archive.collections.list()).find(collection => collection.id === id)!;
    const inCollection = (collectionId: number, query: SearchQuery = {}) => archive.search.search({
        ...query, filters: [...query.filters ?? [], { kind: 'collection', collectionId } as CollectionFilterClause], limit: 1000
    }).then(result => result.hits.map(hit => hit.assetId));

    beforeAll(async () => {
        temp = makeTempFolder();
        images = path.join(temp.folder, '그림 폴더');
        await writeDistinctPngs(images, 10, '그림');
        archive = await openCollectionsTestArchive(path.join(temp.folder, 'archive'), images);
        a = Array.from({ length: 10 }, (_, index) => archive.idOf.get(`그림-${String(index).padStart(3, '0')}.png`)!);
        expect(a.every(id => id > 0)).toBe(true);
    }, 60_000);

    afterAll(async () => {
        await archive?.dispose();
        temp?.remove();
    });

    it('makes, renames and nests collections with Korean names, and refuses a folder moved into itself', async () => {
        const folder = await archive.collections.create('folder', '  작업 폴더 ');
        const inner = await archive.collections.create('folder', '하위 폴더', { place: { parentId: folder.id } });
        const manual = await archive.collections.create('manual', '캐릭터 모음', { place: { parentId: inner.id }, assetIds: [a[2], a[0], a[1]] });
        expect(folder.name).toBe('작업 폴더');
        expect(manual).toMatchObject({ kind: 'manual', parentId: inner.id, count: 3, coverAssetId: a[2], coverChosen: false });
        expect(await archive.collections.members(manual.id)).toEqual([a[2], a[0], a[1]]);

        await archive.collections.rename(manual.id, '주인공들');
        expect((await byId(manual.id)).name).toBe('주인공들');
        await expect(archive.collections.rename(manual.id, '   ')).rejects.toThrow(/empty/);
        await expect(archive.collections.move(folder.id, { parentId: inner.id })).rejects.toThrow(/into itself/);
        await expect(archive.collections.move(folder.id, { parentId: folder.id })).rejects.toThrow(/into itself/);
        await expect(archive.collections.move(inner.id, { parentId: manual.id })).rejects.toThrow(/not a folder/);
        await expect(archive.collections.addAssets(folder.id, [a[0]])).rejects.toThrow(/folder/);
        await expect(archive.collections.addAssets(manual.id, [999_999])).rejects.toThrow(/no asset 999999/);

        // Out to the top, before the folder it came from.
        await archive.collections.move(manual.id, { beforeId: folder.id });
        const top = (await archive.collections.list()).filter(collection => collection.parentId === undefined).map(collection => collection.name);
        expect(top.indexOf('주인공들')).toBeLessThan(top.indexOf('작업 폴더'));
        expect(await archive.collections.get(manual.id)).toMatchObject({ parentId: undefined, count: 3 });
        await expect.poll(() => archive.notices()).toBeGreaterThan(0);
    });

    it('deletes a folder with its contents and brings all of it back on undo, members and order included', async () => {
        const folder = await archive.collections.create('folder', '지울 폴더');
        const child = await archive.collections.create('manual', '안쪽', { place: { parentId: folder.id }, assetIds: [a[5], a[3], a[4]] });
        const alreadyDeleted = await archive.collections.create('manual', '먼저 지운 것', { place: { parentId: folder.id }, assetIds: [a[6]] });
        await archive.collections.delete(alreadyDeleted.id);
        await archive.collections.setCover(child.id, a[4]);

        await archive.collections.delete(folder.id);
        const names = (await archive.collections.list()).map(collection => collection.name);
        expect(names).not.toContain('지울 폴더');
        expect(names).not.toContain('안쪽');
        expect(await inCollection(child.id)).toEqual([]);
        await expect(archive.collections.addAssets(child.id, [a[0]])).rejects.toThrow(/no collection/);

        await archive.collections.restore(folder.id);
        expect(await archive.collections.get(child.id)).toMatchObject({ parentId: folder.id, count: 3, coverAssetId: a[4], coverChosen: true });
        expect(await archive.collections.members(child.id)).toEqual([a[5], a[3], a[4]]);
        expect(await inCollection(child.id, { sort: { by: 'manual', direction: 'asc' } })).toEqual([a[5], a[3], a[4]]);
        // What was deleted before the folder stays deleted.
        expect(await archive.collections.get(alreadyDeleted.id)).toBeUndefined();
    });

    it('adds before a member, reorders with midpoints and keeps the order through many moves to one spot (renumbering)', async () => {
        const manual = await archive.collections.create('manual', '순서', { assetIds: [a[0], a[1], a[2]] });
        expect(await archive.collections.addAssets(manual.id, [a[3], a[4], a[0]], a[1])).toBe(2);
        expect(await archive.collections.members(manual.id)).toEqual([a[0], a[3], a[4], a[1], a[2]]);

        await archive.collections.reorder(manual.id, [a[2], a[0]], a[4]);
        expect(await archive.collections.members(manual.id)).toEqual([a[3], a[0], a[2], a[4], a[1]]);
        await archive.collections.reorder(manual.id, [a[3]]);
        expect(await archive.collections.members(manual.id)).toEqual([a[0], a[2], a[4], a[1], a[3]]);

        // Always dropped just before a[1]: the gap before it halves each time until the collection is renumbered.
        let expected = await archive.collections.members(manual.id);
        for (let round = 0; round < 60; round++) {
            const moving = round % 2 ? a[0] : a[2];
            await archive.collections.reorder(manual.id, [moving], a[1]);
            expected = expected.filter(id => id !== moving);
            expected.splice(expected.indexOf(a[1]), 0, moving);
            expect(await archive.collections.members(manual.id)).toEqual(expected);
        }
        // The manual sort answers the collection's order, also with the search engine's own paging.
        expect(await inCollection(manual.id, { sort: { by: 'manual', direction: 'asc' } })).toEqual(expected);
        expect(await inCollection(manual.id, { sort: { by: 'manual', direction: 'desc' } })).toEqual([...expected].reverse());

        expect(await archive.collections.removeAssets(manual.id, [a[4], a[9]])).toBe(1);
        expect(await archive.collections.collectionsOf(a[4])).not.toContain(manual.id);
        expect(await archive.collections.collectionsOf(a[1])).toContain(manual.id);
        // Undo of the removal: added back before the member that followed it.
        const after = expected[expected.indexOf(a[4]) + 1];
        await archive.collections.addAssets(manual.id, [a[4]], after);
        expect(await archive.collections.members(manual.id)).toEqual(expected);
    });

    it('limits any search to a collection through the filter, and a cover must be a member', async () => {
        const manual = await archive.collections.create('manual', '검색 대상', { assetIds: [a[7], a[8]] });
        expect((await inCollection(manual.id)).sort()).toEqual([a[7], a[8]].sort());
        expect(await inCollection(manual.id, { text: '그림-008' })).toEqual([a[8]]);
        // Without a collection filter the manual order is no order: as if none were asked for.
        const ids = (query: SearchQuery) => archive.search.search({ ...query, limit: 1000 }).then(result => result.hits.map(hit => hit.assetId));
        expect(await ids({ sort: { by: 'manual', direction: 'asc' } })).toEqual(await ids({}));
        expect(await ids({ text: '그림', sort: { by: 'manual', direction: 'asc' } })).toEqual(await ids({ text: '그림' }));
        await expect(archive.collections.setCover(manual.id, a[0])).rejects.toThrow(/not in the collection/);
        await archive.collections.setCover(manual.id, a[8]);
        expect(await archive.collections.get(manual.id)).toMatchObject({ coverAssetId: a[8], coverChosen: true });
        await archive.collections.setCover(manual.id, undefined);
        expect(await archive.collections.get(manual.id)).toMatchObject({ coverAssetId: a[7], coverChosen: false });
    });

    it('keeps a smart collection "rating ≥ 4 and tag 캐릭터" live: setting a rating to 4 adds the asset', async () => {
        await archive.annotations.addTags([a[0], a[1], a[2]], ['캐릭터']);
        await archive.annotations.setRating([a[0]], 5);
        await archive.annotations.setRating([a[3]], 5);
        const smart = await archive.collections.create('smart', '좋은 캐릭터', {
            query: { filters: [{ kind: 'rating', min: 4 }, { kind: 'tags', tags: ['캐릭터'], mode: 'all' }], sort: { by: 'name', direction: 'asc' } }
        });
        expect(smart.count).toBe(1);
        expect(await archive.collections.members(smart.id)).toEqual([a[0]]);
        await expect(archive.collections.addAssets(smart.id, [a[1]])).rejects.toThrow(/smart collection/);

        const noticesBefore = archive.notices();
        await archive.annotations.setRating([a[1]], 4);
        await expect.poll(() => archive.collections.members(smart.id)).toEqual([a[0], a[1]]);
        expect((await archive.collections.get(smart.id))!.count).toBe(2);
        await expect.poll(() => archive.notices()).toBeGreaterThan(noticesBefore);
        expect(await inCollection(smart.id, { sort: { by: 'manual', direction: 'asc' } })).toEqual([a[0], a[1]]);

        await archive.annotations.setRating([a[0]], 3);
        await expect.poll(() => archive.collections.members(smart.id)).toEqual([a[1]]);

        // Editing the saved search recomputes at once; a search the engine refuses changes nothing.
        await archive.collections.updateQuery(smart.id, { filters: [{ kind: 'rating', min: 5 }], sort: { by: 'name', direction: 'asc' } });
        expect(await archive.collections.members(smart.id)).toEqual([a[3]]);
        await expect(archive.collections.updateQuery(smart.id, { filters: [{ kind: 'no-such-filter' }] })).rejects.toThrow(/no-such-filter/);
        await expect(archive.collections.updateQuery(smart.id, { filters: [{ kind: 'collection', collectionId: smart.id }] })).rejects.toThrow(/itself/);
        expect((await archive.collections.get(smart.id))!.query).toEqual({ filters: [{ kind: 'rating', min: 5 }], sort: { by: 'name', direction: 'asc' } });
    });

    it('keeps reference images in a smart collection\'s search', async () => {
        await archive.annotations.addTags([a[1], a[2]], ['캐릭터']);
        const smart = await archive.collections.create('smart', '닮은 것', { query: { references: { assetIds: [a[2]], mode: 'or' }, filters: [{ kind: 'tags', tags: ['캐릭터'], mode: 'any' }] } });
        expect((await archive.collections.get(smart.id))!.query?.references).toEqual({ assetIds: [a[2]], mode: 'or' });
        // Its members are what the search engine answers for the saved search, in its order: tagged images by likeness.
        const members = await archive.collections.members(smart.id);
        const searched = await archive.search.search({ ...smart.query, limit: 1000 });
        expect(members.length).toBeGreaterThan(0);
        expect(members).toEqual(searched.hits.map(hit => hit.assetId));
        expect(members.every(id => [a[0], a[1], a[2]].includes(id))).toBe(true);
        await expect(archive.collections.create('smart', '빈 검색', {})).rejects.toThrow(/search to save/);
    });

    it('saves, renames, updates and deletes filter presets', async () => {
        const preset = await archive.collections.savePreset('별점 4 이상', [{ kind: 'rating', min: 4 }]);
        expect(preset).toMatchObject({ name: '별점 4 이상', filters: [{ kind: 'rating', min: 4 }] });
        await archive.collections.renamePreset(preset.id, '좋은 것');
        await archive.collections.updatePreset(preset.id, [{ kind: 'rating', min: 5 }, { kind: 'tags', tags: ['캐릭터'], mode: 'any' }]);
        expect((await archive.collections.presets()).find(candidate => candidate.id === preset.id)).toMatchObject({
            name: '좋은 것', filters: [{ kind: 'rating', min: 5 }, { kind: 'tags', tags: ['캐릭터'], mode: 'any' }]
        });
        await expect(archive.collections.savePreset('잘못', [{ min: 4 } as never])).rejects.toThrow(/kind/);
        await archive.collections.deletePreset(preset.id);
        expect((await archive.collections.presets()).map(candidate => candidate.id)).not.toContain(preset.id);
        await expect(archive.collections.deletePreset(preset.id)).rejects.toThrow(/no filter preset/);
    });

    it('keeps an image in its collections, in its place and as the cover, when its file is edited (new content)', async () => {
        const manual = await archive.collections.create('manual', '고친 그림', { assetIds: [a[8], a[9], a[7]] });
        await archive.collections.setCover(manual.id, a[9]);
        await sharp({ create: { width: 12, height: 8, channels: 3, background: { r: 1, g: 200, b: 3 } } }).png().toFile(path.join(images, '그림-009.png'));
        const ingester = archive.container.get<ArchiveIngester>(ArchiveIngester);
        await ingester.finished(await ingester.start(images));
        const { database } = await archive.container.get<ArchiveStore>(ArchiveStore).open();
        const edited = database.reader.prepare('SELECT asset_id FROM files WHERE path = ?').pluck().get(path.join(images, '그림-009.png')) as number;
        expect(edited).not.toBe(a[9]);
        expect(await archive.collections.members(manual.id)).toEqual([a[8], edited, a[7]]);
        expect(await archive.collections.get(manual.id)).toMatchObject({ coverAssetId: edited, coverChosen: true });
    });

    it('can undo a delete for 30 days; the next delete after that removes it for good', async () => {
        const old = await archive.collections.create('manual', '오래전에 지운 것', { assetIds: [a[0]] });
        const recent = await archive.collections.create('manual', '어제 지운 것', { assetIds: [a[1]] });
        await archive.collections.delete(old.id);
        await archive.collections.delete(recent.id);
        const { database } = await archive.container.get<ArchiveStore>(ArchiveStore).open();
        const daysAgo = (days: number) => new Date(Date.now() - days * 24 * 3600_000).toISOString();
        database.write(db => {
            db.prepare('UPDATE collections SET deleted_at = ? WHERE id = ?').run(daysAgo(31), old.id);
            db.prepare('UPDATE collections SET deleted_at = ? WHERE id = ?').run(daysAgo(1), recent.id);
        });
        await archive.collections.delete((await archive.collections.create('folder', '지울 것')).id);
        await expect(archive.collections.restore(old.id)).rejects.toThrow(/no collection/);
        await archive.collections.restore(recent.id);
        expect(await archive.collections.members(recent.id)).toEqual([a[1]]);
    });

    it('undoes only the one delete, also when two deletes fall in the same millisecond', async () => {
        const repository = archive.container.get<CollectionRepository>(CollectionRepository);
        for (let round = 0; round < 30; round++) {
            const folder = await repository.create({ kind: 'folder', name: `폴더 ${round}` });
            const inside = await repository.create({ kind: 'manual', name: `안 ${round}`, place: { parentId: folder } });
            await repository.delete(inside);
            await repository.delete(folder);
            await repository.restore(folder);
            expect(await repository.get(folder)).toBeDefined();
            expect(await repository.get(inside)).toBeUndefined();
        }
    });
});
