import * as React from '@theia/core/shared/react';
import { inject, injectable, named, postConstruct } from '@theia/core/shared/inversify';
import { ContributionProvider } from '@theia/core/lib/common/contribution-provider';
import { Virtuoso, VirtuosoGrid, VirtuosoGridHandle, VirtuosoHandle } from '@theia/core/shared/react-virtuoso';
import { CommandService } from '@theia/core/lib/common/command';
import { nls } from '@theia/core/lib/common/nls';
import { codicon } from '@theia/core/lib/browser/widgets/widget';
import { ReactWidget } from '@theia/core/lib/browser/widgets/react-widget';
import { ContextMenuRenderer } from '@theia/core/lib/browser/context-menu-renderer';
import { MediaRoutes } from '@imageparser/archive-core/lib/common/media-protocol';
import { AssetLocation } from '@imageparser/archive-core/lib/common/asset-location';
import type { SearchHit } from '@imageparser/archive-core/lib/common/search-protocol';
import type { FileProblemState } from '@imageparser/archive-core/lib/common/file-problem-protocol';
import { FileProblemCommands } from '@imageparser/archive-core/lib/browser/ingest/file-problem-commands';
import { IngestCommands } from '@imageparser/archive-core/lib/browser/ingest/ingest-frontend-contribution';
import { enlargeSmallImage } from '@imageparser/archive-core/lib/browser/small-image';
import { plural } from '@imageparser/archive-core/lib/common/plural';
import { SearchModel } from './search-model';
import { matchFieldText } from './match-field-text';
import { SearchCommands } from './search-commands';
import { SearchResultsDrag } from './search-results-drag';
import { FileProblemsModel } from './file-problems-model';
import { FileProblemList } from './file-problem-list';
import { ResultsScope, SearchResultsScope } from './search-results-scope';

export const SEARCH_RESULTS_CONTEXT_MENU = ['imageparser-search-results-context-menu'];

/** Grid tiles' width, for keyboard moves by rows. */
const TILE_WIDTH = 176;
/** Tags shown on a result; the rest are counted ("+2") and named in the tooltip. */
const MAX_TAG_BADGES = 3;

/**
 * The results editor: a virtualized grid, list or compact list (only what is
 * on screen is in the DOM; thumbnails load lazily from the media route, pages
 * of hits load as they scroll into view), the tag cloud of the results,
 * selection with click, shift and ctrl, and keyboard navigation. When the
 * State filter asks for failed or missing files, their list (with reasons)
 * comes first: a failed file is not an asset, so the grid cannot show it.
 */
@injectable()
export class SearchResultsWidget extends ReactWidget {

    static readonly ID = 'imageparser-search-results';
    static readonly LABEL = nls.localize('imageparser/search-view/results', 'Search Results');

    @inject(SearchModel)
    protected readonly model: SearchModel;

    @inject(CommandService)
    protected readonly commands: CommandService;

    @inject(ContextMenuRenderer)
    protected readonly contextMenus: ContextMenuRenderer;

    @inject(FileProblemsModel)
    protected readonly problems: FileProblemsModel;

    @inject(ContributionProvider) @named(SearchResultsScope)
    protected readonly scopes: ContributionProvider<SearchResultsScope>;

    protected gridHandle: VirtuosoGridHandle | null = null;
    protected listHandle: VirtuosoHandle | null = null;

    @postConstruct()
    protected init(): void {
        this.id = SearchResultsWidget.ID;
        this.title.label = SearchResultsWidget.LABEL;
        this.title.caption = SearchResultsWidget.LABEL;
        this.title.iconClass = codicon('symbol-array');
        this.title.closable = true;
        this.addClass('imageparser-search-results');
        this.node.tabIndex = 0;
        this.node.addEventListener('keydown', event => this.onKey(event));
        this.toDispose.push(this.model.onDidChange(() => this.update()));
        this.toDispose.push(this.problems.onDidChange(() => this.update()));
        for (const scope of this.scopes.getContributions()) {
            if (scope.onDidChange) {
                this.toDispose.push(scope.onDidChange(() => this.update()));
            }
        }
        this.update();
        this.model.resumeLastSearch();
    }

    protected override onActivateRequest(): void {
        this.node.focus();
    }

    /** Which files the State filter asks for besides assets: failed ones (not assets at all) or missing ones. */
    protected get problemState(): FileProblemState | undefined {
        const state = this.model.filterOf('state')?.state;
        return state === 'error' ? 'failed' : state === 'missing' ? 'missing' : undefined;
    }

    /** What the results are limited to (a collection), if a contribution names it. */
    protected get scope(): ResultsScope | undefined {
        for (const contribution of this.scopes.getContributions()) {
            const scope = contribution.current();
            if (scope) {
                return scope;
            }
        }
        return undefined;
    }

    /** The tab names the scope of the results (a collection) when there is one. */
    protected updateTitle(scope: ResultsScope | undefined): void {
        const label = scope?.title ?? SearchResultsWidget.LABEL;
        if (this.title.label !== label) {
            this.title.label = label;
            this.title.caption = label;
        }
    }

    protected render(): React.ReactNode {
        const { result } = this.model;
        const scope = this.scope;
        this.updateTitle(scope);
        if (!result) {
            return <div className='imageparser-search-results-empty'>
                {nls.localize('imageparser/search-view/noSearch', 'Type a query in Image Search (Ctrl+K) and press Enter.')}
            </div>;
        }
        const problemState = this.problemState;
        return <div className={`imageparser-search-results-content mode-${this.model.viewMode}${problemState && !result.total ? ' problems-only' : ''}`}>
            {scope && this.renderScope(scope, result.total)}
            {this.renderTagCloud()}
            {problemState && <FileProblemList model={this.problems} state={problemState}
                onRetry={fileIds => this.commands.executeCommand(FileProblemCommands.RETRY_FAILED.id, fileIds)} />}
            {result.total === 0
                ? !problemState && this.renderNothing()
                : this.model.viewMode === 'grid' ? this.renderGrid() : this.renderList()}
        </div>;
    }

    /**
     * The bar above the results that names what they are limited to (a
     * collection) and how many images it shows, with one click to show all
     * images again: words typed later search only inside it, and say so here.
     */
    protected renderScope(scope: ResultsScope, total: number): React.ReactNode {
        const count = plural(total,
            nls.localize('imageparser/search-view/scopeCount/one', '{0} image', total.toLocaleString(nls.locale)),
            nls.localize('imageparser/search-view/scopeCount/other', '{0} images', total.toLocaleString(nls.locale)));
        const words = this.model.shownText;
        return <div className='imageparser-results-scope' role='status'>
            <span className={`imageparser-results-scope-icon ${codicon('filter')}`} />
            <span className='imageparser-results-scope-title'>{scope.title}</span>
            <span className='imageparser-results-scope-count'>{words
                ? nls.localize('imageparser/search-view/scopeMatches', '{0} matching “{1}”', count, words)
                : count}</span>
            <button type='button' className='theia-button secondary imageparser-results-scope-leave' onClick={() => scope.leave()}>
                <span className={codicon('close')} /> {nls.localize('imageparser/search-view/showAllImages', 'Show all images')}
            </button>
        </div>;
    }

    /** No result: an empty archive invites adding a folder; otherwise nothing matched. */
    protected renderNothing(): React.ReactNode {
        if (!this.model.browsingAll) {
            return <div className='imageparser-search-results-empty'>{nls.localize('imageparser/search-view/nothing', 'No images match.')}</div>;
        }
        return <div className='imageparser-search-results-empty imageparser-search-results-start'>
            <p>{nls.localize('imageparser/search-view/emptyArchive', 'The archive has no images yet. Add a folder of PSD, PSB, PNG or JPEG files to search and browse them here.')}</p>
            <button type='button' className='theia-button imageparser-search-add-folder' onClick={() => this.commands.executeCommand(IngestCommands.ADD_FOLDER.id)}>
                {nls.localize('imageparser/search-view/addFolder', 'Add Folder…')}
            </button>
        </div>;
    }

    protected renderTagCloud(): React.ReactNode {
        const tags = this.model.result?.tags ?? [];
        if (!tags.length) {
            return undefined;
        }
        const max = Math.max(...tags.map(tag => tag.count));
        return <div className='imageparser-tag-cloud' aria-label={nls.localize('imageparser/search-view/tagCloud', 'Tags of these results')}>
            {tags.map(tag => <button key={tag.name} type='button' className='imageparser-tag' style={{ fontSize: `${0.85 + 0.5 * tag.count / max}em` }}
                title={nls.localize('imageparser/search-view/filterByTag', 'Show only images tagged {0}', tag.name)}
                onClick={() => this.model.setFilter('tags', { kind: 'tags', tags: [tag.name], mode: 'any' })}>
                {tag.name} <span className='imageparser-tag-count'>{tag.count}</span>
            </button>)}
        </div>;
    }

    protected renderGrid(): React.ReactNode {
        return <VirtuosoGrid className='imageparser-results-scroller' ref={handle => { this.gridHandle = handle; }}
            totalCount={this.model.total} overscan={400}
            listClassName='imageparser-results-grid' itemClassName='imageparser-results-cell'
            rangeChanged={range => this.model.ensureRange(range.startIndex, range.endIndex + 1)}
            itemContent={index => this.renderItem(index)} />;
    }

    protected renderList(): React.ReactNode {
        return <Virtuoso className='imageparser-results-scroller' ref={handle => { this.listHandle = handle; }}
            totalCount={this.model.total} overscan={400}
            rangeChanged={range => this.model.ensureRange(range.startIndex, range.endIndex + 1)}
            itemContent={index => this.renderItem(index)} />;
    }

    protected renderItem(index: number): React.ReactNode {
        const hit = this.model.hitAt(index);
        if (!hit) {
            this.model.ensureRange(index, index + 1);
            return <div className='imageparser-result loading' data-index={index} />;
        }
        const selected = this.model.selection.has(hit.assetId);
        const focused = this.model.focusedIndex === index;
        return <div className={`imageparser-result${selected ? ' selected' : ''}${focused ? ' focused' : ''}${hit.missing ? ' missing' : ''}`}
            data-index={index} data-asset-id={hit.assetId} title={this.tooltip(hit)}
            onClick={event => this.model.selectAsset(hit.assetId, { toggle: event.ctrlKey || event.metaKey, range: event.shiftKey })}
            onDoubleClick={() => this.model.selectAsset(hit.assetId) && this.commands.executeCommand(SearchCommands.OPEN_RESULT.id)}
            onContextMenu={event => this.onContextMenu(event, hit)}
            draggable onDragStart={event => this.onDragStart(event, hit)}>
            <div className='imageparser-result-thumb'>
                <img src={MediaRoutes.url('thumbnail', hit.assetId)} loading='lazy' alt={hit.name} draggable={false}
                    onLoad={event => enlargeSmallImage(event.currentTarget, event.currentTarget.parentElement ?? undefined)} />
                {this.model.viewMode === 'grid' && this.renderBadges(hit)}
            </div>
            <div className='imageparser-result-text'>
                <div className='imageparser-result-name'>{hit.name}</div>
                {this.model.viewMode !== 'grid' && <div className='imageparser-result-details'>
                    {[hit.kind.toUpperCase(), `${hit.width} x ${hit.height}`, hit.layerCount ? plural(hit.layerCount,
                        nls.localize('imageparser/search-view/layerCount/one', '{0} layer', hit.layerCount),
                        nls.localize('imageparser/search-view/layerCount/other', '{0} layers', hit.layerCount)) : undefined].filter(Boolean).join(' · ')}
                    {this.model.viewMode === 'list' && this.renderBadges(hit)}
                    {this.model.viewMode === 'list' && <span className='imageparser-result-path'>{AssetLocation.display(hit.location)}</span>}
                </div>}
                {this.renderReason(hit)}
            </div>
        </div>;
    }

    /** The rating as stars and the first tags, over the thumbnail's foot in the grid (as Eagle and Bridge show them), inline in the list. */
    protected renderBadges(hit: SearchHit): React.ReactNode {
        if (!hit.rating && !hit.tags.length) {
            return undefined;
        }
        const shown = hit.tags.slice(0, MAX_TAG_BADGES);
        const more = hit.tags.length - shown.length;
        return <div className='imageparser-result-badges'>
            {hit.rating > 0 && <span className='imageparser-result-stars' aria-label={nls.localize('imageparser/search-view/ratedStars', 'Rated {0} of 5', hit.rating)}
                title={nls.localize('imageparser/search-view/ratedStars', 'Rated {0} of 5', hit.rating)}>{'★'.repeat(hit.rating)}</span>}
            {shown.map(tag => <span key={tag} className='imageparser-result-tag' title={tag}>{tag}</span>)}
            {more > 0 && <span className='imageparser-result-tag more' title={hit.tags.slice(MAX_TAG_BADGES).join(', ')}>{`+${more}`}</span>}
        </div>;
    }

    protected renderReason(hit: SearchHit): React.ReactNode {
        const { reason } = hit;
        const parts: React.ReactNode[] = [];
        if (reason.snippet) {
            parts.push(<span key='snippet' className='imageparser-result-snippet'>
                {reason.snippetField === 'captions' && `${nls.localize('imageparser/search-view/reason/caption', 'caption:')} `}{highlight(reason.snippet)}
            </span>);
        }
        if (reason.similarity !== undefined) {
            parts.push(<span key='similarity' className='imageparser-result-similarity'>
                {nls.localize('imageparser/search-view/similarity', '{0}% alike', reason.similarity.toFixed(0))}
            </span>);
        }
        if (reason.looksLike) {
            parts.push(<span key='looks-like' className='imageparser-result-similarity'>
                {nls.localize('imageparser/search-view/reason/looksLike', 'looks like "{0}" ({1}%)', reason.looksLike.text, reason.looksLike.similarity.toFixed(0))}
            </span>);
        }
        if (reason.means) {
            parts.push(<span key='means' className='imageparser-result-similarity'>
                {nls.localize('imageparser/search-view/reason/means', 'means "{0}" ({1}%)', reason.means.text, reason.means.similarity.toFixed(0))}
            </span>);
        }
        return parts.length ? <div className='imageparser-result-reason'>{parts}</div> : undefined;
    }

    /** The path, where the words matched and the tags: in the user's words (no axis ranks such as "S #1"). */
    protected tooltip(hit: SearchHit): string {
        const fields = hit.reason.fields.length ? `\n${nls.localize('imageparser/search-view/matchedIn', 'Matched in: {0}', hit.reason.fields.map(matchFieldText).join(', '))}` : '';
        const tags = hit.tags.length ? `\n${nls.localize('imageparser/search-view/tagsTooltip', 'Tags: {0}', hit.tags.join(', '))}` : '';
        return `${AssetLocation.display(hit.location)}${fields}${tags}`;
    }

    protected onContextMenu(event: React.MouseEvent, hit: SearchHit): void {
        event.preventDefault();
        if (!this.model.selection.has(hit.assetId) && !this.model.selectAsset(hit.assetId)) {
            // The asset left the results since they were drawn: nothing of it to act on.
            return;
        }
        this.contextMenus.render({ menuPath: SEARCH_RESULTS_CONTEXT_MENU, anchor: event.nativeEvent, context: this.node });
    }

    /** A drag of a selected result carries the whole selection; of another result, that result alone (it becomes the selection). */
    protected onDragStart(event: React.DragEvent, hit: SearchHit): void {
        if (!this.model.selection.has(hit.assetId) && !this.model.selectAsset(hit.assetId)) {
            event.preventDefault();
            return;
        }
        SearchResultsDrag.write(event.dataTransfer, this.model.selectedIds);
    }

    protected onKey(event: KeyboardEvent): void {
        const columns = this.model.viewMode === 'grid' ? Math.max(1, Math.floor((this.node.clientWidth - 8) / TILE_WIDTH)) : 1;
        const moves: Record<string, number> = {
            ArrowRight: this.model.viewMode === 'grid' ? 1 : 0, ArrowLeft: this.model.viewMode === 'grid' ? -1 : 0,
            ArrowDown: columns, ArrowUp: -columns, PageDown: columns * 5, PageUp: -columns * 5, Home: -this.model.total, End: this.model.total
        };
        if (event.key in moves && moves[event.key] !== 0) {
            event.preventDefault();
            this.model.moveFocus(moves[event.key], event.shiftKey);
            this.reveal(this.model.focusedIndex);
        } else if (event.key === 'Enter') {
            event.preventDefault();
            this.commands.executeCommand(SearchCommands.OPEN_RESULT.id);
        } else if (event.key === ' ') {
            event.preventDefault();
            this.model.select(this.model.focusedIndex, { toggle: true });
        }
    }

    protected reveal(index: number): void {
        this.gridHandle?.scrollToIndex({ index, align: 'center' });
        this.listHandle?.scrollIntoView({ index });
    }
}

/** The snippet with the words between « and » in <mark>. */
function highlight(snippet: string): React.ReactNode[] {
    return snippet.split(/(«[^»]*»)/).map((part, index) => part.startsWith('«')
        ? <mark key={index}>{part.slice(1, -1)}</mark>
        : <React.Fragment key={index}>{part}</React.Fragment>);
}
