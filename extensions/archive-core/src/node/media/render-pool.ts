import * as fs from 'fs';
import * as path from 'path';
import { createRequire } from 'module';
import { Piscina } from 'piscina';
import type { RenderOutcome, RenderTask } from './render-task';

export const RenderPool = Symbol('RenderPool');

/**
 * Runs the viewer's rendering off the main thread: pyramids of full images
 * on one thread, layer composites and layer thumbnails on another (which
 * keeps the last PSD's layers in memory, so toggling is quick). Each thread
 * takes one task at a time, in order; a task whose signal is aborted while
 * it waits is dropped without running (a layer render the user already
 * toggled past), and the time limit counts from when a task starts, not
 * from when it was queued. A task that fails, times out or runs out of
 * memory comes back as an error outcome.
 */
export interface RenderPool {
    run(task: RenderTask, signal?: AbortSignal): Promise<RenderOutcome>;
    destroy(): Promise<void>;
}

export interface RenderPoolOptions {
    readonly timeoutMs?: number;
    readonly memoryMb?: number;
}

type Lane = 'tiles' | 'layers';

export class WorkerThreadRenderPool implements RenderPool {

    protected readonly pools: Record<Lane, Piscina<RenderTask, RenderOutcome>>;
    /** The last task of each lane: the next one starts when it has settled. */
    protected readonly tails: Record<Lane, Promise<unknown>> = { tiles: Promise.resolve(), layers: Promise.resolve() };
    protected readonly timeoutMs: number;

    constructor(options: RenderPoolOptions = {}) {
        this.timeoutMs = options.timeoutMs ?? 120_000;
        const pool = () => new Piscina<RenderTask, RenderOutcome>({
            filename: renderWorkerFile(),
            minThreads: 0,
            maxThreads: 1,
            idleTimeout: 120_000,
            resourceLimits: { maxOldGenerationSizeMb: options.memoryMb ?? 3072 }
        });
        this.pools = { tiles: pool(), layers: pool() };
    }

    run(task: RenderTask, signal?: AbortSignal): Promise<RenderOutcome> {
        const lane: Lane = task.op === 'pyramid' ? 'tiles' : 'layers';
        const result = this.tails[lane].then(() => this.start(lane, task, signal));
        this.tails[lane] = result.catch(() => undefined);
        return result;
    }

    protected async start(lane: Lane, task: RenderTask, signal?: AbortSignal): Promise<RenderOutcome> {
        if (signal?.aborted) {
            return { ok: false, error: { code: 'cancelled', message: 'Nobody waits for this rendering any more.' } };
        }
        const abort = new AbortController();
        const timer = setTimeout(() => abort.abort(), this.timeoutMs);
        const cancel = () => abort.abort();
        signal?.addEventListener('abort', cancel);
        try {
            return await this.pools[lane].run(task, { signal: abort.signal });
        } catch (error) {
            if (signal?.aborted) {
                return { ok: false, error: { code: 'cancelled', message: 'Nobody waits for this rendering any more.' } };
            }
            if (abort.signal.aborted) {
                return { ok: false, error: { code: 'timeout', message: `Rendering took longer than ${Math.round(this.timeoutMs / 1000)} s and was stopped.` } };
            }
            return { ok: false, error: { code: 'crashed', message: `Rendering stopped: ${error instanceof Error ? error.message : String(error)}` } };
        } finally {
            clearTimeout(timer);
            signal?.removeEventListener('abort', cancel);
        }
    }

    async destroy(): Promise<void> {
        await Promise.all(Object.values(this.pools).map(pool => pool.destroy()));
    }
}

/** The compiled worker entry, beside this file or through the package (as the parse pool finds its worker). */
function renderWorkerFile(): string {
    const beside = path.join(__dirname, 'render-worker.js');
    if (fs.existsSync(beside)) {
        return beside;
    }
    return createRequire(__filename).resolve('@imageparser/archive-core/lib/node/media/render-worker.js');
}
