import type { ModelSpec } from '../../extensions/archive-core/src/node/inference/model-manager';

export const GIB = 1024 ** 3;
export const MIB = 1024 ** 2;

/**
 * What the test models hold, as they report it: weights from load to
 * unload, working memory while a batch is worked on. The highest total ever
 * seen is what the budget must bound.
 */
export class MemoryLedger {
    held = 0;
    peak = 0;
    readonly loaded = new Set<string>();

    take(bytes: number): void {
        this.held += bytes;
        this.peak = Math.max(this.peak, this.held);
    }

    give(bytes: number): void {
        this.held -= bytes;
    }
}

/** A model test double that only reports its size: its "weights" and each item's working memory are entries in a {@link MemoryLedger}. */
export class SizedModel {
    /** Each batch's size, in order. */
    readonly batches: number[] = [];

    constructor(readonly id: string, protected readonly ledger: MemoryLedger, readonly bytesPerItem: number, protected readonly workMs: number) { }

    async work<T>(items: readonly T[]): Promise<T[]> {
        const bytes = items.length * this.bytesPerItem;
        this.ledger.take(bytes);
        this.batches.push(items.length);
        try {
            await new Promise(resolve => setTimeout(resolve, this.workMs));
            return [...items];
        } finally {
            this.ledger.give(bytes);
        }
    }
}

/** The spec of a sized model: its weights are taken from the ledger when it loads and given back when it unloads. */
export function sizedModelSpec(
    id: string, ledger: MemoryLedger, residentBytes: number, bytesPerItem: number, maxBatch: number, workMs = 3
): ModelSpec<SizedModel> & { loads: number; instances: SizedModel[] } {
    const spec = {
        id, residentBytes, bytesPerItem, maxBatch, loads: 0, instances: [] as SizedModel[],
        isAvailable: () => true,
        load: async () => {
            await new Promise(resolve => setTimeout(resolve, 2));
            ledger.take(residentBytes);
            ledger.loaded.add(id);
            spec.loads++;
            const model = new SizedModel(id, ledger, bytesPerItem, workMs);
            spec.instances.push(model);
            return model;
        },
        unload: async () => {
            await new Promise(resolve => setTimeout(resolve, 2));
            ledger.loaded.delete(id);
            ledger.give(residentBytes);
        }
    };
    return spec;
}
