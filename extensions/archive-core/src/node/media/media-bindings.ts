import { interfaces } from '@theia/core/shared/inversify';
import { MemoryBudget } from '../memory/memory-budget';
import { bindAssetMedia } from './asset-media-bindings';
import { RenderPool, RenderPoolOptions, WorkerThreadRenderPool } from './render-pool';

/**
 * The render threads behind the viewer's images (composites, pyramids,
 * layers), one pool for the process, sharing the {@link MemoryBudget} with
 * the parse threads when one is bound; and the service that resolves asset
 * ids to their files for the media routes.
 */
export function bindMedia(bind: interfaces.Bind, options: RenderPoolOptions = {}): void {
    bindAssetMedia(bind);
    bind(RenderPool).toDynamicValue(({ container }) => new WorkerThreadRenderPool({
        budget: container.isBound(MemoryBudget) ? container.get<MemoryBudget>(MemoryBudget) : undefined,
        ...options
    })).inSingletonScope();
}
