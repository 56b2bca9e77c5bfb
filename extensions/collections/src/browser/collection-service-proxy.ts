import { interfaces } from '@theia/core/shared/inversify';
import { ServiceConnectionProvider } from '@theia/core/lib/browser/messaging/service-connection-provider';
import { COLLECTION_SERVICE_PATH, CollectionService } from '@imageparser/archive-core/lib/common/collection-protocol';
import { CollectionEvents } from './collection-events';

/**
 * Binds the frontend's one proxy of the backend's `CollectionService`, whose
 * notices go to {@link CollectionEvents}. Every part of the collections UI
 * (the view, the filter, smart collections, presets, JSON) injects these two.
 */
export function bindCollectionServiceProxy(bind: interfaces.Bind): void {
    bind(CollectionEvents).toSelf().inSingletonScope();
    bind(CollectionService).toDynamicValue(({ container }) =>
        ServiceConnectionProvider.createProxy<CollectionService>(container, COLLECTION_SERVICE_PATH, container.get(CollectionEvents))
    ).inSingletonScope();
}
