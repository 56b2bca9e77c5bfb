import { inject, injectable, named, postConstruct } from '@theia/core/shared/inversify';
import { Emitter, Event } from '@theia/core/lib/common/event';
import { ILogger } from '@theia/core/lib/common/logger';
import { nls } from '@theia/core/lib/common/nls';
import { StorageService } from '@theia/core/lib/browser/storage-service';
import {
    Collection, COLLECTION_FILTER_KIND, CollectionFilterClause, CollectionKind, CollectionPlace, CollectionService
} from '@imageparser/archive-core/lib/common/collection-protocol';
import { CollectionChangeEvents } from '@imageparser/archive-core/lib/browser/collection-change-events';
import { SearchModel } from '@imageparser/search-view/lib/browser/search-model';
import { plural } from '@imageparser/archive-core/lib/common/plural';
import { CollectionUndo } from './collection-undo';

/** Where the open folders of the Collections view are kept between windows. */
const EXPANDED_KEY = 'imageparser.collections.expandedFolders';

/**
 * The collections as the Collections view shows them: every live folder and
 * collection (read again whenever the backend says they changed), which
 * folders are open (kept across reloads), which row has the focus, and which collection the
 * search results show. Changes go to the backend's `CollectionService`;
 * the ones a user may regret (a delete, members removed) leave an undo in
 * {@link CollectionUndo}.
 */
@injectable()
export class CollectionsModel {

    @inject(CollectionService)
    protected readonly service: CollectionService;

    @inject(CollectionChangeEvents)
    protected readonly events: CollectionChangeEvents;

    @inject(SearchModel)
    protected readonly search: SearchModel;

    @inject(CollectionUndo)
    protected readonly undo: CollectionUndo;

    @inject(ILogger) @named('collections:CollectionsModel')
    protected readonly logger: ILogger;

    @inject(StorageService)
    protected readonly storage: StorageService;

    protected readonly onDidChangeEmitter = new Emitter<void>();
    /** Fires when the collections, the open folders, the focus or the collection shown in the results changed. */
    readonly onDidChange: Event<void> = this.onDidChangeEmitter.event;

    protected all: Collection[] = [];
    protected byId = new Map<number, Collection>();
    /** Whether the first list arrived. */
    loaded = false;
    /** Why the collections could not be read, if they could not. */
    error: string | undefined;
    readonly expanded = new Set<number>();
    focusedId: number | undefined;
    /** Counts the reads: an answer older than the newest asked is dropped. */
    protected generation = 0;

    @postConstruct()
    protected init(): void {
        this.events.onDidChange(() => {
            this.refresh();
            if (this.shownCollectionId !== undefined) {
                // Members may have changed (another window, a smart collection recomputed).
                this.search.refresh();
            }
        });
        this.search.onDidChange(() => this.fire());
        this.refresh();
        this.restoreExpanded();
    }

    /** Opens the folders that were open when the window was last closed or reloaded. */
    protected async restoreExpanded(): Promise<void> {
        const stored = await this.storage.getData<number[]>(EXPANDED_KEY, []);
        for (const id of Array.isArray(stored) ? stored : []) {
            if (typeof id === 'number') {
                this.expanded.add(id);
            }
        }
        this.fire();
    }

    /** Keeps which folders are open, for the next window. */
    protected saveExpanded(): void {
        this.storage.setData(EXPANDED_KEY, [...this.expanded]).catch(error => this.logger.warn(`Cannot keep the open collection folders: ${error}`));
    }

    /** Reads every live collection again. */
    async refresh(): Promise<void> {
        const generation = ++this.generation;
        try {
            const collections = await this.service.list();
            if (generation !== this.generation) {
                return;
            }
            this.all = collections;
            this.byId = new Map(collections.map(collection => [collection.id, collection]));
            this.error = undefined;
            if (this.focusedId !== undefined && !this.byId.has(this.focusedId)) {
                this.focusedId = undefined;
            }
        } catch (error) {
            if (generation === this.generation) {
                this.error = error instanceof Error ? error.message : String(error);
            }
        }
        if (generation === this.generation) {
            this.loaded = true;
            this.fire();
        }
    }

    get collections(): readonly Collection[] {
        return this.all;
    }

    get(id: number | undefined): Collection | undefined {
        return id === undefined ? undefined : this.byId.get(id);
    }

    /** The folders and collections directly in `parentId` (undefined: the top), in their order. */
    childrenOf(parentId: number | undefined): Collection[] {
        return this.all.filter(collection => collection.parentId === parentId).sort((a, b) => a.position - b.position || a.id - b.id);
    }

    /** How many collections (not folders) a folder holds, its subfolders' included. */
    collectionsIn(folderId: number): number {
        return this.childrenOf(folderId).reduce((sum, child) => sum + (child.kind === 'folder' ? this.collectionsIn(child.id) : 1), 0);
    }

    /** The rows the view shows, top to bottom: the open folders' contents below them. */
    visibleRows(): { collection: Collection; depth: number }[] {
        const rows: { collection: Collection; depth: number }[] = [];
        const walk = (parentId: number | undefined, depth: number) => {
            for (const collection of this.childrenOf(parentId)) {
                rows.push({ collection, depth });
                if (collection.kind === 'folder' && this.expanded.has(collection.id)) {
                    walk(collection.id, depth + 1);
                }
            }
        };
        walk(undefined, 0);
        return rows;
    }

    /** The collection's name after the folders holding it: "Folder / Collection". */
    pathOf(id: number): string {
        const names: string[] = [];
        for (let collection = this.get(id); collection; collection = this.get(collection.parentId)) {
            names.unshift(collection.name);
        }
        return names.join(' / ');
    }

    /** Whether `id` is `ancestorId` or lies somewhere inside it. */
    isWithin(id: number | undefined, ancestorId: number): boolean {
        for (let collection = this.get(id); collection; collection = this.get(collection.parentId)) {
            if (collection.id === ancestorId) {
                return true;
            }
        }
        return false;
    }

    /** The manual collections, by their path: where assets can be added. */
    manualCollections(): Collection[] {
        return this.all.filter(collection => collection.kind === 'manual').sort((a, b) => this.pathOf(a.id).localeCompare(this.pathOf(b.id)));
    }

    /** The collection the search results are limited to (by the collection filter), if any. */
    get shownCollectionId(): number | undefined {
        return (this.search.filterOf(COLLECTION_FILTER_KIND) as CollectionFilterClause | undefined)?.collectionId;
    }

    /** The manual collection the results show in its own order: where results can be reordered and removed. */
    get shownManualCollection(): Collection | undefined {
        const shown = this.get(this.shownCollectionId);
        return shown?.kind === 'manual' ? shown : undefined;
    }

    /** Whether the results show a manual collection in its own order (dragging a result reorders it). */
    get showsManualOrder(): boolean {
        return !!this.shownManualCollection && this.search.sort?.by === 'manual' && !this.search.text.trim() && !this.search.references
            && this.search.nearDuplicatesOf === undefined && this.search.filters.length === 1;
    }

    /**
     * Shows a manual collection in the results, in its order (the words,
     * other filters and reference images of the search before go: the
     * results then show the collection whole).
     */
    async show(id: number): Promise<void> {
        this.search.text = '';
        this.search.references = undefined;
        this.search.nearDuplicatesOf = undefined;
        this.search.filters = [{ kind: COLLECTION_FILTER_KIND, collectionId: id } as CollectionFilterClause];
        this.search.sort = { by: 'manual', direction: 'asc' };
        await this.search.search();
    }

    setFocus(id: number | undefined): void {
        this.focusedId = id;
        this.fire();
    }

    toggleExpanded(id: number, expanded = !this.expanded.has(id)): void {
        if (expanded) {
            this.expanded.add(id);
        } else {
            this.expanded.delete(id);
        }
        this.saveExpanded();
        this.fire();
    }

    async create(kind: CollectionKind, name: string, options: Parameters<CollectionService['create']>[2] = {}): Promise<Collection> {
        const collection = await this.service.create(kind, name, options);
        if (collection.parentId !== undefined) {
            this.expanded.add(collection.parentId);
            this.saveExpanded();
        }
        this.focusedId = collection.id;
        await this.refresh();
        return collection;
    }

    async rename(id: number, name: string): Promise<void> {
        await this.service.rename(id, name);
        await this.refresh();
    }

    /** Moves a folder or collection; a folder cannot go into itself or its own contents (answers false then). */
    async move(id: number, place: CollectionPlace): Promise<boolean> {
        if (place.parentId !== undefined && this.isWithin(place.parentId, id) || place.beforeId === id) {
            return false;
        }
        await this.service.move(id, place);
        if (place.parentId !== undefined) {
            this.expanded.add(place.parentId);
            this.saveExpanded();
        }
        await this.refresh();
        return true;
    }

    /**
     * Deletes a folder (with all it holds) or a collection, leaving an undo.
     * When the results show the collection deleted (or one in the folder
     * deleted), they show all images instead of a collection that is gone.
     */
    async delete(id: number): Promise<void> {
        const collection = this.get(id);
        const name = collection?.name ?? String(id);
        const inside = collection?.kind === 'folder' ? this.collectionsIn(id) : 0;
        const wasShown = this.isWithin(this.shownCollectionId, id);
        await this.service.delete(id);
        await this.refresh();
        if (wasShown) {
            await this.search.applyQuery({});
        }
        const message = inside ? plural(inside,
            nls.localize('imageparser/collections/deletedFolder/one', 'Deleted the folder “{0}” and the {1} collection in it.', name, inside),
            nls.localize('imageparser/collections/deletedFolder/other', 'Deleted the folder “{0}” and the {1} collections in it.', name, inside))
            : nls.localize('imageparser/collections/deleted', 'Deleted “{0}”.', name);
        this.undo.push(message, async () => {
            await this.service.restore(id);
            await this.refresh();
        });
    }

    /** Adds assets to a manual collection (at the end, or before `beforeAssetId`); answers how many were new to it. */
    async addAssets(id: number, assetIds: readonly number[], beforeAssetId?: number): Promise<number> {
        const added = await this.service.addAssets(id, assetIds, beforeAssetId);
        await this.afterMembersChanged(id);
        return added;
    }

    /** Removes assets from a manual collection, leaving an undo that puts them back where they were. */
    async removeAssets(id: number, assetIds: readonly number[]): Promise<number> {
        const before = await this.service.members(id);
        const removed = await this.service.removeAssets(id, assetIds);
        await this.afterMembersChanged(id);
        if (removed) {
            const name = this.get(id)?.name ?? String(id);
            this.undo.push(plural(removed,
                nls.localize('imageparser/collections/removed/one', 'Removed {0} image from “{1}”.', removed, name),
                nls.localize('imageparser/collections/removed/other', 'Removed {0} images from “{1}”.', removed, name)), async () => {
                await this.putBack(id, before, new Set(assetIds));
                await this.afterMembersChanged(id);
            });
        }
        return removed;
    }

    /** Adds removed members again, each run of them before the member that followed it. */
    protected async putBack(id: number, members: readonly number[], removed: ReadonlySet<number>): Promise<void> {
        let run: number[] = [];
        for (const assetId of [...members, undefined]) {
            if (assetId !== undefined && removed.has(assetId)) {
                run.push(assetId);
            } else if (run.length) {
                await this.service.addAssets(id, run, assetId);
                run = [];
            }
        }
    }

    /** Moves members before another one (undefined: to the end), keeping their order. */
    async reorder(id: number, assetIds: readonly number[], beforeAssetId?: number): Promise<void> {
        await this.service.reorder(id, assetIds, beforeAssetId);
        await this.afterMembersChanged(id);
    }

    async setCover(id: number, assetId: number | undefined): Promise<void> {
        await this.service.setCover(id, assetId);
        await this.refresh();
    }

    /** Counts and covers change; the results follow when they show this collection. */
    protected async afterMembersChanged(id: number): Promise<void> {
        await this.refresh();
        if (this.shownCollectionId === id) {
            await this.search.refresh();
        }
    }

    protected fire(): void {
        this.onDidChangeEmitter.fire();
    }
}
