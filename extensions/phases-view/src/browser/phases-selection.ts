import { inject, injectable } from '@theia/core/shared/inversify';
import { Event } from '@theia/core/lib/common/event';
import { SearchModel } from '@imageparser/search-view/lib/browser/search-model';

export const PhasesSelection = Symbol('PhasesSelection');

/** The assets a phase re-runs on: what the user selected. */
export interface PhasesSelection {
    /** The selected assets' ids; empty when nothing is selected. */
    readonly assetIds: readonly number[];
    /** Fires when the selection may have changed. */
    readonly onDidChange: Event<void>;
}

/** The selected results of Image Search (the focused result when none is selected). */
@injectable()
export class SearchResultsSelection implements PhasesSelection {

    @inject(SearchModel)
    protected readonly search: SearchModel;

    get assetIds(): readonly number[] {
        return this.search.selectedIds;
    }

    get onDidChange(): Event<void> {
        return this.search.onDidChange;
    }
}
