import { injectable } from '@theia/core/shared/inversify';
import { Emitter, Event } from '@theia/core/lib/common/event';
import { CollectionClient } from '../common/collection-protocol';

/**
 * The frontend's end of the collection notices: one event for every view
 * that shows collections, smart collections or filter presets (the
 * Collections view, the smart collection banner, the preset list).
 */
@injectable()
export class CollectionChangeEvents implements CollectionClient {

    protected readonly onDidChangeEmitter = new Emitter<void>();
    /** Fires when collections or presets changed; listeners read them again. */
    readonly onDidChange: Event<void> = this.onDidChangeEmitter.event;

    onCollectionsChanged(): void {
        this.onDidChangeEmitter.fire();
    }
}
