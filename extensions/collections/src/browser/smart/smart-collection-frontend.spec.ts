import { createRequire } from 'module';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Container } from '@theia/core/shared/inversify';
import { SearchService } from '@imageparser/archive-core/lib/common/search-protocol';
import { CollectionService } from '@imageparser/archive-core/lib/common/collection-protocol';
import { CollectionChangeEvents } from '@imageparser/archive-core/lib/browser/collection-change-events';
import { SearchModel } from '@imageparser/search-view/lib/browser/search-model';
import type { SearchHistory } from '@imageparser/search-view/lib/browser/search-history';
import type { SearchSession } from '@imageparser/search-view/lib/browser/search-session';
// The backend, from archive-core's sources as its own tests use it (its test helpers are not compiled).
import { COLLECTION_SERVICE_PATH } from '../../../../archive-core/src/common/collection-protocol';
import { AnnotationService } from '../../../../archive-core/src/common/annotation-protocol';
import { SearchService as BackendSearchService } from '../../../../archive-core/src/common/search-protocol';
import { ArchiveIngester } from '../../../../archive-core/src/node/ingest/archive-ingester';
import { PollingArchiveChangeWatcher } from '../../../../archive-core/src/node/store/archive-change-watcher';
import { createArchiveTestContainer, disposeArchiveTestContainer, makeTempFolder } from '../../../../archive-core/src/node/test/archive-test-container';
import { writeDistinctPngs } from '../../../../archive-core/src/node/test/distinct-images';
import { connectTestFrontend, TestFrontendConnection } from '../../../../archive-core/src/node/test/test-frontend-connection';
import collectionsBackendModule from '../../node/collections-backend-module';
import { FilterPresetModel } from '../presets/filter-preset-model';
import { SmartCollectionModel } from './smart-collection-model';

const IMAGES = 6;
const BY_NAME = { by: 'name', direction: 'asc' } as const;

/**
 * The smart collection and filter preset models of a frontend over a real
 * archive of six images: the collections service reached over RPC (its
 * change notices arrive through CollectionChangeEvents, as in the app), the
 * real search engine, ratings set through the real annotation service.
 */
describe('smart collections and filter presets in the frontend', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let backend: Container;
    let annotations: AnnotationService;
    let byName: number[];
    const connections: TestFrontendConnection[] = [];

    beforeAll(async () => {
        temp = makeTempFolder();
        backend = createArchiveTestContainer(path.join(temp.folder, 'archive'), { threads: 1 });
        // The collection search filter's backend half, as the app loads this package.
        backend.load(collectionsBackendModule);
        await writeDistinctPngs(path.join(temp.folder, 'art'), IMAGES);
        const ingester = backend.get<ArchiveIngester>(ArchiveIngester);
        expect((await ingester.finished(await ingester.start(path.join(temp.folder, 'art')))).indexed).toBe(IMAGES);
        byName = (await backend.get<SearchService>(BackendSearchService).search({ sort: BY_NAME, offset: 0, limit: IMAGES })).hits.map(hit => hit.assetId);
        backend.get(PollingArchiveChangeWatcher).onStart();
        const connection = connectTestFrontend(backend);
        connections.push(connection);
        annotations = connection.container.get<AnnotationService>(AnnotationService);
        await annotations.setRating([byName[0], byName[1]], 4);
    }, 120_000);

    afterAll(async () => {
        for (const connection of connections) {
            await connection.close();
        }
        if (backend) {
            await disposeArchiveTestContainer(backend);
        }
        temp?.remove();
    });

    /** A frontend window: its search model, collection notices and the models under test, connected like the app's. */
    function newFrontend(): { search: SearchModel; smart: SmartCollectionModel; presets: FilterPresetModel; service: CollectionService } {
        const connection = connectTestFrontend(backend);
        connections.push(connection);
        const frontend = new Container();
        // search-view's compiled model and what it injects, as Node's require loads them (vitest loads this file's own copies).
        const nodeRequire = createRequire(__filename);
        const compiled = {
            SearchService: (nodeRequire('@imageparser/archive-core/lib/common/search-protocol') as { SearchService: symbol }).SearchService,
            SearchHistory: (nodeRequire('@imageparser/search-view/lib/browser/search-history') as { SearchHistory: typeof SearchHistory }).SearchHistory,
            SearchSession: (nodeRequire('@imageparser/search-view/lib/browser/search-session') as { SearchSession: typeof SearchSession }).SearchSession,
            SearchModel: (nodeRequire('@imageparser/search-view/lib/browser/search-model') as { SearchModel: typeof SearchModel }).SearchModel
        };
        frontend.bind(compiled.SearchService).toConstantValue(backend.get<SearchService>(BackendSearchService));
        frontend.bind(compiled.SearchHistory).toSelf().inSingletonScope();
        frontend.bind(compiled.SearchSession).toSelf().inSingletonScope();
        frontend.bind(compiled.SearchModel).toSelf().inSingletonScope();
        if (compiled.SearchModel !== SearchModel) {
            frontend.bind(SearchModel).toService(compiled.SearchModel);
        }
        frontend.bind(CollectionChangeEvents).toSelf().inSingletonScope();
        frontend.bind(CollectionService).toDynamicValue(({ container }) =>
            connection.proxy<CollectionService>(COLLECTION_SERVICE_PATH, container.get(CollectionChangeEvents))).inSingletonScope();
        frontend.bind(SmartCollectionModel).toSelf().inSingletonScope();
        frontend.bind(FilterPresetModel).toSelf().inSingletonScope();
        return {
            search: frontend.get(SearchModel), smart: frontend.get(SmartCollectionModel), presets: frontend.get(FilterPresetModel),
            service: frontend.get<CollectionService>(CollectionService)
        };
    }

    const shownIds = (search: SearchModel) => Array.from({ length: search.total }, (_, index) => search.hitAt(index)?.assetId);

    it('saves the search as a smart collection whose count follows a rating, tells an edit, updates it and opens it in another window', async () => {
        const { search, smart } = newFrontend();
        search.sort = BY_NAME;
        await search.setFilters([{ kind: 'rating', min: 4 }]);
        expect(shownIds(search)).toEqual([byName[0], byName[1]]);

        const saved = await smart.saveAsNew('별점 4 이상');
        expect(smart.collection?.name).toBe('별점 4 이상');
        await expect.poll(() => smart.collection?.count, { timeout: 15_000 }).toBe(2);
        expect(smart.edited).toBe(false);

        // A rating set elsewhere: the notice reaches this window and the count follows.
        await annotations.setRating([byName[4]], 5);
        await expect.poll(() => smart.collection?.count, { timeout: 15_000 }).toBe(3);

        // An edit of the search is told, and saved by Update.
        await search.setFilters([{ kind: 'rating', min: 5 }]);
        expect(smart.edited).toBe(true);
        await smart.update();
        expect(smart.edited).toBe(false);
        await expect.poll(() => smart.collection?.count, { timeout: 15_000 }).toBe(1);

        // Another window opens it: the saved search is loaded and run.
        const other = newFrontend();
        await other.smart.open(saved.id);
        expect(other.search.filters).toEqual([{ kind: 'rating', min: 5 }]);
        expect(other.search.sort).toEqual(BY_NAME);
        expect(shownIds(other.search)).toEqual([byName[4]]);
        expect(other.smart.edited).toBe(false);

        // Saved as new from there: two smart collections, the new one open.
        other.search.setText('image');
        expect(other.smart.edited).toBe(true);
        const copy = await other.smart.saveAsNew('5점 image');
        expect(copy.id).not.toBe(saved.id);
        expect(other.smart.collection?.id).toBe(copy.id);
        expect(other.smart.edited).toBe(false);
        expect(smart.collection?.id).toBe(saved.id);
    }, 60_000);

    it('lets go of the smart collection when the Collections view shows another collection in its order, not when a collection filter is added', async () => {
        const { search, smart, service } = newFrontend();
        const manual = await service.create('manual', '고객 선택 2', { assetIds: [byName[3], byName[2]] });
        const saved = await smart.saveAsNew('모두');
        await smart.open(saved.id);
        // Edited with a collection filter beside the saved one: still this smart collection, now edited.
        await search.setFilters([...search.filters, { kind: 'collection', collectionId: manual.id }]);
        expect(smart.collection?.id).toBe(saved.id);
        expect(smart.edited).toBe(true);
        // As the Collections view opens a manual collection: its filter alone, in its own order.
        search.text = '';
        search.sort = { by: 'manual', direction: 'asc' };
        await search.setFilters([{ kind: 'collection', collectionId: manual.id }]);
        expect(shownIds(search)).toEqual([byName[3], byName[2]]);
        expect(smart.collection).toBeUndefined();
    }, 60_000);

    it('drops a collection\'s own order with its collection filter, so a smart collection never saves a hidden manual sort', async () => {
        const { search, smart, service } = newFrontend();
        const manual = await service.create('manual', '순서 있는 모음', { assetIds: [byName[5], byName[1]] });
        // As the Collections view opens it: its filter alone, in its own order.
        search.sort = { by: 'manual', direction: 'asc' };
        await search.setFilters([{ kind: 'collection', collectionId: manual.id }]);
        expect(shownIds(search)).toEqual([byName[5], byName[1]]);

        // The chip's ✕ clears the filter: the sort goes back to relevance with it, and the saved search has no manual sort.
        search.setFilter('collection', undefined);
        expect(search.sort).toBeUndefined();
        const saved = await smart.saveAsNew('순서 없음');
        expect(saved.query?.sort).toBeUndefined();
        expect((await service.get(saved.id))?.query?.sort).toBeUndefined();

        // A preset without the collection filter, applied to the collection in its order, drops the order too.
        search.sort = { by: 'manual', direction: 'asc' };
        await search.setFilters([{ kind: 'collection', collectionId: manual.id }]);
        await search.setFilters([{ kind: 'rating', min: 4 }]);
        expect(search.sort).toBeUndefined();
        // And a saved search that holds one (written by an older version) loads without it.
        await search.applyQuery({ filters: [{ kind: 'rating', min: 4 }], sort: { by: 'manual', direction: 'asc' } });
        expect(search.query.sort).toBeUndefined();
    }, 60_000);

    it('refuses to open what is no smart collection, and lets go of a smart collection deleted elsewhere', async () => {
        const { smart } = newFrontend();
        const other = newFrontend();
        await expect(smart.open(987_654)).rejects.toThrow(/987654/);
        const manual = await other.service.create('manual', '고객 선택', { assetIds: [byName[2]] });
        await expect(smart.open(manual.id)).rejects.toThrow(String(manual.id));
        expect(smart.collection).toBeUndefined();

        const doomed = await other.service.create('smart', '지울 것', { query: { filters: [{ kind: 'rating', min: 1 }] } });
        await smart.open(doomed.id);
        expect(smart.collection?.name).toBe('지울 것');
        await other.service.delete(doomed.id);
        await expect.poll(() => smart.collection, { timeout: 15_000 }).toBeUndefined();
    }, 60_000);

    it('saves the filters as a preset, applies it with one call, renames, updates and deletes it, and every window lists the change', async () => {
        const { search, presets } = newFrontend();
        const other = newFrontend();
        search.sort = BY_NAME;
        await search.setFilters([{ kind: 'rating', min: 4 }, { kind: 'type', types: ['png'] }]);
        const preset = await presets.save('좋은 PNG');
        expect(presets.presets.map(each => each.name)).toContain('좋은 PNG');
        expect(presets.isApplied(presets.presets.find(each => each.id === preset.id)!)).toBe(true);
        await expect.poll(() => other.presets.presets.map(each => each.name), { timeout: 15_000 }).toContain('좋은 PNG');

        // Another window applies it: its filters replace the ones set there and the search runs.
        other.search.sort = BY_NAME;
        await other.search.setFilters([{ kind: 'rating', min: 1 }]);
        await other.presets.apply(other.presets.presets.find(each => each.id === preset.id)!);
        expect(other.search.filters).toEqual([{ kind: 'rating', min: 4 }, { kind: 'type', types: ['png'] }]);
        expect(shownIds(other.search)).toEqual([byName[0], byName[1], byName[4]]);

        await presets.rename(preset, '별점 4 PNG');
        await search.setFilters([{ kind: 'rating', min: 5 }]);
        expect(presets.isApplied(presets.presets.find(each => each.id === preset.id)!)).toBe(false);
        await presets.update(presets.presets.find(each => each.id === preset.id)!);
        const updated = presets.presets.find(each => each.id === preset.id)!;
        expect(updated).toMatchObject({ name: '별점 4 PNG', filters: [{ kind: 'rating', min: 5 }] });
        expect(presets.isApplied(updated)).toBe(true);
        await expect.poll(() => other.presets.presets.find(each => each.id === preset.id)?.name, { timeout: 15_000 }).toBe('별점 4 PNG');

        await presets.delete(updated);
        expect(presets.presets.find(each => each.id === preset.id)).toBeUndefined();
        await expect.poll(() => other.presets.presets.some(each => each.id === preset.id), { timeout: 15_000 }).toBe(false);
        // The filters set stay as they were.
        expect(search.filters).toEqual([{ kind: 'rating', min: 5 }]);
    }, 60_000);
});
