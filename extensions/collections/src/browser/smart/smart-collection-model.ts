import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { Emitter, Event } from '@theia/core/lib/common/event';
import { Collection, COLLECTION_FILTER_KIND, CollectionService } from '@imageparser/archive-core/lib/common/collection-protocol';
import { CollectionChangeEvents } from '@imageparser/archive-core/lib/browser/collection-change-events';
import { SearchModel } from '@imageparser/search-view/lib/browser/search-model';
import { sameSmartQuery } from './smart-query-equality';

/**
 * The smart collection whose search the search view shows, if any: opened
 * from the Collections view or just saved. It tells whether the search
 * being edited still is the saved one ({@link edited}), saves the edit into
 * the collection or as a new one, and follows the collection when it is
 * renamed, changed elsewhere or deleted.
 */
@injectable()
export class SmartCollectionModel {

    @inject(CollectionService)
    protected readonly service: CollectionService;

    @inject(CollectionChangeEvents)
    protected readonly changes: CollectionChangeEvents;

    @inject(SearchModel)
    protected readonly search: SearchModel;

    protected readonly onDidChangeEmitter = new Emitter<void>();
    /** Fires when the open smart collection changes (opened, closed, renamed, saved, its count changed). */
    readonly onDidChange: Event<void> = this.onDidChangeEmitter.event;

    protected current: Collection | undefined;

    @postConstruct()
    protected init(): void {
        this.changes.onDidChange(() => this.reload());
        this.search.onDidChange(() => {
            if (this.current && this.showsAnotherCollection()) {
                this.close();
            }
        });
    }

    /**
     * Whether the search now shows a whole collection in its own order (the
     * Collections view opened one): that replaced the smart collection's
     * search rather than edited it, so "Update" must not be offered for it.
     */
    protected showsAnotherCollection(): boolean {
        const { text, filters, sort, references, nearDuplicatesOf } = this.search.query;
        const shown = filters?.length === 1 && filters[0].kind === COLLECTION_FILTER_KIND ? filters[0] : undefined;
        return !!shown && sort?.by === 'manual' && !text && !references && nearDuplicatesOf === undefined
            && !this.current?.query?.filters?.some(filter => filter.kind === COLLECTION_FILTER_KIND && filter.collectionId === shown.collectionId);
    }

    /** The smart collection whose search is shown, if any. */
    get collection(): Collection | undefined {
        return this.current;
    }

    /** Whether the search in the search view differs from the open smart collection's saved search. */
    get edited(): boolean {
        return !!this.current?.query && !sameSmartQuery(this.search.query, this.current.query);
    }

    /** Loads a smart collection's saved search into the search view and runs it. Rejects for an id that is no smart collection. */
    async open(id: number): Promise<Collection> {
        const collection = await this.service.get(id);
        if (!collection || collection.kind !== 'smart' || !collection.query) {
            throw new Error(`No smart collection has the id ${id}.`);
        }
        this.current = collection;
        this.fire();
        await this.search.applyQuery(collection.query);
        return collection;
    }

    /** Saves the search being edited as a new smart collection, which then is the open one. */
    async saveAsNew(name: string): Promise<Collection> {
        const collection = await this.service.create('smart', name, { query: this.search.query });
        this.current = collection;
        this.fire();
        return collection;
    }

    /** Saves the search being edited into the open smart collection; its members are recomputed. */
    async update(): Promise<void> {
        if (!this.current) {
            return;
        }
        const query = this.search.query;
        await this.service.updateQuery(this.current.id, query);
        this.current = { ...this.current, query };
        this.fire();
        await this.reload();
    }

    /** Stops following the smart collection: the search stays as it is. */
    close(): void {
        this.current = undefined;
        this.fire();
    }

    protected async reload(): Promise<void> {
        const id = this.current?.id;
        if (id === undefined) {
            return;
        }
        const collection = await this.service.get(id).catch(() => this.current);
        if (this.current?.id === id) {
            this.current = collection?.kind === 'smart' ? collection : undefined;
            this.fire();
        }
    }

    protected fire(): void {
        this.onDidChangeEmitter.fire();
    }
}
