import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { Emitter, Event } from '@theia/core/lib/common/event';
import {
    FilterClause, SearchAxisId, SearchHit, SearchQuery, SearchResult, SearchService, SearchSort, SortField
} from '@imageparser/archive-core/lib/common/search-protocol';
import { SearchHistory } from './search-history';
import { defaultSortDirection } from './search-sort';
import { ResultViewMode, SearchSession } from './search-session';

export type { ResultViewMode } from './search-session';

/** The filter kind whose collection a `manual` sort orders by (the collections package's filter). */
const MANUAL_SORT_FILTER_KIND = 'collection';

/** How many hits one page request fetches. */
const PAGE_SIZE = 200;

/**
 * The state of the search view and its results editor: the query being
 * edited, the last answer (hits fetched page by page as they scroll into
 * view, so 100,000 results cost only what is on screen), the selection and
 * the focused result. Widgets render it and call its methods; it talks to
 * the backend's SearchService.
 */
@injectable()
export class SearchModel {

    @inject(SearchService)
    protected readonly service: SearchService;

    @inject(SearchHistory)
    readonly history: SearchHistory;

    @inject(SearchSession)
    protected readonly session: SearchSession;

    protected readonly onDidChangeEmitter = new Emitter<void>();
    readonly onDidChange: Event<void> = this.onDidChangeEmitter.event;

    text = '';
    filters: FilterClause[] = [];
    sort: SearchSort | undefined;
    weights: Record<SearchAxisId, number> = { S: 1, V: 1, M: 1 };
    references: SearchQuery['references'];
    nearDuplicatesOf: number | undefined;
    viewMode: ResultViewMode = 'grid';

    result: SearchResult | undefined;
    error: string | undefined;
    searching = false;
    /** Hits by position in the result; pages arrive as they are needed. */
    protected hits: (SearchHit | undefined)[] = [];
    /** The query whose answer is shown; pages and refreshes use it, not the box's newer text. */
    protected shownQuery: SearchQuery | undefined;
    protected pagesLoading = new Set<number>();
    /** Moves with every request whose answer replaces the results: an answer to an older request is dropped. */
    protected generation = 0;
    /** Whether a refresh was asked for while a search was running: the search's answer may predate the change, so it runs after. */
    protected refreshWanted = false;

    readonly selection = new Set<number>();
    focusedIndex = 0;
    protected anchorIndex = 0;

    /** Whether the last session's search still waits to run again (see {@link resumeLastSearch}). */
    protected resumable = false;
    /** Whether the State filter was set to show the list of failed or missing files (see {@link showFileProblems}). */
    protected showingFileProblems = false;

    @postConstruct()
    protected init(): void {
        const stored = this.session.load();
        if (stored) {
            this.text = stored.text;
            this.filters = stored.filters;
            this.sort = stored.sort;
            this.weights = { ...this.weights, ...stored.weights };
            this.references = stored.references;
            this.nearDuplicatesOf = stored.nearDuplicatesOf;
            this.viewMode = stored.viewMode;
            this.resumable = true;
        }
    }

    /**
     * Runs the search the window showed before it was reloaded, once, when a
     * view that shows it opens and nothing was searched yet.
     */
    resumeLastSearch(): void {
        if (this.resumable && !this.result && !this.searching) {
            this.resumable = false;
            this.search();
        }
    }

    /** Keeps what a reload should bring back: the search as it was run, and the view mode. */
    protected saveSession(query: SearchQuery): void {
        this.session.save({
            text: query.text ?? '',
            filters: [...query.filters ?? []],
            sort: query.sort,
            weights: query.weights,
            references: query.references,
            nearDuplicatesOf: query.nearDuplicatesOf,
            viewMode: this.viewMode
        });
    }

    get total(): number {
        return this.result?.total ?? 0;
    }

    hitAt(index: number): SearchHit | undefined {
        return this.hits[index];
    }

    /**
     * Runs the query of the answer shown again (not the box's newer text), in
     * place: after an edit (a tag, a rating, a comment) the results show it at
     * once. The focused and selected assets stay focused and selected where
     * they are still in the first page; nothing goes to the history. Asked
     * for while a search runs, it runs once that search's answer is shown:
     * that answer may have been read before the change.
     */
    async refresh(): Promise<void> {
        if (this.searching) {
            this.refreshWanted = true;
            return;
        }
        const query = this.shownQuery;
        if (!query) {
            return;
        }
        const generation = ++this.generation;
        try {
            const result = await this.service.search({ ...query, offset: 0, limit: PAGE_SIZE });
            if (generation !== this.generation) {
                return;
            }
            const focusedId = this.hits[this.focusedIndex]?.assetId;
            const focusedIndex = this.focusedIndex;
            this.show(result);
            const focused = result.hits.findIndex(hit => hit.assetId === focusedId);
            this.focusedIndex = focused >= 0 ? focused : Math.max(0, Math.min(focusedIndex, result.total - 1));
            this.anchorIndex = this.focusedIndex;
            this.fire();
        } catch {
            // The answer shown stays; the next search reports what is wrong.
        }
    }

    /**
     * Puts an answer's first page in place of the results shown. Selected
     * assets that are not in it leave the selection (rated out of a filter,
     * say): later bulk edits must not reach what the results no longer show.
     */
    protected show(result: SearchResult): void {
        this.result = result;
        this.hits = new Array(result.total);
        result.hits.forEach((hit, index) => this.hits[index] = hit);
        this.pagesLoading.clear();
        const present = new Set(result.hits.map(hit => hit.assetId));
        for (const id of [...this.selection]) {
            if (!present.has(id)) {
                this.selection.delete(id);
            }
        }
    }

    /** Where an asset is among the loaded hits; -1 when it is not (or its page has not arrived). */
    indexOf(assetId: number): number {
        return this.hits.findIndex(hit => hit?.assetId === assetId);
    }

    /** The loaded hit of an asset, if any page holding it has arrived. */
    findHit(assetId: number): SearchHit | undefined {
        return this.hits.find(hit => hit?.assetId === assetId);
    }

    /** The hit at `index`, fetching its page when it has not arrived yet; undefined past the end. */
    async hitAtLoaded(index: number): Promise<SearchHit | undefined> {
        if (index < 0 || index >= this.total) {
            return undefined;
        }
        if (!this.hits[index]) {
            const page = Math.floor(index / PAGE_SIZE);
            const generation = this.generation;
            const result = await this.service.search({ ...this.shownQuery ?? this.query, offset: page * PAGE_SIZE, limit: PAGE_SIZE });
            if (generation !== this.generation) {
                // A newer answer replaced the one this page belongs to.
                return undefined;
            }
            result.hits.forEach((hit, offset) => this.hits[page * PAGE_SIZE + offset] ??= hit);
        }
        return this.hits[index];
    }

    /** Moves the focus (and the selection) to `index`, as the viewer steps through the results. */
    focusIndex(index: number): void {
        if (index >= 0 && index < this.total) {
            this.select(index);
        }
    }

    /** The query as the backend gets it (without the page). */
    get query(): SearchQuery {
        return {
            text: this.text.trim() || undefined,
            filters: this.filters.length ? this.filters : undefined,
            sort: this.sort?.by === 'manual' && !this.filterOf(MANUAL_SORT_FILTER_KIND) ? undefined : this.sort,
            weights: this.weights,
            references: this.references,
            nearDuplicatesOf: this.nearDuplicatesOf
        };
    }

    /**
     * Runs the current query from its first page; remembers the text in the
     * history. The selection starts afresh with the search, not with its
     * answer: what the user selects while the answer is on its way (among the
     * results still shown) stays selected where the answer has it too.
     */
    async search(): Promise<void> {
        const generation = ++this.generation;
        this.searching = true;
        this.error = undefined;
        this.selection.clear();
        this.focusedIndex = 0;
        this.anchorIndex = 0;
        this.fire();
        try {
            const query = this.query;
            const result = await this.service.search({ ...query, offset: 0, limit: PAGE_SIZE });
            if (generation !== this.generation) {
                return;
            }
            this.shownQuery = query;
            this.resumable = false;
            this.saveSession(query);
            // The asset clicked last while the answer was on its way keeps the focus; otherwise the first result has it.
            const focusedId = this.selection.size ? this.hits[this.focusedIndex]?.assetId : undefined;
            this.show(result);
            const focused = focusedId === undefined ? -1 : result.hits.findIndex(hit => hit.assetId === focusedId);
            this.focusedIndex = Math.max(0, focused);
            this.anchorIndex = this.focusedIndex;
            if (this.text.trim()) {
                this.history.add(this.text.trim());
            }
        } catch (error) {
            if (generation === this.generation) {
                this.error = error instanceof Error ? error.message : String(error);
                this.result = undefined;
                this.hits = [];
            }
        } finally {
            if (generation === this.generation) {
                this.searching = false;
                this.fire();
                if (this.refreshWanted) {
                    this.refreshWanted = false;
                    this.refresh();
                }
            }
        }
    }

    /** Fetches the pages covering [start, end) that are not here yet. */
    ensureRange(start: number, end: number): void {
        for (let page = Math.floor(start / PAGE_SIZE); page * PAGE_SIZE < Math.min(end, this.total); page++) {
            if (this.hits[page * PAGE_SIZE] || this.pagesLoading.has(page)) {
                continue;
            }
            this.pagesLoading.add(page);
            const generation = this.generation;
            this.service.search({ ...this.shownQuery ?? this.query, offset: page * PAGE_SIZE, limit: PAGE_SIZE }).then(result => {
                if (generation === this.generation) {
                    result.hits.forEach((hit, index) => this.hits[page * PAGE_SIZE + index] = hit);
                    this.fire();
                }
            }, () => undefined).finally(() => this.pagesLoading.delete(page));
        }
    }

    setText(text: string): void {
        this.text = text;
        this.fire();
    }

    /**
     * Runs the words in the query box (Enter, the search button). While the
     * list of failed or missing files that {@link showFileProblems} opened is
     * shown, words leave that list: the State filter it set goes, so the
     * words search every image rather than find nothing among failed files.
     */
    submit(): Promise<void> {
        if (this.showingFileProblems && this.text.trim()) {
            this.showingFileProblems = false;
            this.filters = this.filters.filter(filter => filter.kind !== 'state');
        }
        return this.search();
    }

    /** Sets the State filter to files that failed to index (`error`) or went missing, whose list the results then show. */
    showFileProblems(state: 'error' | 'missing'): void {
        this.setFilter('state', { kind: 'state', state });
        this.showingFileProblems = true;
    }

    /** Adds, replaces (same kind) or, with `undefined`, removes a filter, then searches. */
    setFilter(kind: string, clause: FilterClause | undefined): void {
        if (kind === 'state') {
            this.showingFileProblems = false;
        }
        this.filters = this.filters.filter(filter => filter.kind !== kind);
        if (clause) {
            this.filters.push(clause);
        }
        this.dropOrphanManualSort();
        this.search();
    }

    /** Replaces every filter with `filters` (a filter preset), then searches. */
    setFilters(filters: readonly FilterClause[]): Promise<void> {
        this.showingFileProblems = false;
        this.filters = [...filters];
        this.dropOrphanManualSort();
        return this.search();
    }

    /**
     * Puts a whole saved search in place of the one being edited (a smart
     * collection's: words, filters, references, weights, sort), then runs it.
     */
    applyQuery(query: Omit<SearchQuery, 'offset' | 'limit'>): Promise<void> {
        this.showingFileProblems = false;
        this.text = query.text ?? '';
        this.filters = [...query.filters ?? []];
        this.sort = query.sort;
        this.weights = { S: 1, V: 1, M: 1, ...query.weights };
        this.references = query.references && { assetIds: [...query.references.assetIds], mode: query.references.mode };
        this.nearDuplicatesOf = query.nearDuplicatesOf;
        this.dropOrphanManualSort();
        return this.search();
    }

    /**
     * A collection's own order (`manual`) means nothing without the
     * collection filter: when that filter goes (any way), the sort goes back
     * to relevance, so no saved search keeps a sort the Sort box cannot show.
     */
    protected dropOrphanManualSort(): void {
        if (this.sort?.by === 'manual' && !this.filterOf(MANUAL_SORT_FILTER_KIND)) {
            this.sort = undefined;
        }
    }

    filterOf(kind: string): FilterClause | undefined {
        return this.filters.find(filter => filter.kind === kind);
    }

    setSort(sort: SearchSort | undefined): void {
        this.sort = sort;
        this.search();
    }

    /** Sorts by another field, in the direction people expect of it ({@link defaultSortDirection}: names A to Z, the rest highest or newest first). */
    sortBy(field: SortField): void {
        this.setSort({ by: field, direction: defaultSortDirection(field) });
    }

    setWeight(axis: SearchAxisId, weight: number): void {
        this.weights = { ...this.weights, [axis]: weight };
        this.search();
    }

    setViewMode(mode: ResultViewMode): void {
        this.viewMode = mode;
        if (this.shownQuery) {
            this.saveSession(this.shownQuery);
        }
        this.fire();
    }

    /**
     * Look-alikes of these assets: AND = close to all, OR = close to any. The
     * words in the box are cleared: left there, they would rank the results
     * too (typed again afterwards, both apply, and the view says so).
     */
    findSimilar(assetIds: readonly number[], mode: 'and' | 'or' = 'or'): Promise<void> {
        this.references = assetIds.length ? { assetIds: [...assetIds], mode } : undefined;
        this.nearDuplicatesOf = undefined;
        this.text = '';
        return this.search();
    }

    /** Near-duplicates of one asset; the words in the box are cleared, as for look-alikes. */
    findNearDuplicates(assetId: number): Promise<void> {
        this.references = undefined;
        this.nearDuplicatesOf = assetId;
        this.text = '';
        return this.search();
    }

    /** Whether the answer shown browses the whole archive: no words, no filter, no reference image. */
    get browsingAll(): boolean {
        const query = this.shownQuery;
        return !!query && !query.text && !query.filters?.length && !query.references && query.nearDuplicatesOf === undefined;
    }

    /** The words of the answer shown (not the box's newer text), if it had any. */
    get shownText(): string | undefined {
        return this.shownQuery?.text;
    }

    /** Drops references and near-duplicate search, keeping words and filters. */
    clearReferences(): Promise<void> {
        this.references = undefined;
        this.nearDuplicatesOf = undefined;
        return this.search();
    }

    /** Click, ctrl/cmd+click (toggle) and shift+click (range from the anchor). */
    select(index: number, modifiers: { toggle?: boolean; range?: boolean } = {}): void {
        const hit = this.hits[index];
        if (!hit) {
            return;
        }
        if (modifiers.range) {
            if (!modifiers.toggle) {
                this.selection.clear();
            }
            const [from, to] = [Math.min(this.anchorIndex, index), Math.max(this.anchorIndex, index)];
            for (let i = from; i <= to; i++) {
                const inRange = this.hits[i];
                if (inRange) {
                    this.selection.add(inRange.assetId);
                }
            }
        } else if (modifiers.toggle) {
            if (!this.selection.delete(hit.assetId)) {
                this.selection.add(hit.assetId);
            }
            this.anchorIndex = index;
        } else {
            this.selection.clear();
            this.selection.add(hit.assetId);
            this.anchorIndex = index;
        }
        this.focusedIndex = index;
        this.fire();
    }

    /**
     * Selects an asset as {@link select} selects a place: what a click on a
     * rendered result means. The widget passes the asset it showed, not its
     * place, since a refresh may have reordered the results before the widget
     * rendered them again; an asset no longer in the results selects nothing.
     */
    selectAsset(assetId: number, modifiers: { toggle?: boolean; range?: boolean } = {}): boolean {
        const index = this.indexOf(assetId);
        if (index < 0) {
            return false;
        }
        this.select(index, modifiers);
        return true;
    }

    /** Moves the focus (and a single selection, or a range with shift) by `delta` results. */
    moveFocus(delta: number, extend = false): void {
        if (!this.total) {
            return;
        }
        const index = Math.max(0, Math.min(this.total - 1, this.focusedIndex + delta));
        this.select(index, { range: extend });
    }

    /** The selected assets, or the focused one when nothing is selected. */
    get selectedIds(): number[] {
        if (this.selection.size) {
            return [...this.selection];
        }
        const focused = this.hits[this.focusedIndex];
        return focused ? [focused.assetId] : [];
    }

    protected fire(): void {
        this.onDidChangeEmitter.fire();
    }
}
