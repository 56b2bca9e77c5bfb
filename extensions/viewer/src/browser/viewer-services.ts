import { interfaces } from '@theia/core/shared/inversify';
import { RemoteConnectionProvider, ServiceConnectionProvider } from '@theia/core/lib/browser/messaging/service-connection-provider';
import { ANNOTATION_SERVICE_PATH, AnnotationService } from '@imageparser/archive-core/lib/common/annotation-protocol';
import { ASSET_DETAILS_SERVICE_PATH, AssetDetailsService } from '@imageparser/archive-core/lib/common/asset-details-protocol';

/** Proxies of archive-core's annotation and asset-details services. */
export function bindViewerServices(bind: interfaces.Bind): void {
    bind(AnnotationService).toDynamicValue(ctx =>
        ctx.container.get<ServiceConnectionProvider>(RemoteConnectionProvider).createProxy<AnnotationService>(ANNOTATION_SERVICE_PATH)
    ).inSingletonScope();
    bind(AssetDetailsService).toDynamicValue(ctx =>
        ctx.container.get<ServiceConnectionProvider>(RemoteConnectionProvider).createProxy<AssetDetailsService>(ASSET_DETAILS_SERVICE_PATH)
    ).inSingletonScope();
}
