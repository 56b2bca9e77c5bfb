import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { Emitter, Event } from '@theia/core/lib/common/event';
import { COLLECTION_FILTER_KIND, CollectionFilterClause, CollectionService, FilterPreset } from '@imageparser/archive-core/lib/common/collection-protocol';
import type { FilterClause } from '@imageparser/archive-core/lib/common/search-protocol';
import { CollectionChangeEvents } from '@imageparser/archive-core/lib/browser/collection-change-events';
import { SearchModel } from '@imageparser/search-view/lib/browser/search-model';
import { sameFilters } from '../smart/smart-query-equality';

/**
 * The archive's filter presets as the search side bar lists them (by name),
 * read again whenever collections or presets change, and the actions on
 * them: save the current filters, apply one (its filters replace the
 * current ones within the collection shown, and the search runs), rename,
 * update, delete.
 */
@injectable()
export class FilterPresetModel {

    @inject(CollectionService)
    protected readonly service: CollectionService;

    @inject(CollectionChangeEvents)
    protected readonly changes: CollectionChangeEvents;

    @inject(SearchModel)
    protected readonly search: SearchModel;

    protected readonly onDidChangeEmitter = new Emitter<void>();
    /** Fires when the list of presets was read again. */
    readonly onDidChange: Event<void> = this.onDidChangeEmitter.event;

    protected list: FilterPreset[] = [];
    protected loaded = false;

    @postConstruct()
    protected init(): void {
        this.changes.onDidChange(() => this.refresh());
        this.refresh();
    }

    /** The presets by name (in the display language's order). */
    get presets(): readonly FilterPreset[] {
        return this.list;
    }

    /** Whether the search's current filters are the preset's (within the collection shown, when the preset names none). */
    isApplied(preset: FilterPreset): boolean {
        const filters = this.search.filters;
        return filters.length > 0 && (sameFilters(filters, preset.filters) || sameFilters(this.withinScope(preset, undefined), filters));
    }

    async refresh(): Promise<void> {
        try {
            const presets = await this.service.presets();
            this.list = presets.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
        } catch {
            // No archive yet: no presets to list; the next change notice reads them.
            this.list = [];
        }
        this.loaded = true;
        this.onDidChangeEmitter.fire();
    }

    async save(name: string): Promise<FilterPreset> {
        const preset = await this.service.savePreset(name, this.search.filters);
        await this.refresh();
        return preset;
    }

    /**
     * Applies the preset: its filters replace the current ones. A collection
     * shown in the results stays shown (the preset narrows it, as a filter
     * panel narrows what a folder or collection shows) unless the preset
     * names a collection of its own.
     */
    apply(preset: FilterPreset): Promise<void> {
        return this.search.setFilters(this.withinScope(preset, undefined));
    }

    /**
     * Applies the preset to a collection's members (a smart collection's, whose
     * saved search stays as it is): the collection filter and the preset's
     * filters, in the sort the results have now.
     */
    applyWithin(preset: FilterPreset, collectionId: number): Promise<void> {
        return this.search.applyQuery({ filters: this.withinScope(preset, collectionId), sort: this.search.sort });
    }

    /** The preset's filters, after the collection filter on `collectionId` (else the one set now) unless the preset has its own. */
    protected withinScope(preset: FilterPreset, collectionId: number | undefined): FilterClause[] {
        const within: CollectionFilterClause | undefined = collectionId !== undefined ? { kind: COLLECTION_FILTER_KIND, collectionId } : undefined;
        const scope = within ?? this.search.filterOf(COLLECTION_FILTER_KIND);
        return scope && !preset.filters.some(filter => filter.kind === COLLECTION_FILTER_KIND) ? [scope, ...preset.filters] : [...preset.filters];
    }

    async rename(preset: FilterPreset, name: string): Promise<void> {
        await this.service.renamePreset(preset.id, name);
        await this.refresh();
    }

    /** Replaces the preset's filters with the search's current ones. */
    async update(preset: FilterPreset): Promise<void> {
        await this.service.updatePreset(preset.id, this.search.filters);
        await this.refresh();
    }

    async delete(preset: FilterPreset): Promise<void> {
        await this.service.deletePreset(preset.id);
        await this.refresh();
    }
}
