import { inject, injectable, named } from '@theia/core/shared/inversify';
import { CommandService } from '@theia/core/lib/common/command';
import { ILogger } from '@theia/core/lib/common/logger';
import { MessageService } from '@theia/core/lib/common/message-service';
import { nls } from '@theia/core/lib/common/nls';
import { plural } from '@imageparser/archive-core/lib/common/plural';
import type { Collection } from '@imageparser/archive-core/lib/common/collection-protocol';
import { SEARCH_RESULTS_DRAG_TYPE, SearchResultsDrag } from '@imageparser/search-view/lib/browser/search-results-drag';
import { COLLECTION_DRAG_TYPE, CollectionCommands } from './collection-commands';
import { CollectionsModel } from './collections-model';

/**
 * What a drop on the Collections view does: results dropped on a manual
 * collection join it, results dropped below the collections make a new one;
 * a collection dropped on a folder moves into it, on another collection
 * before it, below the collections to the end of the top level.
 */
@injectable()
export class CollectionDrops {

    @inject(CollectionsModel)
    protected readonly model: CollectionsModel;

    @inject(CommandService)
    protected readonly commands: CommandService;

    @inject(MessageService)
    protected readonly messages: MessageService;

    @inject(ILogger) @named('collections:CollectionDrops')
    protected readonly logger: ILogger;

    /** The collection being dragged in this window (a drag over a row cannot read the data, only its types). */
    protected draggedId: number | undefined;

    startCollectionDrag(data: DataTransfer, id: number): void {
        this.draggedId = id;
        data.setData(COLLECTION_DRAG_TYPE, String(id));
        data.effectAllowed = 'move';
    }

    endCollectionDrag(): void {
        this.draggedId = undefined;
    }

    /** Where a drop on this row would go: into it, before it, or nowhere (undefined). */
    dropOnRow(data: DataTransfer, target: Collection): 'into' | 'before' | undefined {
        if (data.types.includes(SEARCH_RESULTS_DRAG_TYPE)) {
            return target.kind === 'manual' ? 'into' : undefined;
        }
        if (data.types.includes(COLLECTION_DRAG_TYPE) && this.draggedId !== undefined) {
            if (this.model.isWithin(target.id, this.draggedId)) {
                return undefined;
            }
            return target.kind === 'folder' ? 'into' : 'before';
        }
        return undefined;
    }

    canDropAtEnd(data: DataTransfer): boolean {
        return data.types.includes(SEARCH_RESULTS_DRAG_TYPE) || data.types.includes(COLLECTION_DRAG_TYPE) && this.draggedId !== undefined;
    }

    async dropOnCollection(data: DataTransfer, target: Collection): Promise<void> {
        const assetIds = SearchResultsDrag.read(data);
        const draggedId = this.draggedId ?? collectionId(data);
        this.draggedId = undefined;
        try {
            if (assetIds && target.kind === 'manual') {
                await this.add(target, assetIds);
            } else if (draggedId !== undefined && !assetIds) {
                await this.model.move(draggedId, target.kind === 'folder' ? { parentId: target.id } : { parentId: target.parentId, beforeId: target.id });
            }
        } catch (error) {
            this.report(error);
        }
    }

    async dropAtEnd(data: DataTransfer): Promise<void> {
        const assetIds = SearchResultsDrag.read(data);
        const draggedId = this.draggedId ?? collectionId(data);
        this.draggedId = undefined;
        try {
            if (assetIds) {
                await this.commands.executeCommand(CollectionCommands.ADD_TO_NEW.id, assetIds);
            } else if (draggedId !== undefined) {
                await this.model.move(draggedId, {});
            }
        } catch (error) {
            this.report(error);
        }
    }

    /** Adds the assets and says how many joined (the ones already in it stay where they are). */
    async add(target: Collection, assetIds: readonly number[]): Promise<void> {
        const added = await this.model.addAssets(target.id, assetIds);
        this.messages.info(plural(added,
            nls.localize('imageparser/collections/added/one', 'Added {0} image to “{1}”.', added, target.name),
            nls.localize('imageparser/collections/added/other', 'Added {0} images to “{1}”.', added, target.name)), { timeout: 5000 });
    }

    protected report(error: unknown): void {
        const message = error instanceof Error ? error.message : String(error);
        this.logger.warn(`A drop on the Collections view failed: ${message}`);
        this.messages.error(message);
    }
}

function collectionId(data: DataTransfer): number | undefined {
    const id = Number(data.getData(COLLECTION_DRAG_TYPE));
    return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}
