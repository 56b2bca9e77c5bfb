import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Container } from '@theia/core/shared/inversify';
import { AnnotationService } from '@imageparser/archive-core/lib/common/annotation-protocol';
import { AssetDetailsService } from '@imageparser/archive-core/lib/common/asset-details-protocol';
import { SearchService } from '@imageparser/archive-core/lib/common/search-protocol';
// The search view's model from its sources, so it shares this file's protocol symbols.
import { SearchHistory } from '../../../search-view/src/browser/search-history';
import { SearchModel } from '../../../search-view/src/browser/search-model';
import { SearchSession } from '../../../search-view/src/browser/search-session';
// The backend, from archive-core's sources as its own tests use it (its test helpers are not compiled).
import { AnnotationService as BackendAnnotationService } from '../../../archive-core/src/common/annotation-protocol';
import { AssetDetailsService as BackendAssetDetailsService } from '../../../archive-core/src/common/asset-details-protocol';
import { SearchService as BackendSearchService } from '../../../archive-core/src/common/search-protocol';
import { createDistinctImagesArchive } from '../../../archive-core/src/node/test/distinct-images-archive';
import { connectTestFrontend, TestFrontendConnection } from '../../../archive-core/src/node/test/test-frontend-connection';
import { AnnotationModel } from './annotation-model';
import { ViewerModel } from './viewer-model';

/** More than two pages of 200 results. */
const IMAGES = 450;
const BY_NAME = { by: 'name', direction: 'asc' } as const;

/**
 * The viewer stepping through search results (←/→, Previous/Next) over a
 * real archive of 450 images: the real search engine, asset details and
 * annotation service (that of a frontend connection, as it is bound per
 * connection) answer the frontend's real SearchModel, AnnotationModel and
 * ViewerModel, as the RPC proxies would.
 */
describe('ViewerModel stepping through the results past the first page', () => {
    let backend: Container;
    let dispose: () => Promise<void>;
    let byName: number[];
    let search: SearchModel;
    let annotations: AnnotationModel;
    let viewer: ViewerModel;
    let connection: TestFrontendConnection;

    beforeAll(async () => {
        ({ backend, byName, dispose } = await createDistinctImagesArchive(IMAGES));
    }, 180_000);

    afterAll(() => dispose?.());

    beforeEach(async () => {
        connection = connectTestFrontend(backend);
        const frontend = new Container();
        frontend.bind(SearchService).toConstantValue(backend.get(BackendSearchService));
        frontend.bind(AnnotationService).toConstantValue(connection.container.get(BackendAnnotationService));
        frontend.bind(SearchHistory).toSelf().inSingletonScope();
        frontend.bind(SearchSession).toSelf().inSingletonScope();
        frontend.bind(SearchModel).toSelf().inSingletonScope();
        frontend.bind(AnnotationModel).toSelf().inSingletonScope();
        search = frontend.get(SearchModel);
        annotations = frontend.get(AnnotationModel);
        viewer = new ViewerModel(backend.get<AssetDetailsService>(BackendAssetDetailsService), annotations);
        search.sort = BY_NAME;
        await search.search();
        expect(search.total).toBe(IMAGES);
    });

    afterEach(() => connection.close());

    /** What the viewer shows: its place, the asset of its details, and the results' focus. */
    const shown = () => ({ index: viewer.resultIndex, asset: viewer.details?.assetId, focused: search.focusedIndex, selected: search.selectedIds });
    const at = (index: number) => ({ index, asset: byName[index], focused: index, selected: [byName[index]] });

    it('steps from the first page into the second and back, fetching the page it needs', async () => {
        await viewer.open(byName[198], 198);
        expect(search.hitAt(200)).toBeUndefined();
        expect(await viewer.step(search, 1)).toBe(true);
        expect(await viewer.step(search, 1)).toBe(true);
        expect(shown()).toEqual(at(200));
        expect(await viewer.step(search, 1)).toBe(true);
        expect(shown()).toEqual(at(201));
        expect(await viewer.step(search, -1)).toBe(true);
        expect(await viewer.step(search, -1)).toBe(true);
        expect(shown()).toEqual(at(199));
        expect(viewer.error).toBeUndefined();
    });

    it('steps into the third page and stops at both ends of the results', async () => {
        await viewer.open(byName[399], 399);
        expect(await viewer.step(search, 1)).toBe(true);
        expect(shown()).toEqual(at(400));
        await viewer.open(byName[IMAGES - 1], IMAGES - 1);
        expect(await viewer.step(search, 1)).toBe(false);
        expect(viewer.resultIndex).toBe(IMAGES - 1);
        expect(viewer.details?.assetId).toBe(byName[IMAGES - 1]);
        await viewer.open(byName[0], 0);
        expect(await viewer.step(search, -1)).toBe(false);
        expect(shown()).toEqual({ ...at(0), focused: search.focusedIndex, selected: search.selectedIds });
        // Opened on its own (not from the results): there is nothing to step through.
        await viewer.open(byName[5]);
        expect(await viewer.step(search, 1)).toBe(false);
    });

    it('rating the shown asset out of "not rated" results on page two steps on to its neighbour, skipping none', async () => {
        search.filters = [{ kind: 'rating', max: 0 }];
        await search.search();
        expect(search.total).toBe(IMAGES);
        await viewer.open(byName[249], 249);
        expect(await viewer.step(search, 1)).toBe(true);
        expect(shown()).toEqual(at(250));

        // As the viewer's contribution does after an edit: the rating, then the results refresh and the viewer follows them.
        await annotations.setRating([byName[250]], 4);
        await search.refresh();
        expect(search.total).toBe(IMAGES - 1);
        await viewer.followResults(search);
        expect(viewer.details?.rating).toBe(4);

        expect(await viewer.step(search, 1)).toBe(true);
        expect(viewer.details?.assetId).toBe(byName[251]);
        expect(viewer.resultIndex).toBe(250);
        expect(await viewer.step(search, -1)).toBe(true);
        expect(viewer.details?.assetId).toBe(byName[249]);
        await annotations.setRating([byName[250]], 0);
    });

    it('rating the last result out of the results leaves the viewer between its neighbours, with the one before it a step back', async () => {
        search.filters = [{ kind: 'rating', max: 0 }];
        await search.search();
        await viewer.open(byName[IMAGES - 1], IMAGES - 1);
        await annotations.setRating([byName[IMAGES - 1]], 2);
        await search.refresh();
        await viewer.followResults(search);
        expect(viewer.resultIndex).toBe(IMAGES - 1.5);
        expect(await viewer.step(search, 1)).toBe(false);
        expect(await viewer.step(search, -1)).toBe(true);
        expect(shown()).toEqual(at(IMAGES - 2));
        await annotations.setRating([byName[IMAGES - 1]], 0);
    });
});
