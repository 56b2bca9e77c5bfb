import { inject, injectable } from '@theia/core/shared/inversify';
import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { ApplicationShell } from '@theia/core/lib/browser/shell/application-shell';
import { StatusBar } from '@theia/core/lib/browser/status-bar/status-bar-types';
import { SearchModel } from './search-model';
import { SearchResultsWidget } from './search-results-widget';
import { SearchViewContribution } from './search-view-contribution';
import { SearchWidget } from './search-widget';

/**
 * The views Theia's IDE packages put into a fresh window's layout (the file
 * Explorer, Outline, Problems), by id, and the Problems count in the status
 * bar. An artist browsing images does not need them; they stay in the View
 * menu and the command palette.
 */
export const IDE_LAYOUT_VIEWS: readonly string[] = ['explorer-view-container', 'outline-view', 'problems'];
export const IDE_STATUS_BAR_ELEMENTS: readonly string[] = ['problem-marker-status'];

/**
 * A fresh window opens as an image browser: Image Search in the left side
 * bar and the results editor in the main area, browsing the whole archive
 * (newest first while there is no query). The IDE views other packages lay
 * out for a fresh window are put aside once every package has made its
 * default layout. A restored layout is left as the user arranged it; only
 * an empty results editor starts browsing. The Problems count leaves the
 * status bar at every start.
 */
@injectable()
export class ImageBrowserLayoutContribution implements FrontendApplicationContribution {

    @inject(SearchViewContribution)
    protected readonly searchView: SearchViewContribution;

    @inject(SearchModel)
    protected readonly model: SearchModel;

    @inject(ApplicationShell)
    protected readonly shell: ApplicationShell;

    @inject(StatusBar)
    protected readonly statusBar: StatusBar;

    /** Whether this window made its layout from the defaults (no layout was stored). */
    protected freshLayout = false;

    async initializeLayout(): Promise<void> {
        this.freshLayout = true;
        await this.searchView.openView({ reveal: true });
        await this.searchView.openResults(false);
    }

    async onDidInitializeLayout(): Promise<void> {
        if (this.freshLayout) {
            await this.putIdeViewsAside();
            await this.shell.revealWidget(SearchWidget.ID);
        }
        for (const id of IDE_STATUS_BAR_ELEMENTS) {
            await this.statusBar.removeElement(id);
        }
        if (this.shell.getWidgetById(SearchResultsWidget.ID) && !this.model.result && !this.model.searching) {
            // Not awaited: the window shows while the first page arrives.
            this.model.search();
        }
    }

    protected async putIdeViewsAside(): Promise<void> {
        for (const id of IDE_LAYOUT_VIEWS) {
            if (this.shell.getWidgetById(id)) {
                await this.shell.closeWidget(id);
            }
        }
    }
}
