import * as path from 'path';
import { Container } from '@theia/core/shared/inversify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SearchQuery, SearchService } from '../../extensions/archive-core/src/common/search-protocol';
import { ArchiveIngester } from '../../extensions/archive-core/src/node/ingest/archive-ingester';
import { ArchiveStore } from '../../extensions/archive-core/src/node/store/archive-store';
import { createArchiveTestContainer, disposeArchiveTestContainer, makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { writeSearchFixtures } from './search-fixtures';

/** A small archive (every asset is among a reference's nearest neighbours), as an artist's first folder is. */
describe('look-alike ranking in a small archive', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let container: Container;
    const idOf = new Map<string, number>();
    const run = (query: SearchQuery) => container.get<SearchService>(SearchService).search({ limit: 1000, ...query });

    beforeAll(async () => {
        temp = makeTempFolder();
        await writeSearchFixtures(path.join(temp.folder, 'art'));
        container = createArchiveTestContainer(path.join(temp.folder, 'archive'));
        const ingester = container.get<ArchiveIngester>(ArchiveIngester);
        await ingester.finished(await ingester.start(path.join(temp.folder, 'art')));
        const { database } = await container.get<ArchiveStore>(ArchiveStore).open();
        for (const row of database.reader.prepare('SELECT path, asset_id FROM files').all() as { path: string; asset_id: number }[]) {
            idOf.set(path.basename(row.path), row.asset_id);
        }
    }, 60_000);

    afterAll(async () => {
        await disposeArchiveTestContainer(container);
        temp.remove();
    });

    it('never ranks an image with no likeness by look: nothing "0 % alike" is a look-alike, alone or fused with words', async () => {
        const red1 = idOf.get('red-1.png')!;
        const blue = idOf.get('blue.png')!;
        for (const assetIds of [[red1], [blue], [red1, blue]]) {
            const similar = await run({ references: { assetIds, mode: 'or' } });
            expect(similar.total).toBeGreaterThan(0);
            for (const hit of similar.hits) {
                expect(hit.reason.similarity!, `${hit.name} like ${assetIds.join(', ')}`).toBeGreaterThanOrEqual(0.5);
            }
        }
        expect((await run({ references: { assetIds: [red1], mode: 'or' } })).hits.slice(0, 2).map(hit => hit.name).sort()).toEqual(['red-1-copy.jpg', 'red-2.png']);

        // The words find the blue hero; looking like red-1 must not lift it further (it is not alike at all).
        const fused = await run({ text: 'hero', references: { assetIds: [red1], mode: 'or' } });
        const hero = fused.hits.find(hit => hit.name === '캐릭터배경 hero.png')!;
        expect(hero.axes.S?.rank).toBe(1);
        expect(hero.axes.V).toBeUndefined();
        expect(hero.reason.similarity).toBeUndefined();
        for (const hit of fused.hits.filter(each => each.axes.V)) {
            expect(hit.reason.similarity!, hit.name).toBeGreaterThanOrEqual(0.5);
        }
    });
});
