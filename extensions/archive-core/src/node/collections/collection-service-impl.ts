import { inject, injectable } from '@theia/core/shared/inversify';
import { Disposable } from '@theia/core/lib/common/disposable';
import type {
    Collection, CollectionClient, CollectionKind, CollectionPlace, CollectionService, CollectionsImportReport, FilterPreset, SmartQuery
} from '../../common/collection-protocol';
import type { CollectionsJson } from '../../common/collections-json';
import type { FilterClause } from '../../common/search-protocol';
import { CollectionRepository } from '../store/collection-repository';
import { FilterPresetRepository } from '../store/filter-preset-repository';
import { CollectionChangeNotifier } from './collection-change-notifier';
import { CollectionInput } from './collection-input';
import { CollectionsJsonTransfer } from './collections-json-transfer';
import { SmartCollectionUpdater } from './smart-collection-updater';

/**
 * The collections RPC service of one frontend connection: checks what
 * arrives, then calls the process-wide repositories, the smart collection
 * updater and the JSON transfer; tells its client whenever collections or
 * presets change, whoever changed them (coalesced by the notifier).
 */
@injectable()
export class CollectionServiceImpl implements CollectionService, Disposable {

    @inject(CollectionRepository) protected readonly collections: CollectionRepository;
    @inject(FilterPresetRepository) protected readonly presetStore: FilterPresetRepository;
    @inject(SmartCollectionUpdater) protected readonly smart: SmartCollectionUpdater;
    @inject(CollectionsJsonTransfer) protected readonly json: CollectionsJsonTransfer;
    @inject(CollectionChangeNotifier) protected readonly notifier: CollectionChangeNotifier;

    protected client: CollectionClient | undefined;
    protected subscription: Disposable | undefined;

    setClient(client: CollectionClient | undefined): void {
        this.subscription?.dispose();
        this.client = client;
        this.subscription = client && this.notifier.onDidChange(() => this.client?.onCollectionsChanged());
    }

    dispose(): void {
        this.setClient(undefined);
    }

    list(): Promise<Collection[]> {
        return this.collections.list();
    }

    get(id: number): Promise<Collection | undefined> {
        return this.collections.get(CollectionInput.id(id));
    }

    async create(kind: CollectionKind, name: string, given?: { readonly place?: CollectionPlace; readonly assetIds?: readonly number[]; readonly query?: SmartQuery }): Promise<Collection> {
        const options = given ?? {};
        const checkedKind = CollectionInput.kind(kind);
        const checkedName = CollectionInput.name(name);
        const place = this.place(options.place);
        let query: SmartQuery | undefined;
        if (checkedKind === 'smart') {
            query = CollectionInput.smartQuery(options.query);
            await this.smart.evaluate(query);
        }
        const assetIds = checkedKind === 'manual' && options.assetIds !== undefined ? CollectionInput.assetIds(options.assetIds) : undefined;
        const id = await this.collections.create({ kind: checkedKind, name: checkedName, place, assetIds, query: query && JSON.stringify(query) });
        if (checkedKind === 'smart') {
            await this.smart.refresh(id);
        }
        this.notifier.changed();
        return (await this.collections.get(id))!;
    }

    async rename(id: number, name: string): Promise<void> {
        await this.collections.rename(CollectionInput.id(id), CollectionInput.name(name));
        this.notifier.changed();
    }

    async move(id: number, place: CollectionPlace): Promise<void> {
        await this.collections.move(CollectionInput.id(id), this.place(place) ?? {});
        this.notifier.changed();
    }

    async updateQuery(id: number, query: SmartQuery): Promise<void> {
        const checkedId = CollectionInput.id(id);
        const checked = CollectionInput.smartQuery(query);
        if (CollectionInput.filteredCollections(checked).includes(checkedId)) {
            throw new Error("A smart collection's search cannot be limited to that smart collection itself.");
        }
        await this.smart.evaluate(checked);
        await this.collections.setQuery(checkedId, JSON.stringify(checked));
        await this.smart.refresh(checkedId);
        this.notifier.changed();
    }

    async setCover(id: number, assetId: number | undefined): Promise<void> {
        await this.collections.setCover(CollectionInput.id(id), CollectionInput.optionalId(assetId, 'asset'));
        this.notifier.changed();
    }

    async delete(id: number): Promise<void> {
        await this.collections.delete(CollectionInput.id(id));
        this.notifier.changed();
    }

    async restore(id: number): Promise<void> {
        await this.collections.restore(CollectionInput.id(id));
        this.notifier.changed();
    }

    members(id: number): Promise<number[]> {
        return this.collections.members(CollectionInput.id(id));
    }

    async addAssets(id: number, assetIds: readonly number[], beforeAssetId?: number): Promise<number> {
        const added = await this.collections.addAssets(CollectionInput.id(id), CollectionInput.assetIds(assetIds), CollectionInput.optionalId(beforeAssetId, 'asset'));
        if (added) {
            this.notifier.changed();
        }
        return added;
    }

    async removeAssets(id: number, assetIds: readonly number[]): Promise<number> {
        const removed = await this.collections.removeAssets(CollectionInput.id(id), CollectionInput.assetIds(assetIds));
        if (removed) {
            this.notifier.changed();
        }
        return removed;
    }

    async reorder(id: number, assetIds: readonly number[], beforeAssetId?: number): Promise<void> {
        await this.collections.reorder(CollectionInput.id(id), CollectionInput.assetIds(assetIds), CollectionInput.optionalId(beforeAssetId, 'asset'));
        this.notifier.changed();
    }

    collectionsOf(assetId: number): Promise<number[]> {
        return this.collections.collectionsOf(CollectionInput.id(assetId, 'asset'));
    }

    presets(): Promise<FilterPreset[]> {
        return this.presetStore.list();
    }

    async savePreset(name: string, filters: readonly FilterClause[]): Promise<FilterPreset> {
        const preset = await this.presetStore.add(CollectionInput.name(name), CollectionInput.filters(filters));
        this.notifier.changed();
        return preset;
    }

    async renamePreset(id: number, name: string): Promise<void> {
        await this.presetStore.rename(CollectionInput.id(id, 'filter preset'), CollectionInput.name(name));
        this.notifier.changed();
    }

    async updatePreset(id: number, filters: readonly FilterClause[]): Promise<void> {
        await this.presetStore.setFilters(CollectionInput.id(id, 'filter preset'), CollectionInput.filters(filters));
        this.notifier.changed();
    }

    async deletePreset(id: number): Promise<void> {
        await this.presetStore.remove(CollectionInput.id(id, 'filter preset'));
        this.notifier.changed();
    }

    exportJson(ids?: readonly number[], options?: { readonly includePresets?: boolean }): Promise<CollectionsJson> {
        if (ids !== undefined && ids !== null && !Array.isArray(ids)) {
            throw new Error('Collection ids must be a list.');
        }
        const checked = ids === undefined || ids === null ? undefined : ids.map(id => CollectionInput.id(id));
        return this.json.exportJson(checked, options?.includePresets ?? checked === undefined);
    }

    async importJson(json: unknown): Promise<CollectionsImportReport> {
        const report = await this.json.importJson(json);
        this.notifier.changed();
        return report;
    }

    protected place(place: CollectionPlace | undefined): CollectionPlace | undefined {
        if (place === undefined || place === null) {
            return undefined;
        }
        if (typeof place !== 'object') {
            throw new Error('A place is a folder and a collection to go before.');
        }
        return { parentId: CollectionInput.optionalId(place.parentId), beforeId: CollectionInput.optionalId(place.beforeId) };
    }
}
