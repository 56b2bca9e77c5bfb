import { injectable } from '@theia/core/shared/inversify';
import { Emitter, Event } from '@theia/core/lib/common/event';
import { ArchiveTransferClient, TransferProgress } from '../common/archive-transfer-protocol';

/**
 * The frontend's end of the archive transfer progress notices: the backend
 * sends the progress of the exports and imports this frontend started, at
 * most a few times a second.
 */
@injectable()
export class TransferProgressEvents implements ArchiveTransferClient {

    protected readonly onDidProgressEmitter = new Emitter<TransferProgress>();
    /** Fires as an export or import this frontend started advances. */
    readonly onDidProgress: Event<TransferProgress> = this.onDidProgressEmitter.event;

    onTransferProgress(progress: TransferProgress): void {
        this.onDidProgressEmitter.fire(progress);
    }
}
