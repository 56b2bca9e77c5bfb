import { injectable } from '@theia/core/shared/inversify';
import { Emitter, Event } from '@theia/core/lib/common/event';
import { ArchiveChangeClient } from '../common/archive-change-protocol';

/**
 * The frontend's end of the archive change notices: one event for every
 * view that shows counts or results (the status bar, the welcome page, an
 * open search, the failed-files list). The backend sends at most about one
 * notice a second, whoever changed the archive.
 */
@injectable()
export class ArchiveChangeEvents implements ArchiveChangeClient {

    protected readonly onDidChangeEmitter = new Emitter<void>();
    /** Fires when the archive changed; listeners refresh what they show. */
    readonly onDidChange: Event<void> = this.onDidChangeEmitter.event;

    onArchiveChanged(): void {
        this.onDidChangeEmitter.fire();
    }
}
