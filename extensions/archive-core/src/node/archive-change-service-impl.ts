import { inject, injectable } from '@theia/core/shared/inversify';
import { Disposable } from '@theia/core/lib/common/disposable';
import { ArchiveChangeClient, ArchiveChangeService } from '../common/archive-change-protocol';
import { ArchiveChangeWatcher } from './store/archive-change-watcher';

/** One frontend connection's change notices: forwards the watcher's events to its client. */
@injectable()
export class ArchiveChangeServiceImpl implements ArchiveChangeService, Disposable {

    @inject(ArchiveChangeWatcher)
    protected readonly watcher: ArchiveChangeWatcher;

    protected client: ArchiveChangeClient | undefined;
    protected subscription: Disposable | undefined;

    setClient(client: ArchiveChangeClient | undefined): void {
        this.subscription?.dispose();
        this.client = client;
        this.subscription = client && this.watcher.onDidChange(() => this.client?.onArchiveChanged());
    }

    dispose(): void {
        this.setClient(undefined);
    }
}
