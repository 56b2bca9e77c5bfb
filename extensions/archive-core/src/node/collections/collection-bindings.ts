import { interfaces } from '@theia/core/shared/inversify';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { ConnectionContainerModule } from '@theia/core/lib/node/messaging/connection-container-module';
import { COLLECTION_SERVICE_PATH, CollectionClient, CollectionService } from '../../common/collection-protocol';
import { CollectionRepository, SqliteCollectionRepository } from '../store/collection-repository';
import { CollectionsJsonRepository, SqliteCollectionsJsonRepository } from '../store/collections-json-repository';
import { FilterPresetRepository, SqliteFilterPresetRepository } from '../store/filter-preset-repository';
import { CoalescingCollectionChangeNotifier, CollectionChangeNotifier } from './collection-change-notifier';
import { CollectionServiceImpl } from './collection-service-impl';
import { CollectionsJsonTransfer, DefaultCollectionsJsonTransfer } from './collections-json-transfer';
import { DefaultSmartCollectionUpdater, SmartCollectionUpdater } from './smart-collection-updater';

/**
 * The collections RPC service of each frontend connection: it tells its own
 * client when collections change, whoever changed them.
 */
export const collectionConnectionModule = ConnectionContainerModule.create(({ bind, bindBackendService }) => {
    bind(CollectionServiceImpl).toSelf().inSingletonScope();
    bind(CollectionService).toService(CollectionServiceImpl);
    bindBackendService<CollectionServiceImpl, CollectionClient>(COLLECTION_SERVICE_PATH, CollectionServiceImpl, (service, client) => {
        service.setClient(client);
        client.onDidCloseConnection(() => service.dispose());
        return service;
    });
});

/**
 * Collections, smart collections, filter presets and collections JSON:
 * the repositories, the change notifier, the smart collection updater and
 * the JSON transfer (process-wide; the updater needs the search engine and
 * the archive change watcher bound), plus the per-connection service.
 */
export function bindCollections(bind: interfaces.Bind): void {
    bindCollectionRepositories(bind);
    bind(CoalescingCollectionChangeNotifier).toSelf().inSingletonScope();
    bind(CollectionChangeNotifier).toService(CoalescingCollectionChangeNotifier);
    bind(DefaultSmartCollectionUpdater).toSelf().inSingletonScope();
    bind(SmartCollectionUpdater).toService(DefaultSmartCollectionUpdater);
    bind(BackendApplicationContribution).toService(DefaultSmartCollectionUpdater);
    bind(DefaultCollectionsJsonTransfer).toSelf().inSingletonScope();
    bind(CollectionsJsonTransfer).toService(DefaultCollectionsJsonTransfer);
    bind(ConnectionContainerModule).toConstantValue(collectionConnectionModule);
}

/**
 * Only the collection, preset and collections JSON repositories (over the
 * bound archive store), for a container without search or RPC, such as the
 * command-line tool's.
 */
export function bindCollectionRepositories(bind: interfaces.Bind): void {
    bind(SqliteCollectionRepository).toSelf().inSingletonScope();
    bind(CollectionRepository).toService(SqliteCollectionRepository);
    bind(SqliteFilterPresetRepository).toSelf().inSingletonScope();
    bind(FilterPresetRepository).toService(SqliteFilterPresetRepository);
    bind(SqliteCollectionsJsonRepository).toSelf().inSingletonScope();
    bind(CollectionsJsonRepository).toService(SqliteCollectionsJsonRepository);
}
