import { Container } from '@theia/core/shared/inversify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AiSettings } from '../../extensions/archive-core/src/node/inference/ai-settings';
import { DefaultModelManager } from '../../extensions/archive-core/src/node/inference/default-model-manager';
import { ManagedModel, ModelManager } from '../../extensions/archive-core/src/node/inference/model-manager';
import { AiSettingsEnv, PreferenceAiSettings } from '../../extensions/archive-core/src/node/inference/preference-ai-settings';
import type { PhaseContribution, PhaseInput, PhaseModelRequirement, PhaseOutput } from '../../extensions/archive-core/src/node/jobs/phase-contribution';
import { ingest, pipelineOf, value } from '../phases/phase-test-archive';
import { usePhaseArchives } from '../phases/phase-test-suite';
import { GIB, MemoryLedger, MIB, SizedModel, sizedModelSpec } from './sized-model';

const IMAGES = 24;
const BUDGET = 6 * GIB;

/** A phase whose processor hands its claimed jobs to a managed model, as the AI phases do; only the model is a test double. */
class ModelPhase implements PhaseContribution {
    readonly needs = ['parse'];
    readonly batchSize = 8;
    managed!: ManagedModel<SizedModel>;
    /** Each run's claimed job count beside the batch sizes the model was handed for it. */
    readonly runs: { claimed: number; batches: number[] }[] = [];

    constructor(readonly id: string) { }

    get model(): PhaseModelRequirement {
        return { id: this.managed.id, isAvailable: () => true, state: () => this.managed.state };
    }

    isEnabled(): boolean {
        return true;
    }

    async process(batch: readonly PhaseInput[]): Promise<PhaseOutput[]> {
        const batches: number[] = [];
        const outputs = await this.managed.run<PhaseInput, PhaseOutput>(batch, async (model, items) => {
            batches.push(items.length);
            await model.work(items);
            return items.map(item => ({ kind: 'done', result: { asset: item.job.assetId } }) as PhaseOutput);
        }, error => ({ kind: 'failed', error: { code: error.code, message: error.message }, retryable: true }));
        this.runs.push({ claimed: batch.length, batches });
        return outputs;
    }
}

/**
 * The models' memory budget (the spec's "6 GB VRAM without OOM"): with a
 * simulated budget of 6 GiB (IMAGEPARSER_MODELS_MEMORY_MB) and models that
 * report their size, the model manager never holds more than the budget,
 * shrinks batches while other models hold the memory, unloads idle models
 * least recently used first, and the phases' queues finish.
 */
describe('the model manager within a memory budget', () => {
    // Each archive's models are disposed before the archive, after the budget is unset (hooks run as a stack).
    const archives = usePhaseArchives({ images: IMAGES, size: 32, seed: 5 }, container => container.get<ModelManager>(ModelManager).dispose());

    beforeEach(() => {
        process.env[AiSettingsEnv.MODELS_MEMORY_MB] = String(BUDGET / MIB);
    });
    afterEach(() => {
        delete process.env[AiSettingsEnv.MODELS_MEMORY_MB];
    });

    function bindModels(container: Container): DefaultModelManager {
        container.bind(PreferenceAiSettings).toSelf().inSingletonScope();
        container.bind(AiSettings).toService(PreferenceAiSettings);
        container.bind(DefaultModelManager).toSelf().inSingletonScope();
        container.bind(ModelManager).toService(DefaultModelManager);
        return container.get(DefaultModelManager);
    }

    it('runs four phases whose models add up to 7 GiB within 6 GiB: never more held, batches shrink under pressure, every queue finishes', async () => {
        const ledger = new MemoryLedger();
        const sizes = { 'phase-a': 2.5 * GIB, 'phase-b': 2 * GIB, 'phase-c': 1.5 * GIB, 'phase-d': 1 * GIB };
        const phases = Object.keys(sizes).map(id => new ModelPhase(id));
        const { folder, container } = archives.create(phases, 'archive-concurrent');
        const manager = bindModels(container);
        const specs = Object.entries(sizes).map(([id, bytes]) => sizedModelSpec(`${id}-model`, ledger, bytes, 256 * MIB, 8));
        phases.forEach((phase, i) => phase.managed = manager.register(specs[i]));

        await ingest(container, archives.art);
        pipelineOf(container).start();
        const done = () => value<number>(folder, "SELECT count(*) FROM phase_states WHERE phase LIKE 'phase-%' AND state = 'done'");
        await expect.poll(done, { timeout: 60_000, interval: 100 }).toBe(4 * IMAGES);

        console.log(`models memory: peak ${(ledger.peak / GIB).toFixed(2)} GiB of ${BUDGET / GIB} GiB; loads ${specs.map(spec => `${spec.id} ${spec.loads}`).join(', ')}; `
            + `shrunk runs ${phases.flatMap(phase => phase.runs).filter(run => run.batches.length > 1).length}`);
        expect(ledger.peak).toBeLessThanOrEqual(BUDGET);
        expect(manager.memory.peakBytes).toBeLessThanOrEqual(BUDGET);
        // The models did work side by side (more than the largest alone with a full batch).
        expect(ledger.peak).toBeGreaterThan(2.5 * GIB + 8 * 256 * MIB);
        // Some run was handed to its model in smaller batches than the jobs it claimed, for lack of memory.
        expect(phases.flatMap(phase => phase.runs).some(run => run.batches.length > 1 && Math.max(...run.batches) < run.claimed)).toBe(true);
        expect(value<number>(folder, "SELECT count(*) FROM phase_jobs WHERE phase LIKE 'phase-%' AND state != 'done'")).toBe(0);
    }, 90_000);

    it('unloads the least recently used idle model to make room, and a model that cannot fit waits until a batch ends', async () => {
        const ledger = new MemoryLedger();
        const { container } = archives.create([], 'archive-lru');
        const manager = bindModels(container);
        const older = manager.register(sizedModelSpec('older', ledger, 2 * GIB, 256 * MIB, 4));
        const newer = manager.register(sizedModelSpec('newer', ledger, 2 * GIB, 256 * MIB, 4));
        const large = manager.register(sizedModelSpec('large', ledger, 3 * GIB, 256 * MIB, 4));
        const work = (model: SizedModel, items: readonly number[]) => model.work(items);
        const lost = () => -1;

        await older.run([1, 2, 3, 4], work, lost);
        await newer.run([1, 2, 3, 4], work, lost);
        expect([...ledger.loaded].sort()).toEqual(['newer', 'older']);
        // 2 + 2 + 3 GiB does not fit in 6: the least recently used one makes room.
        expect(await large.run([1, 2], work, lost)).toEqual([1, 2]);
        expect([...ledger.loaded].sort()).toEqual(['large', 'newer']);
        expect(older.state).toBe('unloaded');

        // While `newer` and `large` work a batch each neither is unloaded: `older` waits until one of them ends.
        const gates: (() => void)[] = [];
        const held = (model: SizedModel, items: readonly number[]) => new Promise<void>(resolve => gates.push(resolve)).then(() => model.work(items));
        const busyNewer = newer.run([7], held, lost);
        const busyLarge = large.run([8], held, lost);
        await expect.poll(() => gates.length).toBe(2);
        const waiting = older.run([5], work, lost);
        await new Promise(resolve => setTimeout(resolve, 50));
        expect([...ledger.loaded].sort()).toEqual(['large', 'newer']);
        gates[1]();
        expect(await busyLarge).toEqual([8]);
        expect(await waiting).toEqual([5]);
        expect([...ledger.loaded].sort()).toEqual(['newer', 'older']);
        gates[0]();
        expect(await busyNewer).toEqual([7]);
        expect(ledger.peak).toBeLessThanOrEqual(BUDGET);
    });

    it('refuses a model that cannot fit the budget even alone, with the budget named', async () => {
        const { container } = archives.create([], 'archive-too-large');
        const manager = bindModels(container);
        const huge = manager.register(sizedModelSpec('huge', new MemoryLedger(), 7 * GIB, 256 * MIB, 4));
        await expect(huge.run([1], (model, items) => model.work(items), () => -1)).rejects.toThrow(/huge needs 7.* more than the models' memory budget \(6/);
    });
});
