import { inject, injectable } from '@theia/core/shared/inversify';
import { MessageService } from '@theia/core/lib/common/message-service';
import { nls } from '@theia/core/lib/common/nls';
import { ArchiveTransferService } from '@imageparser/archive-core/lib/common/archive-transfer-protocol';
import { TransferProgressEvents } from '@imageparser/archive-core/lib/browser/transfer-progress-events';
import { describeProgress } from './archive-transfer-messages';

/**
 * Runs one export or import with a progress notification that follows the
 * backend's progress notices (step, count) and whose Cancel cancels the
 * operation on the backend.
 */
@injectable()
export class ArchiveTransferRunner {

    @inject(ArchiveTransferService)
    protected readonly service: ArchiveTransferService;

    @inject(TransferProgressEvents)
    protected readonly events: TransferProgressEvents;

    @inject(MessageService)
    protected readonly messages: MessageService;

    protected counter = 0;

    /** Shows `title` with progress while `start` runs the operation it is given the id of; Cancel only for one that can be cancelled. */
    async run<T>(title: string, start: (operationId: string) => Promise<T>, cancelable = true): Promise<T> {
        const operationId = `transfer-${Date.now().toString(36)}-${++this.counter}`;
        let cancelRequested = false;
        const progress = await this.messages.showProgress({ text: title, options: { cancelable } }, () => {
            cancelRequested = true;
            this.service.cancel(operationId).catch(() => undefined);
        });
        const subscription = this.events.onDidProgress(update => {
            if (update.operationId === operationId) {
                progress.report({
                    message: describeProgress(update.step, update.done, update.total),
                    work: { done: update.done, total: Math.max(update.total, 1) }
                });
            }
        });
        try {
            const result = await start(operationId);
            if (cancelRequested) {
                // An import's merge is one write no cancel reaches: say that Cancel did not undo it.
                this.messages.warn(nls.localize('imageparser/collections/transfer/cancelTooLate',
                    '{0}: Cancel came too late, it had already been written. Nothing was undone.', title));
            }
            return result;
        } finally {
            subscription.dispose();
            progress.cancel();
        }
    }
}
