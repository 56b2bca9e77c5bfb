import { injectable } from '@theia/core/shared/inversify';
import { DefaultModelManager } from '@imageparser/archive-core/lib/node/inference/default-model-manager';
import type { ManagedModel, ModelSpec } from '@imageparser/archive-core/lib/node/inference/model-manager';

/** The longest a timer may wait (about 24 days): the worker's models never unload on a timer of their own. */
const NEVER_MINUTES = Math.floor((2 ** 31 - 1) / 60_000);

/**
 * The worker machine's model manager: archive-core's, with every load and
 * unload counted (a role keeps its model resident between batches: one load
 * for many batches, reported in each heartbeat) and no idle timer of its
 * own: on a worker the governor decides when the model unloads (outside the
 * schedule, or no work for `idleUnloadMinutes`).
 */
@injectable()
export class WorkerModelManager extends DefaultModelManager {

    protected loadCount = 0;
    protected unloadCount = 0;

    override register<M>(spec: ModelSpec<M>): ManagedModel<M> {
        return super.register<M>({
            ...spec,
            id: spec.id,
            isAvailable: () => spec.isAvailable(),
            load: async () => {
                const model = await spec.load();
                this.loadCount++;
                this.logger.info(`Model ${spec.id} loaded (${this.loadCount} loads so far)`);
                return model;
            },
            unload: async model => {
                try {
                    await spec.unload(model);
                } finally {
                    this.unloadCount++;
                    this.logger.info(`Model ${spec.id} unloaded (${this.unloadCount} unloads so far)`);
                }
            }
        });
    }

    /** Loads and unloads since the worker started. */
    counts(): { readonly loads: number; readonly unloads: number } {
        return { loads: this.loadCount, unloads: this.unloadCount };
    }

    /** Whether any model is in memory (or loading) now. */
    anyLoaded(): boolean {
        return [...this.models.values()].some(model => model.state === 'loaded' || model.state === 'loading');
    }

    /** Unloads every loaded model no batch is working with now (the governor's idle, critical or schedule unload). */
    async unloadIdle(): Promise<void> {
        await Promise.all([...this.models.values()].map(model => model.evict()));
    }

    protected override idleUnloadMinutes(): number {
        return NEVER_MINUTES;
    }
}
