import { inject, injectable } from '@theia/core/shared/inversify';
import { CommandRegistry } from '@theia/core/lib/common/command';
import { MenuModelRegistry } from '@theia/core/lib/common/menu';
import { KeybindingRegistry } from '@theia/core/lib/browser/keybinding';
import { AbstractViewContribution } from '@theia/core/lib/browser/shell/view-contribution';
import { ApplicationShell } from '@theia/core/lib/browser/shell/application-shell';
import { WidgetManager } from '@theia/core/lib/browser/widget-manager';
import { open, OpenerOptions, OpenerService } from '@theia/core/lib/browser/opener-service';
import { AssetOpenerOptions, AssetUri } from '@imageparser/archive-core/lib/common/asset-uri';
import { SearchCommands } from './search-commands';
import { FileProblemCommands } from '@imageparser/archive-core/lib/browser/ingest/file-problem-commands';
import { SearchModel } from './search-model';
import { SEARCH_RESULTS_CONTEXT_MENU, SearchResultsWidget } from './search-results-widget';
import { SearchPreviewWidget } from './search-preview-widget';
import { SearchWidget } from './search-widget';

/**
 * The Image Search view in the left side bar, the results editor it fills,
 * and every search action as a command with keybindings and a context menu.
 */
@injectable()
export class SearchViewContribution extends AbstractViewContribution<SearchWidget> {

    @inject(SearchModel)
    protected readonly model: SearchModel;

    @inject(WidgetManager)
    protected readonly widgets: WidgetManager;

    @inject(ApplicationShell)
    protected readonly appShell: ApplicationShell;

    @inject(OpenerService)
    protected readonly openerService: OpenerService;

    constructor() {
        super({
            widgetId: SearchWidget.ID,
            widgetName: SearchWidget.LABEL,
            defaultWidgetOptions: { area: 'left', rank: 50 },
            toggleCommandId: 'imageparser.search.toggle'
        });
    }

    async openResults(activate: boolean): Promise<SearchResultsWidget> {
        const widget = await this.widgets.getOrCreateWidget<SearchResultsWidget>(SearchResultsWidget.ID);
        if (!widget.isAttached) {
            await this.appShell.addWidget(widget, { area: 'main' });
        }
        if (activate) {
            await this.appShell.activateWidget(widget.id);
        } else {
            await this.appShell.revealWidget(widget.id);
        }
        return widget;
    }

    /**
     * The State filter set to failed (or missing) files, the search view
     * revealed to show it, and the results editor with their list (words
     * searched afterwards leave it: see `SearchModel.submit`).
     */
    async showProblems(state: 'error' | 'missing'): Promise<void> {
        this.model.showFileProblems(state);
        await this.openView({ activate: false, reveal: true });
        await this.openResults(true);
    }

    /** Opens the focused result through the OpenerService: the viewer when it is installed, the plain preview otherwise. */
    async openResult(): Promise<void> {
        const index = this.model.focusedIndex;
        const hit = this.model.hitAt(index);
        if (hit) {
            await open(this.openerService, AssetUri.create(hit.assetId), { resultIndex: index } as OpenerOptions & AssetOpenerOptions);
        }
    }

    /** The plain preview: the fallback opener of assets. */
    async showPreview(assetId: number): Promise<SearchPreviewWidget | undefined> {
        const hit = this.model.findHit(assetId);
        if (!hit) {
            return undefined;
        }
        const preview = await this.widgets.getOrCreateWidget<SearchPreviewWidget>(SearchPreviewWidget.ID);
        preview.showHit(hit);
        if (!preview.isAttached) {
            await this.appShell.addWidget(preview, { area: 'main' });
        }
        await this.appShell.activateWidget(preview.id);
        return preview;
    }

    override registerCommands(registry: CommandRegistry): void {
        super.registerCommands(registry);
        // The results come forward as the search starts: a result opened while the answer is on its way stays in front.
        const similar = (mode: 'and' | 'or') => async () => {
            const searching = this.model.findSimilar(this.model.selectedIds, mode);
            await this.openResults(true);
            await searching;
        };
        const hasSelection = () => this.model.selectedIds.length > 0;
        registry.registerCommand(SearchCommands.FOCUS_SEARCH, {
            execute: async () => (await this.openView({ activate: true, reveal: true })).focusQuery()
        });
        registry.registerCommand(SearchCommands.OPEN_RESULTS, { execute: (activate?: boolean) => this.openResults(activate !== false) });
        registry.registerCommand(SearchCommands.FOCUS_RESULTS, { execute: () => this.openResults(true) });
        registry.registerCommand(SearchCommands.OPEN_RESULT, { execute: () => this.openResult(), isEnabled: hasSelection });
        registry.registerCommand(SearchCommands.FIND_SIMILAR, { execute: similar('or'), isEnabled: hasSelection });
        registry.registerCommand(SearchCommands.FIND_SIMILAR_ALL, { execute: similar('and'), isEnabled: () => this.model.selectedIds.length > 1 });
        registry.registerCommand(SearchCommands.FIND_SIMILAR_ANY, { execute: similar('or'), isEnabled: () => this.model.selectedIds.length > 1 });
        registry.registerCommand(SearchCommands.NEAR_DUPLICATES, {
            execute: async () => {
                const searching = this.model.findNearDuplicates(this.model.selectedIds[0]);
                await this.openResults(true);
                await searching;
            },
            isEnabled: hasSelection
        });
        registry.registerCommand(SearchCommands.CLEAR_SIMILAR, { execute: () => this.model.clearReferences() });
        registry.registerCommand(FileProblemCommands.SHOW_FAILURES, { execute: () => this.showProblems('error') });
        registry.registerCommand(FileProblemCommands.SHOW_MISSING, { execute: () => this.showProblems('missing') });
        registry.registerCommand(SearchCommands.VIEW_GRID, { execute: () => this.model.setViewMode('grid') });
        registry.registerCommand(SearchCommands.VIEW_LIST, { execute: () => this.model.setViewMode('list') });
        registry.registerCommand(SearchCommands.VIEW_COMPACT, { execute: () => this.model.setViewMode('compact') });
    }

    override registerKeybindings(keybindings: KeybindingRegistry): void {
        super.registerKeybindings(keybindings);
        keybindings.registerKeybinding({ command: SearchCommands.FOCUS_SEARCH.id, keybinding: 'ctrlcmd+k' });
        keybindings.registerKeybinding({ command: SearchCommands.FIND_SIMILAR.id, keybinding: 'alt+s', when: 'focusedView == imageparser-search-results' });
    }

    override registerMenus(menus: MenuModelRegistry): void {
        super.registerMenus(menus);
        const entries = [SearchCommands.OPEN_RESULT, SearchCommands.FIND_SIMILAR, SearchCommands.FIND_SIMILAR_ALL,
            SearchCommands.FIND_SIMILAR_ANY, SearchCommands.NEAR_DUPLICATES];
        entries.forEach((command, index) => menus.registerMenuAction(SEARCH_RESULTS_CONTEXT_MENU, {
            commandId: command.id, label: command.label, order: String.fromCharCode(97 + index)
        }));
    }
}
