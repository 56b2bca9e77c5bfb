import { inject, injectable, named } from '@theia/core/shared/inversify';
import { CommandService } from '@theia/core/lib/common/command';
import { ILogger } from '@theia/core/lib/common/logger';
import { MessageService } from '@theia/core/lib/common/message-service';
import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { WidgetManager } from '@theia/core/lib/browser/widget-manager';
import type { Widget } from '@theia/core/lib/browser/widgets/widget';
import { SearchModel } from '@imageparser/search-view/lib/browser/search-model';
import { SEARCH_RESULTS_DRAG_TYPE, SearchResultsDrag } from '@imageparser/search-view/lib/browser/search-results-drag';
import { SearchResultsWidget } from '@imageparser/search-view/lib/browser/search-results-widget';
import { CollectionCommands } from './collection-commands';
import { CollectionsModel } from './collections-model';

const DROP_BEFORE = 'imageparser-result-drop-before';
const DROP_AFTER = 'imageparser-result-drop-after';

/**
 * What the results editor does with a manual collection it shows: results
 * dragged onto a result go before it (its left or upper half) or after it,
 * keeping their order, while it shows the collection in its own order; the
 * Delete key removes the selected results from the collection (with an
 * undo). Listens on the results editor's node, so the search view knows
 * nothing of collections.
 */
@injectable()
export class CollectionResultsActions implements FrontendApplicationContribution {

    @inject(WidgetManager)
    protected readonly widgets: WidgetManager;

    @inject(CollectionsModel)
    protected readonly collections: CollectionsModel;

    @inject(SearchModel)
    protected readonly search: SearchModel;

    @inject(CommandService)
    protected readonly commands: CommandService;

    @inject(MessageService)
    protected readonly messages: MessageService;

    @inject(ILogger) @named('collections:CollectionResultsActions')
    protected readonly logger: ILogger;

    protected marked: HTMLElement | undefined;

    onStart(): void {
        this.widgets.onDidCreateWidget(({ factoryId, widget }) => {
            if (factoryId === SearchResultsWidget.ID) {
                this.listen(widget);
            }
        });
        const existing = this.widgets.tryGetWidget(SearchResultsWidget.ID);
        if (existing) {
            this.listen(existing);
        }
    }

    protected listen(widget: Widget): void {
        const node = widget.node;
        node.addEventListener('dragenter', event => this.onDragOver(event));
        node.addEventListener('dragover', event => this.onDragOver(event));
        node.addEventListener('dragleave', event => {
            if (!node.contains(event.relatedTarget as Node | null)) {
                this.mark(undefined);
            }
        });
        node.addEventListener('drop', event => this.onDrop(event));
        node.addEventListener('dragend', () => this.mark(undefined));
        node.addEventListener('keydown', event => {
            if (event.key === 'Delete' && !event.ctrlKey && !event.altKey && !event.metaKey && this.collections.shownManualCollection) {
                event.preventDefault();
                this.commands.executeCommand(CollectionCommands.REMOVE_SELECTION.id);
            }
        });
    }

    /** The result under the pointer and whether the drop goes after it (the right or lower half). */
    protected placeAt(event: DragEvent): { tile: HTMLElement; after: boolean } | undefined {
        const tile = (event.target as HTMLElement | null)?.closest?.<HTMLElement>('.imageparser-result[data-asset-id]');
        if (!tile) {
            return undefined;
        }
        const box = tile.getBoundingClientRect();
        const after = this.search.viewMode === 'grid' ? event.clientX > box.left + box.width / 2 : event.clientY > box.top + box.height / 2;
        return { tile, after };
    }

    protected onDragOver(event: DragEvent): void {
        if (!this.collections.showsManualOrder || !event.dataTransfer?.types.includes(SEARCH_RESULTS_DRAG_TYPE)) {
            return;
        }
        const place = this.placeAt(event);
        // Not further up: the main area's own handler would ask for a link, which a drag of results does not allow.
        event.preventDefault();
        event.stopPropagation();
        event.dataTransfer.dropEffect = 'move';
        this.mark(place?.tile, place?.after);
    }

    protected async onDrop(event: DragEvent): Promise<void> {
        const collection = this.collections.shownManualCollection;
        const place = this.placeAt(event);
        this.mark(undefined);
        if (!collection || !this.collections.showsManualOrder || !event.dataTransfer) {
            return;
        }
        const dragged = SearchResultsDrag.read(event.dataTransfer);
        if (!dragged) {
            return;
        }
        event.preventDefault();
        event.stopPropagation();
        const moving = new Set(dragged);
        // Moved in the order the results show them.
        const assetIds = [...dragged].sort((a, b) => this.search.indexOf(a) - this.search.indexOf(b));
        let before: number | undefined;
        if (place) {
            let index = this.search.indexOf(Number(place.tile.dataset.assetId)) + (place.after ? 1 : 0);
            for (; index < this.search.total; index++) {
                const hit = await this.search.hitAtLoaded(index);
                if (!hit || !moving.has(hit.assetId)) {
                    before = hit?.assetId;
                    break;
                }
            }
        }
        try {
            await this.collections.reorder(collection.id, assetIds, before);
        } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            this.logger.warn(`Reordering a collection failed: ${message}`);
            this.messages.error(message);
        }
    }

    protected mark(tile: HTMLElement | undefined, after?: boolean): void {
        if (this.marked && this.marked !== tile) {
            this.marked.classList.remove(DROP_BEFORE, DROP_AFTER);
        }
        this.marked = tile;
        tile?.classList.toggle(DROP_BEFORE, !after);
        tile?.classList.toggle(DROP_AFTER, !!after);
    }
}
