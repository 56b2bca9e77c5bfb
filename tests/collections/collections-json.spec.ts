import * as fs from 'fs';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Collection, CollectionFilterClause } from '../../extensions/archive-core/src/common/collection-protocol';
import { COLLECTIONS_JSON_FORMAT, COLLECTIONS_JSON_VERSION, CollectionsJson } from '../../extensions/archive-core/src/common/collections-json';
import { ArchiveStore } from '../../extensions/archive-core/src/node/store/archive-store';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { writeDistinctPngs } from '../../extensions/archive-core/src/node/test/distinct-images';
import { CollectionsTestArchive, openCollectionsTestArchive } from './collections-test-archive';

/**
 * Collections JSON between two real archives holding the same images at
 * other paths (B lacks one of A's images): members found by content hash,
 * the missing one reported with its path, a second import changing
 * nothing, and every bad file refused with the archive left as it was.
 */
describe('collections JSON between two archives', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let archiveA: CollectionsTestArchive;
    let archiveB: CollectionsTestArchive;
    /** What A holds (made before the tests, so each test also runs alone). */
    let made: { folder: Collection; manual: Collection; smart: Collection; inManual: Collection };
    const a = (name: string) => archiveA.idOf.get(name)!;
    const b = (name: string) => archiveB.idOf.get(name)!;

    /** Everything B's collections and presets hold, as text, to compare before and after. */
    const snapshotB = async () => {
        const { database } = await archiveB.container.get<ArchiveStore>(ArchiveStore).open();
        const rows = (sql: string) => JSON.stringify(database.reader.prepare(sql).all());
        return [
            rows('SELECT * FROM collections ORDER BY id'), rows('SELECT * FROM collection_members ORDER BY collection_id, asset_id'),
            rows('SELECT * FROM smart_collection_members ORDER BY collection_id, asset_id'), rows('SELECT * FROM filter_presets ORDER BY id')
        ].join('\n');
    };

    beforeAll(async () => {
        temp = makeTempFolder();
        const imagesA = path.join(temp.folder, 'A의 그림');
        const imagesB = path.join(temp.folder, '다른 곳', 'B의 그림');
        await writeDistinctPngs(imagesA, 6, '캐릭터');
        fs.mkdirSync(imagesB, { recursive: true });
        // B holds the same images, renamed and elsewhere, all but 캐릭터-005.png.
        for (const name of fs.readdirSync(imagesA).filter(name => name !== '캐릭터-005.png')) {
            fs.copyFileSync(path.join(imagesA, name), path.join(imagesB, `사본-${name}`));
        }
        archiveA = await openCollectionsTestArchive(path.join(temp.folder, 'archive-a'), imagesA);
        archiveB = await openCollectionsTestArchive(path.join(temp.folder, 'archive-b'), imagesB);
        const folder = await archiveA.collections.create('folder', '프로젝트');
        const manual = await archiveA.collections.create('manual', '주인공', {
            place: { parentId: folder.id }, assetIds: [a('캐릭터-003.png'), a('캐릭터-005.png'), a('캐릭터-001.png')]
        });
        await archiveA.collections.setCover(manual.id, a('캐릭터-001.png'));
        await archiveA.annotations.addTags([a('캐릭터-002.png')], ['캐릭터']);
        await archiveB.annotations.addTags([b('사본-캐릭터-002.png'), b('사본-캐릭터-004.png')], ['캐릭터']);
        const smart = await archiveA.collections.create('smart', '태그 캐릭터', {
            place: { parentId: folder.id },
            query: { filters: [{ kind: 'tags', tags: ['캐릭터'], mode: 'any' }], references: { assetIds: [a('캐릭터-000.png')], mode: 'or' }, weights: { S: 0 } }
        });
        const inManual = await archiveA.collections.create('smart', '주인공 안에서', { query: { filters: [{ kind: 'collection', collectionId: manual.id } as CollectionFilterClause] } });
        await archiveA.collections.savePreset('주인공만', [{ kind: 'collection', collectionId: manual.id } as CollectionFilterClause]);
        made = { folder, manual, smart, inManual };
    }, 90_000);

    afterAll(async () => {
        await archiveA?.dispose();
        await archiveB?.dispose();
        temp?.remove();
    });

    it('carries folders, manual and smart collections and presets from A to B; a second import changes nothing', async () => {
        const { folder, manual, smart, inManual } = made;
        const json = await archiveA.collections.exportJson();
        expect(json).toMatchObject({ format: COLLECTIONS_JSON_FORMAT, version: COLLECTIONS_JSON_VERSION });
        expect(json.collections.map(collection => collection.name)).toEqual(['프로젝트', '주인공 안에서', '주인공', '태그 캐릭터']);
        const text = JSON.stringify(json);

        const report = await archiveB.collections.importJson(text);
        expect(report).toMatchObject({ collectionsAdded: 4, collectionsMerged: 0, presetsAdded: 1, membersAdded: 2, matchedByHash: 3, matchedByPath: 0 });
        expect(report.unmatched).toEqual([{ collection: '주인공', contentHash: expect.stringMatching(/^[0-9a-f]{64}$/), paths: [path.join(temp.folder, 'A의 그림', '캐릭터-005.png')] }]);

        const listB = await archiveB.collections.list();
        const folderB = listB.find(collection => collection.uid === folder.uid)!;
        const manualB = listB.find(collection => collection.uid === manual.uid)!;
        const smartB = listB.find(collection => collection.uid === smart.uid)!;
        const inManualB = listB.find(collection => collection.uid === inManual.uid)!;
        expect(manualB).toMatchObject({ name: '주인공', parentId: folderB.id, count: 2, coverAssetId: b('사본-캐릭터-001.png'), coverChosen: true });
        expect(await archiveB.collections.members(manualB.id)).toEqual([b('사본-캐릭터-003.png'), b('사본-캐릭터-001.png')]);
        // The saved search names B's own assets and collections, and runs on B's archive.
        expect(smartB.query?.references).toEqual({ assetIds: [b('사본-캐릭터-000.png')], mode: 'or' });
        expect(smartB.parentId).toBe(folderB.id);
        expect(inManualB.query?.filters).toEqual([{ kind: 'collection', collectionId: manualB.id, collectionUid: manual.uid }]);
        expect((await archiveB.collections.members(inManualB.id)).sort()).toEqual([b('사본-캐릭터-001.png'), b('사본-캐릭터-003.png')].sort());
        expect((await archiveB.collections.presets())[0].filters).toEqual([{ kind: 'collection', collectionId: manualB.id, collectionUid: manual.uid }]);

        const before = await snapshotB();
        const again = await archiveB.collections.importJson(json);
        expect(again).toMatchObject({ collectionsAdded: 0, collectionsMerged: 4, presetsAdded: 0, membersAdded: 0 });
        expect(await snapshotB()).toBe(before);
    });

    it('merges members added in A since into the same collection in B', async () => {
        await archiveB.collections.importJson(await archiveA.collections.exportJson());
        const { manual } = made;
        await archiveA.collections.addAssets(manual.id, [a('캐릭터-004.png')], a('캐릭터-003.png'));
        const report = await archiveB.collections.importJson(await archiveA.collections.exportJson([manual.id]));
        expect(report).toMatchObject({ collectionsAdded: 0, collectionsMerged: 1, presetsAdded: 0, membersAdded: 1 });
        const manualB = (await archiveB.collections.list()).find(collection => collection.uid === manual.uid)!;
        expect(await archiveB.collections.members(manualB.id)).toEqual([b('사본-캐릭터-003.png'), b('사본-캐릭터-001.png'), b('사본-캐릭터-004.png')]);
    });

    it('finds a member by its path when its content changed', async () => {
        const file = path.join(temp.folder, '다른 곳', 'B의 그림', '사본-캐릭터-002.png');
        const json: CollectionsJson = {
            format: COLLECTIONS_JSON_FORMAT, version: 1, exportedAt: new Date().toISOString(), presets: [],
            collections: [{ uid: 'path-only', kind: 'manual', name: '경로로', position: 1, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', members: [{ contentHash: 'f'.repeat(64), paths: [file] }] }]
        };
        const report = await archiveB.collections.importJson(json);
        expect(report).toMatchObject({ collectionsAdded: 1, matchedByPath: 1, matchedByHash: 0, unmatched: [] });
    });

    it('refuses what is not valid collections JSON with a readable message and changes nothing', async () => {
        const valid = await archiveA.collections.exportJson();
        await archiveB.collections.importJson(valid);
        const before = await snapshotB();
        /** 10,000 nested lists, as text: the RPC encoder of a frontend would not carry them as a value. */
        const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
        const file = (collections: string, presets = '[]') => `{"format": "${COLLECTIONS_JSON_FORMAT}", "version": 1, "collections": ${collections}, "presets": ${presets}}`;
        const refusals: [unknown, RegExp][] = [
            ['this is { not json', /not JSON/],
            [JSON.stringify([1, 2, 3]), /no JSON object/],
            [{ ...valid, format: 'something-else' }, /not an ImageParser collections file/],
            [{ ...valid, version: COLLECTIONS_JSON_VERSION + 1 }, /version 2, newer than this ImageParser reads/],
            [{ ...valid, collections: 'many' }, /collections are not a list/],
            [{ ...valid, collections: [...valid.collections, { uid: 'x', kind: 'manual', name: '', position: 1 }] }, /Collection 5: A name cannot be empty/],
            [{ ...valid, collections: [...valid.collections, { uid: 'x', kind: 'album', name: '앨범', position: 1 }] }, /Collection 5 \("앨범"\)/],
            [{ ...valid, collections: [...valid.collections, { uid: 'x', kind: 'manual', name: '나쁜 멤버', position: 1, members: [{ paths: ['/a.png'] }] }] }, /"나쁜 멤버"\)'s member 1 has no content hash/],
            [{ ...valid, collections: [...valid.collections, { ...valid.collections[1], name: '두 번째' }] }, /two collections with the uid/],
            [{ ...valid, collections: [{ uid: 'p', kind: 'folder', name: '고리', position: 1, parentUid: 'q' }, { uid: 'q', kind: 'folder', name: '고리 2', position: 2, parentUid: 'p' }] }, /inside itself/],
            [{ ...valid, collections: [{ ...valid.collections[0], kind: 'manual' }] }, /is a manual in the file but a folder here/],
            [{ ...valid, presets: [{ uid: 'z', name: '필터', filters: [{ min: 1 }] }] }, /Filter preset 1 \("필터"\)/],
            // A folder inside itself, and 10,000 levels of nesting where the app would store and later walk them.
            [{ ...valid, collections: [{ uid: 'self', kind: 'folder', name: '제자리', position: 1, parentUid: 'self' }] }, /Folder "제자리" is inside itself/],
            [file(`[{"uid": "d", "kind": "smart", "name": "깊은", "query": {"filters": [{"kind": "rating", "min": ${deep}}]}}]`),
                /Collection 1 \("깊은"\): A smart collection's search nests more than 32 levels deep/],
            [file('[]', `[{"uid": "z", "name": "깊은 필터", "filters": [{"kind": "rating", "min": ${deep}}]}]`), /Filter preset 1 \("깊은 필터"\): Filters nest more than 32 levels deep/],
            [{ ...valid, collections: [{ uid: 'h', kind: 'smart', name: '큰 검색', query: { text: 'x'.repeat(5 * 1024 * 1024) } }] }, /A smart collection's search is longer than 4 MiB/],
            [file(`[{"uid": "p", "kind": "manual", "name": "경로", "members": [{"contentHash": "${'a'.repeat(64)}", "paths": [${deep}]}]}]`), /member 1 has a path that is not text/]
        ];
        for (const [input, message] of refusals) {
            await expect(archiveB.collections.importJson(input)).rejects.toThrow(message);
        }
        expect(await snapshotB()).toBe(before);
    });

    it('takes a file with 10,000 levels of nesting in a field it ignores, and odd but harmless text, changing only what the file adds', async () => {
        const generator = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
        const text = `{"format": "${COLLECTIONS_JSON_FORMAT}", "version": 1, "generator": ${generator}, "collections": [
            {"uid": "odd-1", "kind": "manual", "name": "\u202e역방향\u200b 이름", "position": 1e308,
             "members": [{"contentHash": "../../etc/passwd", "paths": ["\\u0000", "C:\\\\CON"]}]}]}`;
        const report = await archiveB.collections.importJson(text);
        expect(report).toMatchObject({ collectionsAdded: 1, membersAdded: 0, unmatched: [{ collection: '\u202e역방향\u200b 이름', contentHash: '../../etc/passwd' }] });
        expect((await archiveB.collections.list()).find(collection => collection.uid === 'odd-1')?.name).toBe('\u202e역방향\u200b 이름');
    });
});
