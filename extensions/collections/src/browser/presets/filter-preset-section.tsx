import * as React from '@theia/core/shared/react';
import { inject, injectable } from '@theia/core/shared/inversify';
import { CommandService } from '@theia/core/lib/common/command';
import { Event } from '@theia/core/lib/common/event';
import { nls } from '@theia/core/lib/common/nls';
import { codicon } from '@theia/core/lib/browser/widgets/widget';
import type { FilterPreset } from '@imageparser/archive-core/lib/common/collection-protocol';
import { SearchWidgetSection } from '@imageparser/search-view/lib/browser/search-widget-section';
import { SearchModel } from '@imageparser/search-view/lib/browser/search-model';
import { FilterPresetCommands } from './filter-preset-commands';
import { FilterPresetContribution } from './filter-preset-contribution';
import { FilterPresetModel } from './filter-preset-model';

/**
 * The filter presets at the top of the search side bar's filter panel: one
 * button per preset (a click applies it; the applied one shows pressed),
 * each with update, rename and delete, and "Save Filters as Preset…" while
 * filters are set.
 */
@injectable()
export class FilterPresetSection implements SearchWidgetSection {

    readonly id = 'filter-presets';
    readonly place = 'filters';

    @inject(FilterPresetModel)
    protected readonly model: FilterPresetModel;

    @inject(FilterPresetContribution)
    protected readonly contribution: FilterPresetContribution;

    @inject(SearchModel)
    protected readonly search: SearchModel;

    @inject(CommandService)
    protected readonly commands: CommandService;

    get onDidChange(): Event<void> {
        return this.model.onDidChange;
    }

    render(): React.ReactNode {
        const presets = this.model.presets;
        return <fieldset className='imageparser-search-filter imageparser-presets'>
            <legend>{nls.localize('imageparser/collections/presets/title', 'Filter Presets')}</legend>
            {presets.length > 0 && <ul className='imageparser-presets-list' aria-label={nls.localize('imageparser/collections/presets/title', 'Filter Presets')}>
                {presets.map(preset => this.renderPreset(preset))}
            </ul>}
            <button type='button' className='theia-button secondary imageparser-presets-save' disabled={!this.search.filters.length}
                title={this.search.filters.length ? undefined : nls.localize('imageparser/collections/presets/saveDisabled', 'Set a filter below to save it as a preset.')}
                onClick={() => this.commands.executeCommand(FilterPresetCommands.SAVE.id)}>
                <span className={codicon('save')} /> {nls.localize('imageparser/collections/presets/saveButton', 'Save as Preset…')}
            </button>
        </fieldset>;
    }

    protected renderPreset(preset: FilterPreset): React.ReactNode {
        const applied = this.model.isApplied(preset);
        const description = this.contribution.describe(preset.filters);
        return <li key={preset.id} className='imageparser-preset' data-preset={preset.name}>
            <button type='button' className={`theia-button ${applied ? '' : 'secondary'} imageparser-preset-apply`} aria-pressed={applied}
                title={nls.localize('imageparser/collections/presets/applyTitle', 'Apply: {0}', description)}
                onClick={() => this.commands.executeCommand(FilterPresetCommands.APPLY.id, preset.id)}>
                {preset.name}
            </button>
            {this.renderAction(preset, 'save', FilterPresetCommands.UPDATE.id, nls.localize('imageparser/collections/presets/updateAction', 'Update “{0}” with the current filters', preset.name),
                !this.search.filters.length || applied)}
            {this.renderAction(preset, 'edit', FilterPresetCommands.RENAME.id, nls.localize('imageparser/collections/presets/renameAction', 'Rename “{0}”', preset.name))}
            {this.renderAction(preset, 'trash', FilterPresetCommands.DELETE.id, nls.localize('imageparser/collections/presets/deleteAction', 'Delete “{0}”', preset.name))}
        </li>;
    }

    protected renderAction(preset: FilterPreset, icon: string, command: string, label: string, disabled = false): React.ReactNode {
        return <button type='button' className={`imageparser-preset-action ${codicon(icon)}`} data-action={icon} title={label} aria-label={label} disabled={disabled}
            onClick={() => this.commands.executeCommand(command, preset.id)} />;
    }
}
