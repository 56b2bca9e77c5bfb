import { injectable } from '@theia/core/shared/inversify';
import { TransferErrors } from '../../common/archive-transfer-protocol';

/** What runs: its id (the caller's), its kind and the file it reads or writes. */
export interface TransferOperation {
    readonly operationId: string;
    readonly kind: 'export' | 'import';
    readonly file: string;
}

/**
 * The archive's transfer lock, process-wide: one export or import at a time
 * (another is refused as `busy`, whichever connection or command asks), each
 * with an `AbortSignal` that {@link ArchiveTransferOperations.cancel} fires.
 * An operation whose work ended is forgotten, so its id can be used again.
 */
@injectable()
export class ArchiveTransferOperations {

    protected current: (TransferOperation & { readonly controller: AbortController }) | undefined;

    /** The operation now running, if any. */
    running(): TransferOperation | undefined {
        return this.current && { operationId: this.current.operationId, kind: this.current.kind, file: this.current.file };
    }

    /** Runs `work` as `operation`, or throws `TransferErrors.Refused` (`busy`) while another runs. */
    async run<T>(operation: TransferOperation, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
        if (this.current) {
            throw TransferErrors.Refused({
                reason: 'busy', file: operation.file,
                detail: `an ${this.current.kind} of ${this.current.file} is running`
            });
        }
        const controller = new AbortController();
        const current = { ...operation, controller };
        this.current = current;
        try {
            return await work(controller.signal);
        } finally {
            if (this.current === current) {
                this.current = undefined;
            }
        }
    }

    /** Aborts the operation with this id; true when one was running. */
    cancel(operationId: string): boolean {
        if (!this.current || this.current.operationId !== operationId) {
            return false;
        }
        this.current.controller.abort();
        return true;
    }
}
