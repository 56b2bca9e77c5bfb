import type { Event } from '@theia/core/lib/common/event';
import type { ModelState } from '../../common/job-protocol';

/**
 * How to load and unload one model, and what a batch of its work costs in
 * memory. A model phase describes its model with this once; the
 * {@link ModelManager} decides when it is in memory and how big its batches are.
 */
export interface ModelSpec<M> {
    /** The model id results are keyed by (e.g. `tesseract-5/kor+eng`). */
    readonly id: string;
    /** Whether the model's files or data are installed; `missing` otherwise. */
    isAvailable(): boolean;
    /** Loads the model (weights, worker threads); may take seconds. */
    load(): Promise<M>;
    /** Frees what {@link load} took; called once per loaded instance, also after a crash. */
    unload(model: M): Promise<void>;
    /** Memory one item of a batch holds while it is worked on, in bytes; batch sizes are picked from it. */
    readonly bytesPerItem: number;
    /** The largest batch worth handing the model at once. */
    readonly maxBatch: number;
    /**
     * Memory the loaded model itself holds (its weights), in bytes: the
     * manager keeps the models loaded together within its memory budget,
     * unloading idle ones first. 0 when omitted.
     */
    readonly residentBytes?: number;
}

/**
 * Thrown by a batch's work when the model's worker died (it was killed, it
 * crashed, it ran out of memory): the loaded instance is unusable. The
 * manager unloads it, halves the batch and tries again.
 */
export class ModelCrashError extends Error {
    constructor(message: string, readonly code: 'worker-crashed' | 'out-of-memory' | 'timeout' = 'worker-crashed') {
        super(message);
        this.name = 'ModelCrashError';
    }
}

/** Whether an error says memory ran out (a worker's heap limit, a failed allocation, a WebAssembly heap that could not grow). */
export function isOutOfMemory(error: unknown): boolean {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    const message = error instanceof Error ? error.message : String(error);
    return code === 'ERR_WORKER_OUT_OF_MEMORY' || (error instanceof ModelCrashError && error.code === 'out-of-memory')
        || /out of memory|heap limit|allocation failed|Aborted\(OOM\)|Cannot enlarge memory/i.test(message);
}

/** What a batch of work answers for an item that still failed alone, with the model reloaded: the item's job goes back to the queue. */
export type LostItem<O> = (error: ModelCrashError) => O;

/** A model under the manager's care. */
export interface ManagedModel<M> {
    readonly id: string;
    /** `missing` when not installed, else loaded, loading or unloaded. */
    readonly state: ModelState;
    /** The batch size the next run starts with: from free memory, halved after a crash or out-of-memory error. */
    readonly batchSize: number;
    /** Fires when {@link state} changes. */
    readonly onDidChangeState: Event<ModelState>;
    /**
     * Works `items` through the model, loading it first if needed, in batches
     * of {@link batchSize}; answers one output per item, in order. When a
     * batch throws a {@link ModelCrashError} or runs out of memory, the
     * instance is unloaded, the batch halved and tried again (the model
     * reloads); an item that still fails alone gets `lost(error)` as its
     * output, so no item is ever dropped. Other errors reject the run.
     * The model stays loaded while runs follow each other and unloads after
     * the idle timeout.
     */
    run<I, O>(items: readonly I[], work: (model: M, batch: readonly I[]) => Promise<O[]>, lost: LostItem<O>): Promise<O[]>;
    /** Unloads the model now (it loads again on the next run). */
    unload(): Promise<void>;
}

export const ModelManager = Symbol('ModelManager');

/**
 * Keeps models in memory only while they work: every model phase (OCR now,
 * captions and embeddings next) registers its model here. A model loads on
 * first use, stays resident while jobs flow, and unloads after
 * `imageparser.models.idleUnloadMinutes` without work; batch sizes follow
 * free memory and the process's memory budget.
 */
export interface ModelManager {
    /** Registers a model, or answers the one registered under the same id. */
    register<M>(spec: ModelSpec<M>): ManagedModel<M>;
    /** The state of a registered model; `missing` for an id never registered. */
    state(id: string): ModelState;
    /** Unloads every model (the backend stops). */
    dispose(): Promise<void>;
}
