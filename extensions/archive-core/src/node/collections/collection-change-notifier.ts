import { injectable } from '@theia/core/shared/inversify';
import { Emitter, Event } from '@theia/core/lib/common/event';

/** How long changes gather before one notice goes out. */
export const COLLECTION_CHANGE_COALESCE_MS = 50;

export const CollectionChangeNotifier = Symbol('CollectionChangeNotifier');

/**
 * The process-wide notice that collections or presets changed, whoever
 * changed them (any connection, the smart collection updater, an import):
 * many changes in a short while make one event.
 */
export interface CollectionChangeNotifier {
    /** Fires once per burst of {@link changed} calls, {@link COLLECTION_CHANGE_COALESCE_MS} after the first. */
    readonly onDidChange: Event<void>;
    changed(): void;
}

@injectable()
export class CoalescingCollectionChangeNotifier implements CollectionChangeNotifier {

    protected readonly onDidChangeEmitter = new Emitter<void>();
    readonly onDidChange: Event<void> = this.onDidChangeEmitter.event;

    protected pending: NodeJS.Timeout | undefined;

    changed(): void {
        if (!this.pending) {
            this.pending = setTimeout(() => {
                this.pending = undefined;
                this.onDidChangeEmitter.fire();
            }, COLLECTION_CHANGE_COALESCE_MS);
        }
    }
}
