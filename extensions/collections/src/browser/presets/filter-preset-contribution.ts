import { inject, injectable, named } from '@theia/core/shared/inversify';
import { CommandContribution, CommandRegistry } from '@theia/core/lib/common/command';
import { ContributionProvider } from '@theia/core/lib/common/contribution-provider';
import { MessageService } from '@theia/core/lib/common/message-service';
import { nls } from '@theia/core/lib/common/nls';
import { QuickInputService } from '@theia/core/lib/common/quick-pick-service';
import { ConfirmDialog } from '@theia/core/lib/browser/dialogs';
import type { FilterPreset } from '@imageparser/archive-core/lib/common/collection-protocol';
import type { FilterClause } from '@imageparser/archive-core/lib/common/search-protocol';
import { describeArchiveError } from '@imageparser/archive-core/lib/browser/archive-error-messages';
import { SearchFilterContribution } from '@imageparser/search-view/lib/browser/search-filter-contribution';
import { SearchModel } from '@imageparser/search-view/lib/browser/search-model';
import { CollectionNameDialog } from '../collection-name-dialog';
import { FilterPresetCommands } from './filter-preset-commands';
import { FilterPresetModel } from './filter-preset-model';
import { SmartCollectionModel } from '../smart/smart-collection-model';

/**
 * The filter preset commands. Those on one preset take its id (the preset
 * list in the search side bar passes it); from the palette they ask which
 * preset with a quick pick that describes each preset's filters.
 */
@injectable()
export class FilterPresetContribution implements CommandContribution {

    @inject(FilterPresetModel)
    protected readonly model: FilterPresetModel;

    @inject(SearchModel)
    protected readonly search: SearchModel;

    @inject(ContributionProvider) @named(SearchFilterContribution)
    protected readonly filters: ContributionProvider<SearchFilterContribution>;

    @inject(QuickInputService)
    protected readonly quickInput: QuickInputService;

    @inject(CollectionNameDialog)
    protected readonly names: CollectionNameDialog;

    @inject(SmartCollectionModel)
    protected readonly smart: SmartCollectionModel;

    @inject(MessageService)
    protected readonly messages: MessageService;

    registerCommands(registry: CommandRegistry): void {
        registry.registerCommand(FilterPresetCommands.SAVE, {
            execute: () => this.save(),
            isEnabled: () => this.search.filters.length > 0
        });
        registry.registerCommand(FilterPresetCommands.APPLY, { execute: (id?: unknown) => this.withPreset(id, preset => this.apply(preset)) });
        registry.registerCommand(FilterPresetCommands.RENAME, { execute: (id?: unknown) => this.withPreset(id, preset => this.rename(preset)) });
        registry.registerCommand(FilterPresetCommands.UPDATE, {
            execute: (id?: unknown) => this.withPreset(id, preset => this.update(preset)),
            isEnabled: () => this.search.filters.length > 0
        });
        registry.registerCommand(FilterPresetCommands.DELETE, { execute: (id?: unknown) => this.withPreset(id, preset => this.delete(preset)) });
    }

    /** The filters of a preset in words, as the active-filter chips say them. */
    describe(filters: readonly FilterClause[]): string {
        const contributions = new Map(this.filters.getContributions().map(filter => [filter.id, filter]));
        return filters.map(clause => contributions.get(clause.kind)?.describe(clause) ?? clause.kind).join(' · ');
    }

    protected async save(): Promise<void> {
        if (!this.search.filters.length) {
            this.messages.info(nls.localize('imageparser/collections/presets/noFilters', 'Set a filter first: a preset saves the filters set in the search view.'));
            return;
        }
        const name = await this.names.ask(nls.localize('imageparser/collections/presets/nameTitle', 'New Filter Preset'), '',
            nls.localize('imageparser/collections/presets/nameDetail', 'Filters: {0}', this.describe(this.search.filters)));
        if (name) {
            await this.report(this.model.save(name), nls.localize('imageparser/collections/presets/saved', 'Saved the filter preset “{0}”.', name));
        }
    }

    /**
     * Applies a preset. While a smart collection is shown as saved, the
     * preset narrows its members and leaves its saved search alone, as the
     * filter panel of Bridge or Eagle narrows a smart collection's contents
     * (its rules change only by editing them): the results then show the
     * collection filtered, and a notice says so. While its search is being
     * edited, the preset's filters become part of the edit, which the banner
     * shows as changed (Update, Save as New…); a notice says that too unless
     * the preset brought the saved filters back.
     */
    protected async apply(preset: FilterPreset): Promise<void> {
        const smart = this.smart.collection;
        if (!smart) {
            await this.model.apply(preset);
        } else if (!this.smart.edited) {
            this.smart.close();
            await this.model.applyWithin(preset, smart.id);
            this.messages.info(nls.localize('imageparser/collections/presets/narrowedSmart',
                'The filter preset “{0}” narrows the smart collection “{1}”; its saved search stays as it is.', preset.name, smart.name), { timeout: 8000 });
        } else {
            await this.model.apply(preset);
        }
        if (smart && this.smart.collection?.id === smart.id && this.smart.edited) {
            this.messages.info(nls.localize('imageparser/collections/presets/editedSmart',
                'The filter preset “{0}” is now part of the edited search of the smart collection “{1}”: Update saves it there, Save as New… makes another.',
                preset.name, smart.name), { timeout: 8000 });
        }
    }

    protected async rename(preset: FilterPreset): Promise<void> {
        const name = await this.names.ask(nls.localize('imageparser/collections/presets/renameTitle', 'Rename “{0}”', preset.name), preset.name);
        if (name && name !== preset.name) {
            await this.report(this.model.rename(preset, name));
        }
    }

    protected async update(preset: FilterPreset): Promise<void> {
        const confirmed = await new ConfirmDialog({
            title: nls.localize('imageparser/collections/presets/updateTitle', 'Update Filter Preset'),
            msg: nls.localize('imageparser/collections/presets/updateMessage', 'Replace the filters of “{0}” ({1}) with the current filters ({2})?',
                preset.name, this.describe(preset.filters), this.describe(this.search.filters)),
            ok: nls.localize('imageparser/collections/presets/updateOk', 'Update'),
            cancel: nls.localize('imageparser/collections/presets/cancel', 'Cancel')
        }).open();
        if (confirmed) {
            await this.report(this.model.update(preset), nls.localize('imageparser/collections/presets/updated', 'Updated the filter preset “{0}”.', preset.name));
        }
    }

    protected async delete(preset: FilterPreset): Promise<void> {
        const confirmed = await new ConfirmDialog({
            title: nls.localize('imageparser/collections/presets/deleteTitle', 'Delete Filter Preset'),
            msg: nls.localize('imageparser/collections/presets/deleteMessage', 'Delete the filter preset “{0}”? The filters set now stay as they are.', preset.name),
            ok: nls.localize('imageparser/collections/presets/deleteOk', 'Delete'),
            cancel: nls.localize('imageparser/collections/presets/cancel', 'Cancel')
        }).open();
        if (confirmed) {
            await this.report(this.model.delete(preset));
        }
    }

    /** Runs `action` on the preset `id`, or on one the user picks when no id is given. */
    protected async withPreset(id: unknown, action: (preset: FilterPreset) => Promise<void>): Promise<void> {
        await this.model.refresh();
        const presets = this.model.presets;
        let preset = typeof id === 'number' ? presets.find(candidate => candidate.id === id) : undefined;
        if (preset === undefined && typeof id !== 'number') {
            if (!presets.length) {
                this.messages.info(nls.localize('imageparser/collections/presets/none', 'There is no filter preset yet: set filters, then use “Save Filters as Preset…”.'));
                return;
            }
            const picked = await this.quickInput.pick(presets.map(candidate => ({ label: candidate.name, description: this.describe(candidate.filters), id: String(candidate.id) })),
                { placeHolder: nls.localize('imageparser/collections/presets/pick', 'Filter preset') });
            preset = picked && presets.find(candidate => String(candidate.id) === picked.id);
        }
        if (preset) {
            await this.report(action(preset));
        }
    }

    protected async report(action: Promise<unknown>, done?: string): Promise<void> {
        try {
            await action;
            if (done) {
                this.messages.info(done);
            }
        } catch (error) {
            this.messages.error(describeArchiveError(error));
        }
    }
}
