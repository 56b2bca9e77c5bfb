import * as fs from 'fs';
import * as path from 'path';
import { createRequire } from 'module';
import { Piscina } from 'piscina';
import { layerCapsProblem } from '@imageparser/psd';
import { DecodeUse, estimateDecodeBytes } from '../memory/decode-estimate';
import { MemoryBudget, MemoryLease } from '../memory/memory-budget';
import { processMemoryBudget } from '../memory/process-memory-budget';
import type { RenderOutcome, RenderTask, RenderThreadTask } from './render-task';

export const RenderPool = Symbol('RenderPool');

/**
 * Runs the viewer's rendering off the main thread, in two lanes: pyramids
 * of full images, and layer composites with layer thumbnails. Each lane has
 * several threads and takes turns between assets, one task per asset at a
 * time, so a document that renders slowly (or never) holds one thread at
 * most while other assets' renders go on. Before a task starts, the layer
 * caps are checked on the file's layer records and its decode memory is
 * estimated and acquired from the process-wide {@link MemoryBudget}; it is
 * released when the task settles. A thread may keep the last document's
 * layers (so toggling is quick) while they take at most a quarter of the
 * budget; their memory stays counted until they are dropped, after a minute
 * idle or as soon as another task waits for memory. A task whose signal is aborted is dropped
 * (before it starts) or stopped; the time limit counts from when a task
 * starts, shorter for layer thumbnails. Every failure (time limit, memory,
 * crash, caps) comes back as an error outcome.
 */
export interface RenderPool {
    run(task: RenderTask, signal?: AbortSignal): Promise<RenderOutcome>;
    destroy(): Promise<void>;
}

export interface RenderPoolOptions {
    /** Time limit of a composite or a pyramid, from its start; 120 s. */
    readonly timeoutMs?: number;
    /** Time limit of a layer thumbnail, from its start; 15 s. */
    readonly thumbnailTimeoutMs?: number;
    /** Heap cap of each render thread, in MiB; 512 (pixels live outside the heap and count against the memory budget). */
    readonly memoryMb?: number;
    /** Threads in each lane; 2. */
    readonly threadsPerLane?: number;
    /** The budget shared with the parse threads; the process's own by default. */
    readonly budget?: MemoryBudget;
    /** How long a thread keeps an idle document's layers; 60 s (or until another task needs the memory). */
    readonly keepLayersMs?: number;
}

type Lane = 'tiles' | 'layers';

interface Pending {
    readonly task: RenderTask;
    readonly signal?: AbortSignal;
    readonly resolve: (outcome: RenderOutcome) => void;
}

/** One thread of a lane, and the document layers it keeps with the memory they hold. */
interface Slot {
    pool: Piscina<RenderThreadTask, RenderOutcome>;
    busy: boolean;
    kept?: { readonly file: string; readonly lease: MemoryLease; timer?: NodeJS.Timeout };
}

interface LaneState {
    readonly slots: Slot[];
    /** Waiting tasks per asset, assets in turn order. */
    readonly queues: Map<string, Pending[]>;
    /** Assets with a task running in this lane. */
    readonly running: Set<string>;
}

const CANCELLED: RenderOutcome = { ok: false, error: { code: 'cancelled', message: 'Nobody waits for this rendering any more.' } };

export class WorkerThreadRenderPool implements RenderPool {

    protected readonly lanes: Record<Lane, LaneState>;
    protected readonly timeoutMs: number;
    protected readonly thumbnailTimeoutMs: number;
    protected readonly keepLayersMs: number;
    protected readonly budget: MemoryBudget;
    protected readonly memoryMb: number;
    protected readonly pressure: { dispose(): void };

    constructor(options: RenderPoolOptions = {}) {
        this.timeoutMs = options.timeoutMs ?? 120_000;
        this.thumbnailTimeoutMs = options.thumbnailTimeoutMs ?? 15_000;
        this.keepLayersMs = options.keepLayersMs ?? 60_000;
        this.budget = options.budget ?? processMemoryBudget();
        this.memoryMb = options.memoryMb ?? 512;
        const threads = Math.max(1, options.threadsPerLane ?? 2);
        const lane = (): LaneState => ({ slots: Array.from({ length: threads }, () => ({ busy: false, pool: this.createThread() })), queues: new Map(), running: new Set() });
        this.lanes = { tiles: lane(), layers: lane() };
        // Kept layers make way at once for a task waiting for memory.
        this.pressure = this.budget.onPressure(() => {
            for (const slot of Object.values(this.lanes).flatMap(state => state.slots)) {
                if (!slot.busy && slot.kept) {
                    this.forget(slot).catch(() => undefined);
                }
            }
        });
    }

    protected createThread(): Piscina<RenderThreadTask, RenderOutcome> {
        return new Piscina<RenderThreadTask, RenderOutcome>({
            filename: renderWorkerFile(),
            minThreads: 0,
            maxThreads: 1,
            idleTimeout: this.keepLayersMs + 30_000,
            resourceLimits: { maxOldGenerationSizeMb: this.memoryMb }
        });
    }

    /**
     * Replaces a slot's thread: the old one ends, and every buffer it held
     * is freed at once rather than whenever its garbage collector runs, so
     * the memory given back to the budget really is free.
     */
    protected async recycle(slot: Slot): Promise<void> {
        const old = slot.pool;
        slot.pool = this.createThread();
        await old.destroy();
    }

    run(task: RenderTask, signal?: AbortSignal): Promise<RenderOutcome> {
        const lane = task.op === 'pyramid' ? 'tiles' : 'layers';
        return new Promise(resolve => {
            const queues = this.lanes[lane].queues;
            const key = task.asset ?? task.file;
            queues.set(key, [...queues.get(key) ?? [], { task, signal, resolve }]);
            this.dispatch(lane);
        });
    }

    /** Starts waiting tasks on free threads: the next asset in turn that has nothing running, on the thread that keeps its layers if free. */
    protected dispatch(lane: Lane): void {
        const state = this.lanes[lane];
        for (;;) {
            const free = state.slots.filter(slot => !slot.busy);
            const key = free.length ? [...state.queues.keys()].find(asset => !state.running.has(asset)) : undefined;
            if (key === undefined) {
                return;
            }
            const queue = state.queues.get(key)!;
            const pending = queue.shift()!;
            // To the back of the turn order.
            state.queues.delete(key);
            if (queue.length) {
                state.queues.set(key, queue);
            }
            if (pending.signal?.aborted) {
                pending.resolve(CANCELLED);
                continue;
            }
            const slot = free.find(candidate => candidate.kept?.file === pending.task.file) ?? free.find(candidate => !candidate.kept) ?? free[0];
            slot.busy = true;
            state.running.add(key);
            this.execute(slot, pending.task, pending.signal)
                .catch(error => ({ ok: false, error: { code: 'crashed', message: `Rendering stopped: ${messageOf(error)}` } }) as RenderOutcome)
                .then(outcome => {
                    slot.busy = false;
                    state.running.delete(key);
                    pending.resolve(outcome);
                    this.dispatch(lane);
                });
        }
    }

    protected async execute(slot: Slot, task: RenderTask, signal?: AbortSignal): Promise<RenderOutcome> {
        const use: DecodeUse = task.op === 'pyramid' ? { op: 'pyramid' } : task.op === 'layers' ? { op: 'layers', maxSize: task.maxSize } : { op: 'layer-thumbnail' };
        const estimate = await estimateDecodeBytes(task.file, task.op === 'pyramid' ? task.kind : 'psd', use);
        if (task.op !== 'pyramid' && estimate.survey) {
            const problem = layerCapsProblem(estimate.survey.layerCount, estimate.survey.groupDepth, task.limits);
            if (problem) {
                return { ok: false, error: { code: 'too-complex', message: problem } };
            }
        }
        // The layers this thread keeps serve a task on the same file; any other task makes it drop them.
        const reuse = task.op !== 'pyramid' && slot.kept?.file === task.file;
        if (slot.kept && !reuse) {
            await this.forget(slot);
        }
        clearTimeout(slot.kept?.timer);
        const kept = slot.kept?.lease.bytes ?? 0;
        let lease: MemoryLease;
        try {
            lease = await this.budget.acquire(Math.max(0, estimate.bytes - kept), 'interactive', signal);
        } catch (error) {
            this.keepFor(slot);
            return signal?.aborted ? CANCELLED : { ok: false, error: { code: 'too-large', message: messageOf(error) } };
        }
        const keep = task.op !== 'pyramid' && !reuse && estimate.layerBytes <= this.budget.totalBytes / 4;
        const abort = new AbortController();
        const timeoutMs = task.op === 'layer-thumbnail' ? this.thumbnailTimeoutMs : this.timeoutMs;
        const timer = setTimeout(() => abort.abort(), timeoutMs);
        const cancel = () => abort.abort();
        signal?.addEventListener('abort', cancel);
        let outcome: RenderOutcome;
        try {
            outcome = await slot.pool.run({ ...task, keepLayers: keep || reuse }, { signal: abort.signal });
        } catch (error) {
            // The thread was stopped, and what it kept with it.
            slot.kept?.lease.release();
            slot.kept = undefined;
            lease.release();
            if (signal?.aborted) {
                return CANCELLED;
            }
            if (abort.signal.aborted) {
                return { ok: false, error: { code: 'timeout', message: `Rendering took longer than ${Math.round(timeoutMs / 1000)} s and was stopped.` } };
            }
            return { ok: false, error: { code: 'crashed', message: `Rendering stopped: ${messageOf(error)}` } };
        } finally {
            clearTimeout(timer);
            signal?.removeEventListener('abort', cancel);
        }
        if (keep && outcome.ok) {
            lease.retain(estimate.layerBytes);
            slot.kept = { file: task.file, lease };
        } else {
            if (estimate.bytes > this.budget.totalBytes / 8) {
                slot.kept?.lease.release();
                slot.kept = undefined;
                await this.recycle(slot);
            } else if (!outcome.ok && slot.kept) {
                await this.forget(slot);
            }
            lease.release();
        }
        this.keepFor(slot);
        return outcome;
    }

    /** Drops what an idle thread keeps after a while, giving its memory back. */
    protected keepFor(slot: Slot): void {
        const kept = slot.kept;
        if (kept) {
            clearTimeout(kept.timer);
            kept.timer = setTimeout(() => {
                if (!slot.busy && slot.kept === kept) {
                    this.forget(slot).catch(() => undefined);
                }
            }, this.keepLayersMs);
            kept.timer.unref();
        }
    }

    /** Drops the layers a thread keeps, with the thread itself, so that their memory is free when the budget gets it back. */
    protected async forget(slot: Slot): Promise<void> {
        const kept = slot.kept;
        if (!kept) {
            return;
        }
        slot.kept = undefined;
        clearTimeout(kept.timer);
        try {
            await this.recycle(slot);
        } finally {
            kept.lease.release();
        }
    }

    async destroy(): Promise<void> {
        this.pressure.dispose();
        const slots = Object.values(this.lanes).flatMap(lane => lane.slots);
        for (const slot of slots) {
            clearTimeout(slot.kept?.timer);
            slot.kept?.lease.release();
            slot.kept = undefined;
        }
        await Promise.all(slots.map(slot => slot.pool.destroy()));
    }
}

function messageOf(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}

/** The compiled worker entry, beside this file or through the package (as the parse pool finds its worker). */
function renderWorkerFile(): string {
    const beside = path.join(__dirname, 'render-worker.js');
    if (fs.existsSync(beside)) {
        return beside;
    }
    return createRequire(__filename).resolve('@imageparser/archive-core/lib/node/media/render-worker.js');
}
