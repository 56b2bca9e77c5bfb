import { Worker } from 'worker_threads';
import { Container } from '@theia/core/shared/inversify';
import { ILogger } from '@theia/core/lib/common/logger';
import { MockLogger } from '@theia/core/lib/common/test/mock-logger';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryBudget, SemaphoreMemoryBudget } from '../memory/memory-budget';
import { DefaultModelManager, IDLE_UNLOAD_ENV } from './default-model-manager';
import { ModelCrashError, ModelManager, ModelSpec } from './model-manager';

/**
 * A real, tiny model: a worker thread that doubles numbers. An item may need
 * `mb` MiB while its batch is worked on (the model has 64 MiB: a batch that
 * needs more fails with V8's own allocation error, thrown in the thread; the
 * thread's heap limit alone did not overflow reliably inside the full suite),
 * or make the thread exit (`poison`).
 */
const TINY_MODEL_SOURCE = `
const { parentPort } = require('worker_threads');
parentPort.on('message', batch => {
    let mb = 0;
    for (const item of batch) {
        if (item.poison) { process.exit(3); }
        mb += item.mb || 0;
    }
    // The model has 64 MiB: a batch that needs more fails as a real allocation does (V8's own RangeError, thrown in the thread).
    if (mb > 64) { new ArrayBuffer(2 ** 40); }
    parentPort.postMessage(batch.map(item => item.value * 2));
});`;

interface Item { readonly value: number; readonly mb?: number; readonly poison?: boolean }
type Output = number | { lost: string };

class TinyModel {
    readonly worker = new Worker(TINY_MODEL_SOURCE, { eval: true, resourceLimits: { maxOldGenerationSizeMb: 64 } });
    exited = false;

    constructor() {
        this.worker.on('exit', () => this.exited = true);
    }

    double(batch: readonly Item[]): Promise<number[]> {
        return new Promise((resolve, reject) => {
            const done = () => {
                this.worker.off('message', onMessage);
                this.worker.off('error', onError);
                this.worker.off('exit', onExit);
            };
            const onMessage = (values: number[]) => { done(); resolve(values); };
            const onError = (error: Error) => { done(); reject(error); };
            const onExit = (code: number) => { done(); reject(new ModelCrashError(`The tiny model's thread exited with code ${code}.`)); };
            this.worker.on('message', onMessage).on('error', onError).on('exit', onExit);
            this.worker.postMessage(batch);
        });
    }
}

describe('DefaultModelManager with a real worker-thread model', () => {
    let container: Container;
    let manager: ModelManager;
    let budget: SemaphoreMemoryBudget;
    let loads: TinyModel[];
    let spec: ModelSpec<TinyModel>;

    beforeEach(() => {
        container = new Container();
        container.bind(ILogger).to(MockLogger).inSingletonScope();
        budget = new SemaphoreMemoryBudget(1024 << 20);
        container.bind(MemoryBudget).toConstantValue(budget);
        container.bind(DefaultModelManager).toSelf().inSingletonScope();
        container.bind(ModelManager).toService(DefaultModelManager);
        manager = container.get<ModelManager>(ModelManager);
        loads = [];
        spec = {
            id: 'tiny/doubler',
            isAvailable: () => true,
            load: async () => {
                const model = new TinyModel();
                loads.push(model);
                return model;
            },
            unload: async model => { await model.worker.terminate(); },
            bytesPerItem: 64 << 20,
            maxBatch: 8
        };
    });

    afterEach(async () => {
        delete process.env[IDLE_UNLOAD_ENV];
        await manager.dispose();
    });

    const work = (model: TinyModel, batch: readonly Item[]) => model.double(batch);
    const lost = (error: ModelCrashError): Output => ({ lost: error.code });

    it('loads on first use, stays loaded while work flows, and unloads after the idle time', async () => {
        process.env[IDLE_UNLOAD_ENV] = String(300 / 60_000);
        const model = manager.register(spec);
        expect(model.state).toBe('unloaded');
        const first = model.run([{ value: 1 }, { value: 2 }], work, lost);
        expect(model.state).toBe('loading');
        expect(await first).toEqual([2, 4]);
        expect(model.state).toBe('loaded');
        expect(await model.run([{ value: 3 }], work, lost)).toEqual([6]);
        expect(loads).toHaveLength(1);

        await expect.poll(() => model.state).toBe('unloaded');
        await expect.poll(() => loads[0].exited).toBe(true);
        expect(manager.state('tiny/doubler')).toBe('unloaded');

        expect(await model.run([{ value: 5 }], work, lost)).toEqual([10]);
        expect(loads).toHaveLength(2);
    });

    it('says missing when the model is not installed, and for an id never registered', () => {
        expect(manager.register({ ...spec, id: 'tiny/absent', isAvailable: () => false }).state).toBe('missing');
        expect(manager.state('never/registered')).toBe('missing');
    });

    it('picks the batch size from the memory left in the budget', async () => {
        const model = manager.register({ ...spec, bytesPerItem: 300 << 20 });
        expect(model.batchSize).toBe(3);
        const lease = await budget.acquire(500 << 20);
        expect(model.batchSize).toBe(1);
        lease.release();
        expect(model.batchSize).toBe(3);
    });

    it('halves the batch after a real out-of-memory error and loses no item', async () => {
        const model = manager.register(spec);
        expect(model.batchSize).toBe(8);
        const items = Array.from({ length: 8 }, (_, i) => ({ value: i, mb: 40 }));
        expect(await model.run(items, work, lost)).toEqual(items.map(item => item.value * 2));
        // 8, 4 and 2 x 40 MiB do not fit the model's 64 MiB; one item (40 MiB) does.
        expect(model.batchSize).toBe(1);
        expect(loads.length).toBeGreaterThanOrEqual(3);
        expect(loads.slice(0, -1).every(load => load.exited)).toBe(true);
    });

    it('retries a batch whose thread was killed mid-batch, and hands back alone an item that kills it every time', async () => {
        const model = manager.register(spec);
        let killed = false;
        const killOnce = async (tiny: TinyModel, batch: readonly Item[]) => {
            const running = tiny.double(batch);
            if (!killed) {
                killed = true;
                await tiny.worker.terminate();
            }
            return running;
        };
        const items: Item[] = [{ value: 1 }, { value: 2 }, { value: 3, poison: true }, { value: 4 }];
        expect(await model.run(items, killOnce, lost)).toEqual([2, 4, { lost: 'worker-crashed' }, 8]);
        expect(model.batchSize).toBe(1);
        expect(model.state).toBe('loaded');
    });
});
