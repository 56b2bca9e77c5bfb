import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Container } from '@theia/core/shared/inversify';
import { SearchHit, SearchService } from '@imageparser/archive-core/lib/common/search-protocol';
// The backend, from archive-core's sources as its own tests use it (its test helpers are not compiled).
import { SearchService as BackendSearchService } from '../../../archive-core/src/common/search-protocol';
import { createDistinctImagesArchive, DistinctImagesArchive } from '../../../archive-core/src/node/test/distinct-images-archive';
import { SearchHistory } from './search-history';
import { SearchModel } from './search-model';
import { SearchSession } from './search-session';

/** More than two pages of 200 results. */
const IMAGES = 450;
const BY_NAME = { by: 'name', direction: 'asc' } as const;

/**
 * The search model over a real archive of 450 images: the backend's real
 * search engine answers it, called directly as the RPC proxy would call it.
 * Hits arrive page by page; these tests page past the first page, load more
 * on demand, and start over with each new search.
 */
describe('SearchModel paging over a real archive', () => {
    let archive: DistinctImagesArchive;
    let service: SearchService;
    /** Asset ids in name order, as one big request to the engine answers them. */
    let byName: number[];

    beforeAll(async () => {
        archive = await createDistinctImagesArchive(IMAGES);
        service = archive.backend.get<SearchService>(BackendSearchService);
        byName = archive.byName;
        expect(new Set(byName).size).toBe(IMAGES);
    }, 180_000);

    afterAll(() => archive?.dispose());

    /** A frontend: the model with its real history and session (no window here, so nothing is kept). */
    function newModel(): { model: SearchModel; requests: { offset?: number; limit?: number }[] } {
        const requests: { offset?: number; limit?: number }[] = [];
        const frontend = new Container();
        // The RPC proxy's place: every call goes to the real engine, and the test sees which pages were asked for.
        frontend.bind(SearchService).toConstantValue({
            search: query => {
                requests.push({ offset: query.offset, limit: query.limit });
                return service.search(query);
            },
            suggest: (text, limit) => service.suggest(text, limit)
        } satisfies SearchService);
        frontend.bind(SearchHistory).toSelf().inSingletonScope();
        frontend.bind(SearchSession).toSelf().inSingletonScope();
        frontend.bind(SearchModel).toSelf().inSingletonScope();
        return { model: frontend.get(SearchModel), requests };
    }

    const loaded = (model: SearchModel) => Array.from({ length: model.total }, (_, index) => model.hitAt(index)?.assetId);

    async function changed(model: SearchModel, condition: () => boolean): Promise<void> {
        await expect.poll(condition).toBe(true);
        expect(model.error).toBeUndefined();
    }

    it('shows the first page and the total; scrolling past it fetches each page once, in the engine\'s order', async () => {
        const { model, requests } = newModel();
        model.setSort(BY_NAME);
        await changed(model, () => !model.searching && !!model.result);
        expect(model.total).toBe(IMAGES);
        expect(loaded(model)).toEqual([...byName.slice(0, 200), ...new Array(IMAGES - 200).fill(undefined)]);

        // The grid shows rows 380 to 420: the pages holding them (200-399 and 400-449) arrive.
        model.ensureRange(380, 420);
        model.ensureRange(390, 430);
        await changed(model, () => model.hitAt(449) !== undefined && model.hitAt(200) !== undefined);
        expect(loaded(model)).toEqual(byName);
        expect(requests).toEqual([{ offset: 0, limit: 200 }, { offset: 200, limit: 200 }, { offset: 400, limit: 200 }]);

        // Pages already here are not asked for again; a range past the end asks for nothing.
        model.ensureRange(0, 450);
        model.ensureRange(450, 600);
        expect(requests).toHaveLength(3);
    });

    it('loads more on demand: the hit at a place past the loaded pages arrives with its page, nothing past the ends', async () => {
        const { model } = newModel();
        model.setSort(BY_NAME);
        await changed(model, () => !model.searching && !!model.result);
        expect(model.hitAt(321)).toBeUndefined();
        expect((await model.hitAtLoaded(321))?.assetId).toBe(byName[321]);
        expect(model.hitAt(200)?.assetId).toBe(byName[200]);
        expect(model.hitAt(399)?.assetId).toBe(byName[399]);
        expect(model.hitAt(400)).toBeUndefined();
        expect(model.indexOf(byName[321])).toBe(321);
        expect(await model.hitAtLoaded(IMAGES)).toBeUndefined();
        expect(await model.hitAtLoaded(-1)).toBeUndefined();

        // Focus and selection follow a place past the first page, and move across the page boundary.
        model.focusIndex(201);
        expect(model.focusedIndex).toBe(201);
        expect(model.selectedIds).toEqual([byName[201]]);
        model.moveFocus(-2, true);
        expect(model.focusedIndex).toBe(199);
        expect(model.selectedIds.sort((a, b) => a - b)).toEqual(byName.slice(199, 202).sort((a, b) => a - b));
    });

    it('starts over with a new search: pages of the old answer are gone, the new answer pages from its own start', async () => {
        const { model, requests } = newModel();
        model.setSort(BY_NAME);
        await changed(model, () => !model.searching && !!model.result);
        await model.hitAtLoaded(300);
        model.focusIndex(300);
        expect(model.selectedIds).toEqual([byName[300]]);

        // The same archive the other way round: as many results, none of the old pages past the first kept.
        model.setSort({ by: 'name', direction: 'desc' });
        await changed(model, () => !model.searching && model.hitAt(0)?.assetId === byName[IMAGES - 1]);
        const reversed = [...byName].reverse();
        expect(model.total).toBe(IMAGES);
        expect(loaded(model)).toEqual([...reversed.slice(0, 200), ...new Array(IMAGES - 200).fill(undefined)]);
        expect(model.focusedIndex).toBe(0);
        expect(model.selectedIds).toEqual([reversed[0]]);
        expect(model.selection.size).toBe(0);
        requests.length = 0;
        expect((await model.hitAtLoaded(300))?.assetId).toBe(reversed[300]);
        expect(requests).toEqual([{ offset: 200, limit: 200 }]);

        // Words that match fewer images: one page, nothing past it.
        model.setText('image-01');
        await model.submit();
        const hits = Array.from({ length: model.total }, (_, index) => model.hitAt(index)) as SearchHit[];
        expect(model.total).toBeGreaterThan(0);
        expect(model.total).toBeLessThan(200);
        expect(hits.every(hit => hit !== undefined)).toBe(true);
        expect(model.hitAt(300)).toBeUndefined();
        expect(await model.hitAtLoaded(300)).toBeUndefined();
    });
});
