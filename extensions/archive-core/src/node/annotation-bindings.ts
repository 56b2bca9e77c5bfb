import { interfaces } from '@theia/core/shared/inversify';
import { ConnectionContainerModule } from '@theia/core/lib/node/messaging/connection-container-module';
import { ANNOTATION_SERVICE_PATH, AnnotationService } from '../common/annotation-protocol';
import { AssetDetailsService } from '../common/asset-details-protocol';
import { AnnotationServiceImpl } from './annotation-service-impl';
import { SqliteAssetDetailsRepository } from './store/asset-details-repository';

/**
 * The annotation RPC service of each frontend connection: it edits as that
 * connection's `CurrentUser`, over the process-wide repositories, so every
 * connection sees the others' edits while undo takes back its user's own.
 */
export const annotationConnectionModule = ConnectionContainerModule.create(({ bind, bindBackendService }) => {
    bind(AnnotationServiceImpl).toSelf().inSingletonScope();
    bind(AnnotationService).toService(AnnotationServiceImpl);
    bindBackendService(ANNOTATION_SERVICE_PATH, AnnotationService);
});

/**
 * Asset details (process-wide; they do not depend on the user) and the
 * per-connection annotation service; the repositories are bound with the
 * store.
 */
export function bindAnnotations(bind: interfaces.Bind): void {
    bind(AssetDetailsService).toService(SqliteAssetDetailsRepository);
    bind(ConnectionContainerModule).toConstantValue(annotationConnectionModule);
}
