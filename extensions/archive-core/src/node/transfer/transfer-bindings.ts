import { interfaces } from '@theia/core/shared/inversify';
import { ConnectionContainerModule } from '@theia/core/lib/node/messaging/connection-container-module';
import { ARCHIVE_TRANSFER_SERVICE_PATH, ArchiveTransferClient, ArchiveTransferService } from '../../common/archive-transfer-protocol';
import { ArchiveTransferOperations } from './archive-transfer-operations';
import { ArchiveTransferServiceImpl } from './archive-transfer-service-impl';

/**
 * The archive transfer RPC service of each frontend connection: it tells
 * its own client the progress of the operations it started; the lock (one
 * export or import at a time) is process-wide.
 */
export const archiveTransferConnectionModule = ConnectionContainerModule.create(({ bind, bindBackendService }) => {
    bind(ArchiveTransferServiceImpl).toSelf().inSingletonScope();
    bind(ArchiveTransferService).toService(ArchiveTransferServiceImpl);
    bindBackendService<ArchiveTransferServiceImpl, ArchiveTransferClient>(ARCHIVE_TRANSFER_SERVICE_PATH, ArchiveTransferServiceImpl, (service, client) => {
        service.setClient(client);
        client.onDidCloseConnection(() => service.dispose());
        return service;
    });
});

/**
 * The transfer lock and the per-connection transfer service. The
 * `ArchiveExporter` and `ArchiveImporter` it runs are bound by their own
 * functions (the command-line tool binds them too).
 */
export function bindArchiveTransferService(bind: interfaces.Bind): void {
    bind(ArchiveTransferOperations).toSelf().inSingletonScope();
    bind(ConnectionContainerModule).toConstantValue(archiveTransferConnectionModule);
}
