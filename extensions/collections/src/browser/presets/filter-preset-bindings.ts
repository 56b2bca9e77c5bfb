import { interfaces } from '@theia/core/shared/inversify';
import { CommandContribution } from '@theia/core/lib/common/command';
import { SearchWidgetSection } from '@imageparser/search-view/lib/browser/search-widget-section';
import { FilterPresetContribution } from './filter-preset-contribution';
import { FilterPresetModel } from './filter-preset-model';
import { FilterPresetSection } from './filter-preset-section';

/** Filter presets in the frontend: their list, their commands and their part of the search side bar's filter panel. */
export function bindFilterPresets(bind: interfaces.Bind): void {
    bind(FilterPresetModel).toSelf().inSingletonScope();
    bind(FilterPresetContribution).toSelf().inSingletonScope();
    bind(CommandContribution).toService(FilterPresetContribution);
    bind(FilterPresetSection).toSelf().inSingletonScope();
    bind(SearchWidgetSection).toService(FilterPresetSection);
}
