import { inject, injectable } from '@theia/core/shared/inversify';
import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { ArchiveChangeEvents } from '@imageparser/archive-core/lib/browser/archive-change-events';
import { SearchModel } from './search-model';

/** While the archive keeps changing (an ingest), the shown results refresh at most this often. */
const REFRESH_EVERY_MS = 3000;

/**
 * Keeps the results shown current when the archive changes, also by another
 * process (the `imageparser` command indexing into the same archive): the
 * shown query runs again in place, at once, then at most every few seconds
 * while changes go on.
 */
@injectable()
export class SearchChangeFollower implements FrontendApplicationContribution {

    @inject(SearchModel)
    protected readonly model: SearchModel;

    @inject(ArchiveChangeEvents)
    protected readonly changes: ArchiveChangeEvents;

    protected timer: number | undefined;
    protected lastRefresh = 0;

    onStart(): void {
        this.changes.onDidChange(() => this.schedule());
    }

    protected schedule(): void {
        if (this.timer !== undefined || !this.model.result) {
            return;
        }
        const wait = Math.max(0, this.lastRefresh + REFRESH_EVERY_MS - Date.now());
        this.timer = window.setTimeout(() => {
            this.timer = undefined;
            this.lastRefresh = Date.now();
            this.model.refresh();
        }, wait);
    }
}
