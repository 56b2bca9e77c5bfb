import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { Container } from '@theia/core/shared/inversify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SearchQuery, SearchResult, SearchService } from '@imageparser/archive-core/lib/common/search-protocol';
import { AnnotationService } from '../../extensions/archive-core/src/common/annotation-protocol';
import { SearchService as ArchiveSearchService } from '../../extensions/archive-core/src/common/search-protocol';
import { ArchiveIngester } from '../../extensions/archive-core/src/node/ingest/archive-ingester';
import { createArchiveTestContainer, disposeArchiveTestContainer, makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { connectTestFrontend } from '../../extensions/archive-core/src/node/test/test-frontend-connection';
import { SearchHistory } from '../../extensions/search-view/src/browser/search-history';
import { SearchModel } from '../../extensions/search-view/src/browser/search-model';
import { SearchSession } from '../../extensions/search-view/src/browser/search-session';

/**
 * The archive's real search engine, whose answers the test can hold back:
 * while held, each answer is computed at once (from the archive as it is
 * then) and handed over only on {@link release}, as a slow backend or a
 * busy connection hands it over late.
 */
class HeldSearchService implements SearchService {
    protected held: (() => void)[] | undefined;
    readonly asked: SearchQuery[] = [];

    constructor(protected readonly engine: SearchService) { }

    hold(): void {
        this.held = [];
    }

    /** Hands over the held answers, oldest first (or newest first), and answers at once from now on. */
    release(order: 'oldest first' | 'newest first' = 'oldest first'): void {
        const held = this.held ?? [];
        this.held = undefined;
        (order === 'oldest first' ? held : [...held].reverse()).forEach(handOver => handOver());
    }

    get waiting(): number {
        return this.held?.length ?? 0;
    }

    async search(query: SearchQuery): Promise<SearchResult> {
        this.asked.push(query);
        const answer = await this.engine.search(query);
        const held = this.held;
        if (held) {
            await new Promise<void>(resolve => held.push(resolve));
        }
        return answer;
    }

    suggest(text: string, limit?: number): Promise<string[]> {
        return this.engine.suggest(text, limit);
    }
}

async function writePng(file: string, colour: string): Promise<void> {
    await sharp({ create: { width: 64, height: 48, channels: 3, background: colour } }).png().toFile(file);
}

/**
 * The search model's answers arriving in an order the user did not ask them
 * in: the results must end up showing the newest request's answer over the
 * archive as it is now, whatever the order of the backend's answers.
 */
describe('the search model when answers and archive changes interleave', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let archive: Container;
    let art: string;
    let ingester: ArchiveIngester;
    let annotations: AnnotationService;

    beforeAll(async () => {
        temp = makeTempFolder();
        art = path.join(temp.folder, 'art');
        fs.mkdirSync(art);
        await writePng(path.join(art, 'amber.png'), '#ffbf00');
        await writePng(path.join(art, 'blue.png'), '#0000ff');
        archive = createArchiveTestContainer(path.join(temp.folder, 'archive'), { threads: 1 });
        ingester = archive.get<ArchiveIngester>(ArchiveIngester);
        await ingester.finished(await ingester.start(art));
        annotations = connectTestFrontend(archive).container.get<AnnotationService>(AnnotationService);
    }, 60_000);

    afterAll(async () => {
        await disposeArchiveTestContainer(archive);
        temp.remove();
    });

    /** A frontend's search model (as the app binds it) over the archive's search engine, answers held on demand. */
    function frontend(): { model: SearchModel; service: HeldSearchService } {
        const service = new HeldSearchService(archive.get<SearchService>(ArchiveSearchService));
        const container = new Container();
        container.bind(SearchService).toConstantValue(service);
        container.bind(SearchHistory).toSelf().inSingletonScope();
        container.bind(SearchSession).toSelf().inSingletonScope();
        container.bind(SearchModel).toSelf().inSingletonScope();
        return { model: container.get(SearchModel), service };
    }

    const shownNames = (model: SearchModel) => Array.from({ length: model.total }, (_, index) => model.hitAt(index)?.name);

    it('shows an archive change that came while a search was running, though that search\'s answer was read before it', async () => {
        const { model, service } = frontend();
        await model.search();
        const before = model.total;
        expect(shownNames(model)).toContain('amber.png');

        // The user searches again; the backend has read the answer, which comes late.
        service.hold();
        const searching = model.search();
        await expect.poll(() => service.waiting).toBe(1);
        // Meanwhile another image is indexed, and the archive's change notice asks the open search to refresh
        // (what SearchChangeFollower does on ArchiveChangeEvents).
        await writePng(path.join(art, 'coral.png'), '#ff7f50');
        await ingester.finished(await ingester.start(art));
        const refreshing = model.refresh();
        service.release();
        await searching;
        await refreshing;

        await expect.poll(() => model.total).toBe(before + 1);
        expect(shownNames(model)).toContain('coral.png');
        expect(model.searching).toBe(false);
    });

    it('shows the typed search\'s answer when a refresh of the browse list started earlier answers after it', async () => {
        const { model, service } = frontend();
        await model.search();
        expect(model.total).toBeGreaterThan(1);
        // A refresh of the browse list (an edit, a change notice) is on its way ...
        service.hold();
        const refreshing = model.refresh();
        await expect.poll(() => service.waiting).toBe(1);
        // ... when the user types a word and presses Enter; the refresh's answer comes last.
        model.setText('amber');
        const searching = model.search();
        await expect.poll(() => service.waiting).toBe(2);
        service.release('newest first');
        await searching;
        await refreshing;

        expect(shownNames(model)).toEqual(['amber.png']);
        expect(model.shownText).toBe('amber');
    });

    it('keeps what the user selected while a search ran: its answer (the same list again) does not clear it', async () => {
        const { model, service } = frontend();
        await model.search();
        const [first, second] = [model.hitAt(0)!, model.hitAt(1)!];
        // The user presses Enter on the same words; the answer is on its way ...
        service.hold();
        const searching = model.search();
        await expect.poll(() => service.waiting).toBe(1);
        // ... and meanwhile clicks a result and Ctrl+clicks another, in the list still shown.
        model.select(1);
        model.select(0, { toggle: true });
        service.release();
        await searching;

        expect(model.selectedIds.sort()).toEqual([first.assetId, second.assetId].sort());
        expect(model.hitAt(model.focusedIndex)!.assetId).toBe(first.assetId);
    });

    it('selects the asset a click was on when a refresh reordered the results before the grid drew them again', async () => {
        const { model } = frontend();
        model.sortBy('rating');
        await expect.poll(() => model.searching).toBe(false);
        const drawn = shownNames(model);
        // The grid drew the results; the cell at the bottom shows this asset.
        const lastDrawn = model.hitAt(drawn.length - 1)!;
        // The asset is rated (in this window or another) and the refresh moves it to the top, before the grid redraws.
        await annotations.setRating([lastDrawn.assetId], 5);
        await model.refresh();
        expect(model.hitAt(0)!.assetId).toBe(lastDrawn.assetId);

        // Its old place holds another asset now: a click passing that place would select the wrong image.
        expect(model.hitAt(drawn.length - 1)!.assetId).not.toBe(lastDrawn.assetId);
        // The click on the drawn cell selects what that cell showed, not what now stands at its old place.
        expect(model.selectAsset(lastDrawn.assetId)).toBe(true);
        expect(model.selectedIds).toEqual([lastDrawn.assetId]);
        await annotations.setRating([lastDrawn.assetId], 0);
    });
});
