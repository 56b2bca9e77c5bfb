import { interfaces } from '@theia/core/shared/inversify';
import { MemoryBudget } from '../memory/memory-budget';
import { RenderPool, RenderPoolOptions, WorkerThreadRenderPool } from './render-pool';

/**
 * The render threads behind the viewer's images (composites, pyramids,
 * layers), one pool for the process, sharing the {@link MemoryBudget} with
 * the parse threads when one is bound.
 */
export function bindMedia(bind: interfaces.Bind, options: RenderPoolOptions = {}): void {
    bind(RenderPool).toDynamicValue(({ container }) => new WorkerThreadRenderPool({
        budget: container.isBound(MemoryBudget) ? container.get<MemoryBudget>(MemoryBudget) : undefined,
        ...options
    })).inSingletonScope();
}
