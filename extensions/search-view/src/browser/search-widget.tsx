import * as React from '@theia/core/shared/react';
import { inject, injectable, named, postConstruct } from '@theia/core/shared/inversify';
import { ContributionProvider } from '@theia/core/lib/common/contribution-provider';
import { CommandService } from '@theia/core/lib/common/command';
import { nls } from '@theia/core/lib/common/nls';
import { codicon } from '@theia/core/lib/browser/widgets/widget';
import { ReactWidget } from '@theia/core/lib/browser/widgets/react-widget';
import { SearchAxisId, SearchService, SortField } from '@imageparser/archive-core/lib/common/search-protocol';
import { axisSkipText, SILENT_SKIP_REASONS } from './axis-skip-text';
import { SearchFilterContribution } from './search-filter-contribution';
import { SearchWidgetSection } from './search-widget-section';
import { ResultViewMode, SearchModel } from './search-model';
import { SearchCommands } from './search-commands';
import { plural } from '@imageparser/archive-core/lib/common/plural';
import { FileProblemCommands } from '@imageparser/archive-core/lib/browser/ingest/file-problem-commands';
import { FileProblemsModel } from './file-problems-model';
import { AxisModels } from './axis-models';
import { completeQuery, lastQueryWord } from './query-completion';

const SORT_FIELDS: SortField[] = ['relevance', 'modified', 'added', 'name', 'rating', 'resolution', 'layers'];

/**
 * The search side bar: the query box (history and suggestions as you type),
 * the filter panel (built-in and contributed filters), sort, view mode, axis
 * weights with the models serving them, what the last search found and how long it took, and how many
 * files failed to index or went missing (a click lists them).
 */
@injectable()
export class SearchWidget extends ReactWidget {

    static readonly ID = 'imageparser-search';
    static readonly LABEL = nls.localize('imageparser/search-view/title', 'Image Search');

    @inject(SearchModel)
    protected readonly model: SearchModel;

    @inject(SearchService)
    protected readonly service: SearchService;

    @inject(CommandService)
    protected readonly commands: CommandService;

    @inject(ContributionProvider) @named(SearchFilterContribution)
    protected readonly filters: ContributionProvider<SearchFilterContribution>;

    @inject(ContributionProvider) @named(SearchWidgetSection)
    protected readonly sections: ContributionProvider<SearchWidgetSection>;

    @inject(FileProblemsModel)
    protected readonly problems: FileProblemsModel;

    @inject(AxisModels)
    protected readonly axisModels: AxisModels;

    protected suggestions: string[] = [];
    protected suggestTimer: number | undefined;
    protected readonly inputRef = React.createRef<HTMLInputElement>();

    @postConstruct()
    protected init(): void {
        this.id = SearchWidget.ID;
        this.title.label = SearchWidget.LABEL;
        this.title.caption = SearchWidget.LABEL;
        this.title.iconClass = codicon('search');
        this.title.closable = true;
        this.addClass('imageparser-search');
        this.toDispose.push(this.model.onDidChange(() => {
            this.syncQueryBox();
            this.update();
        }));
        this.toDispose.push(this.problems.onDidChange(() => this.update()));
        this.toDispose.push(this.axisModels.onDidChange(() => this.update()));
        for (const section of this.sections.getContributions()) {
            if (section.onDidChange) {
                this.toDispose.push(section.onDidChange(() => this.update()));
            }
        }
        this.update();
        this.model.resumeLastSearch();
    }

    protected override onActivateRequest(): void {
        this.focusQuery();
    }

    /**
     * Focuses the query box with its text selected, once: Ctrl+K both
     * activates the view (a posted activate request) and calls this, and a late
     * second call must not select what the user has started typing.
     */
    focusQuery(): void {
        const input = this.inputRef.current ?? this.node.querySelector<HTMLInputElement>('.imageparser-search-query');
        if (input && document.activeElement !== input) {
            input.focus();
            input.select();
        }
    }

    protected render(): React.ReactNode {
        return <div className='imageparser-search-content'>
            {this.renderQuery()}
            {this.renderSummary()}
            {this.renderSections('summary')}
            {this.renderProblems()}
            {this.renderOptions()}
            {this.renderSections('filters')}
            {this.renderFilters()}
        </div>;
    }

    /**
     * The query box is uncontrolled: React would put a controlled input back to
     * its last rendered value between fast keystrokes, as the widget renders
     * asynchronously. The model follows the box through onChange.
     */
    protected renderQuery(): React.ReactNode {
        // A suggestion completes the last word: the option is the whole query with it.
        const options = this.model.text.trim() ? this.suggestions.map(suggestion => completeQuery(this.model.text, suggestion)) : this.model.history.entries();
        return <div className='imageparser-search-query-row'>
            <input ref={this.inputRef} className='theia-input imageparser-search-query' type='search' list='imageparser-search-suggestions'
                placeholder={nls.localize('imageparser/search-view/placeholder', 'Search words, tag:, layer:, text:, ocr:, path:, ext:, -not')}
                aria-label={SearchWidget.LABEL} defaultValue={this.model.text} spellCheck={false}
                onChange={event => this.onTextChange(event.target.value)}
                onKeyDown={event => this.onQueryKey(event)} />
            <datalist id='imageparser-search-suggestions'>
                {options.map(option => <option key={option} value={option} />)}
            </datalist>
            <button className='theia-button imageparser-search-go' type='button' onClick={() => this.runSearch()}
                title={nls.localize('imageparser/search-view/search', 'Search')}>
                <span className={codicon('search')} />
            </button>
        </div>;
    }

    /** The box follows the model when the model's text changes by other means (Find Similar clears it, a reload restores it). */
    protected syncQueryBox(): void {
        const input = this.inputRef.current;
        if (input && input.value !== this.model.text) {
            input.value = this.model.text;
        }
    }

    protected onTextChange(text: string): void {
        this.model.setText(text);
        window.clearTimeout(this.suggestTimer);
        this.suggestTimer = window.setTimeout(async () => {
            const word = lastQueryWord(text).word.trim();
            this.suggestions = word ? await this.service.suggest(word, 10).catch(() => []) : [];
            this.update();
        }, 150);
    }

    protected onQueryKey(event: React.KeyboardEvent<HTMLInputElement>): void {
        if (event.key === 'Enter') {
            event.preventDefault();
            this.runSearch();
        } else if (event.key === 'ArrowDown' && this.model.total) {
            event.preventDefault();
            this.commands.executeCommand(SearchCommands.FOCUS_RESULTS.id);
        }
    }

    /**
     * Runs the words and brings the results editor forward as the search
     * starts, not once its answer is in: a result opened meanwhile from the
     * results still shown (a double-click opens the viewer) stays in front.
     */
    protected async runSearch(): Promise<void> {
        const searching = this.model.submit();
        await this.commands.executeCommand(SearchCommands.OPEN_RESULTS.id, false);
        await searching;
    }

    protected renderSummary(): React.ReactNode {
        const { result, error, searching } = this.model;
        const skipped = result?.axes.filter(axis => !axis.used && axis.skipped && !SILENT_SKIP_REASONS.has(axis.skipped)) ?? [];
        return <div className='imageparser-search-summary' aria-live='polite'>
            {searching && <span>{nls.localize('imageparser/search-view/searching', 'Searching…')}</span>}
            {error && <div className='imageparser-search-error'>{error}</div>}
            {result && !searching && <span className='imageparser-search-count'>
                {plural(result.total,
                    nls.localize('imageparser/search-view/count/one', '{0} result in {1} ms', result.total.toLocaleString(nls.locale), Math.round(result.tookMs)),
                    nls.localize('imageparser/search-view/count/other', '{0} results in {1} ms', result.total.toLocaleString(nls.locale), Math.round(result.tookMs)))}
            </span>}
            {this.renderActiveFilters()}
            {(this.model.references || this.model.nearDuplicatesOf !== undefined) && <div className='imageparser-search-references'>
                <span>{this.describeReferences()}</span>
                <button className='theia-button secondary' type='button' onClick={() => this.model.clearReferences()}>
                    {nls.localize('imageparser/search-view/clear', 'Clear')}
                </button>
            </div>}
            {(this.model.references || this.model.nearDuplicatesOf !== undefined) && this.model.shownText && <div className='imageparser-search-both'>
                {nls.localize('imageparser/search-view/wordsToo', 'The words “{0}” rank these results too.', this.model.shownText)}
            </div>}
            {skipped.map(axis => <div key={axis.axis} className='imageparser-search-axis-note'>
                {nls.localize('imageparser/search-view/axisSkipped', '{0} skipped: {1}', axisName(axis.axis), axisSkipText(axis.skipped!))}
            </div>)}
            {result?.axes.filter(axis => axis.bounded).map(axis => <div key={`${axis.axis}-bounded`} className='imageparser-search-axis-note'>
                {nls.localize('imageparser/search-view/axisBounded', '{0}: more than {1} matches; the {2} best placed (file name first, then tags, layers, text; newest first) were ranked',
                    axisName(axis.axis), axis.bounded!.over.toLocaleString(nls.locale), axis.bounded!.ranked.toLocaleString(nls.locale))}
            </div>)}
        </div>;
    }

    /**
     * A chip for each filter that limits the results, by the count, each with
     * ✕ to clear it: filters are set far down the side bar (or by Show
     * Failures), and a search must not come back empty without saying why.
     */
    protected renderActiveFilters(): React.ReactNode {
        if (!this.model.filters.length) {
            return undefined;
        }
        const contributions = new Map(this.filters.getContributions().map(filter => [filter.id, filter]));
        return <div className='imageparser-search-active-filters' role='list' aria-label={nls.localize('imageparser/search-view/activeFilters', 'Active filters')}>
            {this.model.filters.map(clause => {
                const text = contributions.get(clause.kind)?.describe(clause) ?? clause.kind;
                return <span key={clause.kind} role='listitem' className='imageparser-search-chip' data-filter={clause.kind} title={text}>
                    <span className='imageparser-search-chip-text'>{text}</span>
                    <button type='button' className={`imageparser-search-chip-clear ${codicon('close')}`}
                        title={nls.localize('imageparser/search-view/clearFilter', 'Clear the filter “{0}”', text)}
                        aria-label={nls.localize('imageparser/search-view/clearFilter', 'Clear the filter “{0}”', text)}
                        onClick={() => this.model.setFilter(clause.kind, undefined)} />
                </span>;
            })}
        </div>;
    }

    protected describeReferences(): string {
        if (this.model.nearDuplicatesOf !== undefined) {
            return nls.localize('imageparser/search-view/nearDuplicates', 'Near-duplicates of one image');
        }
        const { assetIds, mode } = this.model.references!;
        if (assetIds.length === 1) {
            return nls.localize('imageparser/search-view/similarToOne', 'Similar to one image');
        }
        return mode === 'and'
            ? nls.localize('imageparser/search-view/similarToAll', 'Similar to all {0} images', assetIds.length)
            : nls.localize('imageparser/search-view/similarToAny', 'Similar to any of {0} images', assetIds.length);
    }

    /** The archive's failed and missing files, counted; each count opens their list. */
    protected renderProblems(): React.ReactNode {
        const summary = this.problems.summary;
        if (!summary || (!summary.failed && !summary.missing)) {
            return undefined;
        }
        return <div className='imageparser-search-problems'>
            {summary.failed > 0 && <button type='button' className='imageparser-link imageparser-search-problems-failed'
                onClick={() => this.commands.executeCommand(FileProblemCommands.SHOW_FAILURES.id)}>
                <span className={codicon('warning')} />
                {plural(summary.failed,
                    nls.localize('imageparser/search-view/problems/failedCount/one', '{0} file failed to index', summary.failed.toLocaleString(nls.locale)),
                    nls.localize('imageparser/search-view/problems/failedCount/other', '{0} files failed to index', summary.failed.toLocaleString(nls.locale)))}
            </button>}
            {summary.missing > 0 && <button type='button' className='imageparser-link imageparser-search-problems-missing'
                onClick={() => this.commands.executeCommand(FileProblemCommands.SHOW_MISSING.id)}>
                <span className={codicon('question')} />
                {plural(summary.missing,
                    nls.localize('imageparser/search-view/problems/missingCount/one', '{0} file missing', summary.missing.toLocaleString(nls.locale)),
                    nls.localize('imageparser/search-view/problems/missingCount/other', '{0} files missing', summary.missing.toLocaleString(nls.locale)))}
            </button>}
        </div>;
    }

    /** Whether the shown results only browse (no words, no reference images): then relevance has nothing to rank and the engine sorts by date added. */
    protected isBrowsing(): boolean {
        const result = this.model.result;
        return !!result && result.axes.every(axis => !axis.used);
    }

    protected renderOptions(): React.ReactNode {
        const sort = this.model.sort;
        const modes: [ResultViewMode, string, string][] = [
            ['grid', 'symbol-array', nls.localize('imageparser/search-view/grid', 'Grid')],
            ['list', 'list-flat', nls.localize('imageparser/search-view/list', 'List')],
            ['compact', 'list-tree', nls.localize('imageparser/search-view/compact', 'Compact')]
        ];
        return <div className='imageparser-search-options'>
            {/* The sort box is as wide as the side bar, under its name: its longest choice must show whole. */}
            <label className='imageparser-search-sort-row'>
                <span className='imageparser-search-sort-label'>{nls.localize('imageparser/search-view/sort', 'Sort')}</span>
                <select className='theia-select imageparser-search-sort' value={sort?.by ?? 'relevance'}
                    onChange={event => this.model.sortBy(event.target.value as SortField)}>
                    {[...SORT_FIELDS, ...this.model.filterOf('collection') ? ['manual' as const] : []].map(field => <option key={field} value={field}>{field === 'relevance' && this.isBrowsing()
                        ? nls.localize('imageparser/search-view/sortBy/relevanceBrowsing', 'Relevance · date added')
                        : sortName(field)}</option>)}
                </select>
            </label>
            <button className='theia-button secondary imageparser-search-direction' type='button'
                title={sort?.direction === 'asc' ? nls.localize('imageparser/search-view/ascending', 'Ascending') : nls.localize('imageparser/search-view/descending', 'Descending')}
                onClick={() => this.model.setSort({ by: sort?.by ?? 'relevance', direction: sort?.direction === 'asc' ? 'desc' : 'asc' })}>
                <span className={codicon(sort?.direction === 'asc' ? 'arrow-up' : 'arrow-down')} />
            </button>
            <div className='imageparser-search-modes' role='radiogroup' aria-label={nls.localize('imageparser/search-view/viewMode', 'View mode')}>
                {modes.map(([mode, icon, label]) => <button key={mode} type='button' role='radio' aria-checked={this.model.viewMode === mode}
                    data-mode={mode} title={label} className={`theia-button ${this.model.viewMode === mode ? '' : 'secondary'}`}
                    onClick={() => this.model.setViewMode(mode)}><span className={codicon(icon)} /></button>)}
            </div>
            <details className='imageparser-search-weights' onToggle={event => event.currentTarget.open && this.axisModels.refresh()}>
                <summary>{nls.localize('imageparser/search-view/weights', 'Axis weights')}</summary>
                {(['S', 'V', 'M'] as SearchAxisId[]).map(axis => <label key={axis}>{axisName(axis)}
                    <input type='range' min={0} max={3} step={0.5} value={this.model.weights[axis]}
                        onChange={event => this.model.setWeight(axis, Number(event.target.value))} />
                    <span>{this.model.weights[axis]}</span>
                </label>)}
                {this.renderAxisModels()}
            </details>
        </div>;
    }

    /** Which models serve Look (V), Meaning (M) and the captions; nothing when the backend does not say. */
    protected renderAxisModels(): React.ReactNode {
        const lines = this.axisModels.lines;
        if (!lines.length) {
            return undefined;
        }
        return <ul className='imageparser-search-axis-models' aria-label={nls.localize('imageparser/search-view/models/label', 'Models serving search')}>
            {lines.map(line => <li key={line.role} data-axis-model={line.role} className={line.problem ? 'imageparser-search-axis-model-problem' : undefined}>
                {line.problem && <span className={codicon('warning')} />}
                {line.text}
            </li>)}
        </ul>;
    }

    /** The parts other packages add here ({@link SearchWidgetSection}). */
    protected renderSections(place: SearchWidgetSection['place']): React.ReactNode {
        return this.sections.getContributions().filter(section => section.place === place).map(section => {
            const content = section.render();
            return content ? <div key={section.id} className='imageparser-search-section' data-section={section.id}>{content}</div> : undefined;
        });
    }

    protected renderFilters(): React.ReactNode {
        return <div className='imageparser-search-filters'>
            {this.filters.getContributions().map(filter => <fieldset key={filter.id} className='imageparser-search-filter' data-filter={filter.id}>
                <legend>{filter.label}</legend>
                {filter.render(this.model.filterOf(filter.id), clause => this.model.setFilter(filter.id, clause))}
            </fieldset>)}
        </div>;
    }
}

export function axisName(axis: SearchAxisId): string {
    switch (axis) {
        case 'S': return nls.localize('imageparser/search-view/axis/words', 'Words');
        case 'V': return nls.localize('imageparser/search-view/axis/look', 'Look');
        default: return nls.localize('imageparser/search-view/axis/meaning', 'Meaning');
    }
}

function sortName(field: SortField): string {
    switch (field) {
        case 'relevance': return nls.localize('imageparser/search-view/sortBy/relevance', 'Relevance');
        case 'modified': return nls.localize('imageparser/search-view/sortBy/modified', 'Date modified');
        case 'added': return nls.localize('imageparser/search-view/sortBy/added', 'Date added');
        case 'name': return nls.localize('imageparser/search-view/sortBy/name', 'Name');
        case 'rating': return nls.localize('imageparser/search-view/sortBy/rating', 'Rating');
        case 'resolution': return nls.localize('imageparser/search-view/sortBy/resolution', 'Resolution');
        case 'manual': return nls.localize('imageparser/search-view/sortBy/manual', 'Collection order');
        default: return nls.localize('imageparser/search-view/sortBy/layers', 'Layer count');
    }
}
