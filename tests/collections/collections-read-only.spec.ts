import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Container } from '@theia/core/shared/inversify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveErrors } from '../../extensions/archive-core/src/common/archive-protocol';
import { CollectionFilterClause, CollectionService } from '../../extensions/archive-core/src/common/collection-protocol';
import { SearchService } from '../../extensions/archive-core/src/common/search-protocol';
import { ArchiveStore } from '../../extensions/archive-core/src/node/store/archive-store';
import { SmartCollectionUpdater } from '../../extensions/archive-core/src/node/collections/smart-collection-updater';
import { createArchiveTestContainer, disposeArchiveTestContainer, makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { writeDistinctPngs } from '../../extensions/archive-core/src/node/test/distinct-images';
import { connectTestFrontend } from '../../extensions/archive-core/src/node/test/test-frontend-connection';
import collectionsBackendModule from '../../extensions/collections/src/node/collections-backend-module';
import { makeReadOnly } from '../store/read-only-folder';
import { openCollectionsTestArchive } from './collections-test-archive';

/** SHA-256 of every file under `folder`, by relative path. */
function fingerprint(folder: string): Record<string, string> {
    const sums: Record<string, string> = {};
    for (const entry of (fs.readdirSync(folder, { recursive: true }) as string[]).sort()) {
        const file = path.join(folder, entry);
        if (fs.statSync(file).isFile()) {
            sums[entry] = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
        }
    }
    return sums;
}

/** Collections on a read-only archive: shown, searched and exported as they were; every change refused with the read-only reason; no file touched. */
describe('collections on a read-only archive', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let archiveFolder: string;
    let container: Container;
    let collections: CollectionService;
    let undo: (() => void) | undefined;
    let before: Record<string, string>;
    let manualId: number;
    let smartId: number;
    let presetId: number;
    let members: number[];

    beforeAll(async () => {
        temp = makeTempFolder();
        archiveFolder = path.join(temp.folder, 'archive');
        const images = path.join(temp.folder, '그림');
        await writeDistinctPngs(images, 3, '읽기');
        const writable = await openCollectionsTestArchive(archiveFolder, images);
        members = [...writable.idOf.values()].sort((x, y) => y - x);
        manualId = (await writable.collections.create('manual', '읽기 전용', { assetIds: members })).id;
        smartId = (await writable.collections.create('smart', '모두', { query: { sort: { by: 'name', direction: 'asc' } } })).id;
        presetId = (await writable.collections.savePreset('프리셋', [{ kind: 'rating', min: 1 }])).id;
        await writable.dispose();

        before = fingerprint(archiveFolder);
        undo = makeReadOnly(archiveFolder);
        container = createArchiveTestContainer(archiveFolder);
        container.load(collectionsBackendModule);
        collections = connectTestFrontend(container).container.get<CollectionService>(CollectionService);
    }, 60_000);

    afterAll(async () => {
        if (container) {
            await disposeArchiveTestContainer(container);
        }
        undo?.();
        temp?.remove();
    });

    it('lists, orders, searches and exports its collections', async () => {
        expect((await collections.list()).map(collection => [collection.name, collection.count])).toEqual([['읽기 전용', 3], ['모두', 3]]);
        expect(await collections.members(manualId)).toEqual(members);
        const search = container.get<SearchService>(SearchService);
        const hits = await search.search({ filters: [{ kind: 'collection', collectionId: manualId } as CollectionFilterClause], sort: { by: 'manual', direction: 'asc' } });
        expect(hits.hits.map(hit => hit.assetId)).toEqual(members);
        expect((await collections.exportJson()).collections).toHaveLength(2);
        expect(await container.get<SmartCollectionUpdater>(SmartCollectionUpdater).refresh()).toBe(false);
    });

    it('refuses every change with the read-only reason and changes no file', async () => {
        const readOnly = ArchiveErrors.ReadOnly().message;
        const changes: (() => Promise<unknown>)[] = [
            () => collections.create('manual', '새것'),
            () => collections.rename(manualId, '새 이름'),
            () => collections.move(manualId, { beforeId: smartId }),
            () => collections.updateQuery(smartId, { text: '읽기' }),
            () => collections.setCover(manualId, members[1]),
            () => collections.delete(manualId),
            () => collections.restore(manualId),
            () => collections.addAssets(manualId, members, members[0]),
            () => collections.removeAssets(manualId, [members[0]]),
            () => collections.reorder(manualId, [members[0]]),
            () => collections.savePreset('새 프리셋', []),
            () => collections.renamePreset(presetId, '이름'),
            () => collections.updatePreset(presetId, []),
            () => collections.deletePreset(presetId),
            () => collections.importJson({ format: 'imageparser-collections', version: 1, exportedAt: '', collections: [], presets: [] })
        ];
        for (const change of changes) {
            await expect(change()).rejects.toThrow(readOnly);
        }
        container.get<ArchiveStore>(ArchiveStore).close();
        expect(fingerprint(archiveFolder)).toEqual(before);
    });
});
