import { injectable } from '@theia/core/shared/inversify';
import { Emitter, Event } from '@theia/core/lib/common/event';
import { CollectionClient } from '@imageparser/archive-core/lib/common/collection-protocol';

/**
 * The frontend's end of the collection notices: one event for every view
 * that shows collections or presets (the Collections view, the collection
 * filter, the smart-collection and preset UI). The backend sends a notice,
 * coalesced, whenever collections, their members or presets changed.
 */
@injectable()
export class CollectionEvents implements CollectionClient {

    protected readonly onDidChangeEmitter = new Emitter<void>();
    /** Fires when collections or presets changed; listeners read them again. */
    readonly onDidChange: Event<void> = this.onDidChangeEmitter.event;

    onCollectionsChanged(): void {
        this.onDidChangeEmitter.fire();
    }
}
