import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { Emitter, Event } from '@theia/core/lib/common/event';
import { CollectionService, FilterPreset } from '@imageparser/archive-core/lib/common/collection-protocol';
import { CollectionChangeEvents } from '@imageparser/archive-core/lib/browser/collection-change-events';
import { SearchModel } from '@imageparser/search-view/lib/browser/search-model';
import { sameFilters } from '../smart/smart-query-equality';

/**
 * The archive's filter presets as the search side bar lists them (by name),
 * read again whenever collections or presets change, and the actions on
 * them: save the current filters, apply one (its filters replace the
 * current ones and the search runs), rename, update, delete.
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

    /** Whether the search's current filters are the preset's. */
    isApplied(preset: FilterPreset): boolean {
        return this.search.filters.length > 0 && sameFilters(this.search.filters, preset.filters);
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

    apply(preset: FilterPreset): Promise<void> {
        return this.search.setFilters(preset.filters);
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
