import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createRequire } from 'module';
import { Piscina } from 'piscina';
import { DEFAULT_PARSE_LIMITS, ParseLimits } from '@imageparser/psd';
import { ParseOutcome } from './parse-result';
import type { HashOutcome, ParseTask } from './parse-worker';
import { estimateDecodeBytes } from '../memory/decode-estimate';
import { MemoryBudget, MemoryLease } from '../memory/memory-budget';
import { processMemoryBudget } from '../memory/process-memory-budget';
import { systemFailureOf } from './ingest-failures';

export interface ParsePoolOptions {
    /** Worker threads; the number of cores by default. */
    readonly threads?: number;
    /** How long one file may take before its thread is stopped. */
    readonly timeoutMs?: number;
    /** Heap cap of each worker thread, in MiB. */
    readonly memoryMb?: number;
    readonly limits?: ParseLimits;
    /** The process-wide memory budget every parse acquires its estimated decode memory from; shared with the render lanes. */
    readonly budget?: MemoryBudget;
}

export const ParsePool = Symbol('ParsePool');

/**
 * Runs hashing and parsing off the main thread. Before a file is handed to
 * a thread, its decode memory is estimated from its header and acquired
 * from the process-wide {@link MemoryBudget} (released when the task
 * settles), so many threads never decode more than the budget together. A
 * task that times out, runs out of memory or kills its thread comes back as
 * a per-file error; the pool replaces the thread and carries on.
 */
export interface ParsePool {
    readonly threads: number;
    hash(file: string): Promise<HashOutcome>;
    /** With `withHash`, the file is read once and its content hash comes back with the result. */
    parse(file: string, withHash?: boolean): Promise<ParseOutcome>;
    destroy(): Promise<void>;
}

export class WorkerThreadParsePool implements ParsePool {

    readonly threads: number;
    protected readonly pool: Piscina<ParseTask, HashOutcome | ParseOutcome>;
    protected readonly timeoutMs: number;
    protected readonly limits: ParseLimits;
    protected readonly budget: MemoryBudget;

    constructor(options: ParsePoolOptions = {}) {
        this.threads = Math.max(1, options.threads ?? os.availableParallelism());
        this.timeoutMs = options.timeoutMs ?? 120_000;
        this.limits = options.limits ?? DEFAULT_PARSE_LIMITS;
        this.budget = options.budget ?? processMemoryBudget();
        this.pool = new Piscina({
            filename: parseWorkerFile(),
            minThreads: 0,
            maxThreads: this.threads,
            idleTimeout: 30_000,
            resourceLimits: { maxOldGenerationSizeMb: options.memoryMb ?? 1536 }
        });
    }

    hash(file: string): Promise<HashOutcome> {
        return this.run({ op: 'hash', file }) as Promise<HashOutcome>;
    }

    async parse(file: string, withHash = false): Promise<ParseOutcome> {
        const estimate = await estimateDecodeBytes(file, kindOf(file), { op: 'parse', withHash });
        let lease: MemoryLease;
        try {
            lease = await this.budget.acquire(estimate.bytes, 'background');
        } catch (error) {
            return { ok: false, error: { code: 'too-large', message: error instanceof Error ? error.message : String(error) } };
        }
        try {
            return await this.run({ op: 'parse', file, limits: this.limits, withHash }) as ParseOutcome;
        } finally {
            lease.release();
        }
    }

    /** Runs a task; its time limit counts from here, after any wait for memory. */
    protected async run(task: ParseTask): Promise<HashOutcome | ParseOutcome> {
        const abort = new AbortController();
        const timer = setTimeout(() => abort.abort(), this.timeoutMs);
        try {
            return await this.pool.run(task, { signal: abort.signal });
        } catch (error) {
            if (abort.signal.aborted) {
                return { ok: false, error: { code: 'timeout', message: `Reading the file took longer than ${Math.round(this.timeoutMs / 1000)} s and was stopped.` } } as ParseOutcome;
            }
            const code = (error as NodeJS.ErrnoException).code;
            const message = error instanceof Error ? error.message : String(error);
            if (code === 'ERR_WORKER_OUT_OF_MEMORY' || /out of memory|heap limit/i.test(message)) {
                return { ok: false, error: { code: 'out-of-memory', message: 'Reading the file needed more memory than a parse worker may use.' } } as ParseOutcome;
            }
            // A thread that could not start (too many open files, no memory) says nothing about the file: the next run tries it again.
            const system = systemFailureOf(error);
            if (system) {
                return { ok: false, error: system };
            }
            return { ok: false, error: { code: 'corrupt', message: `The parse worker failed on this file: ${message}` } } as ParseOutcome;
        } finally {
            clearTimeout(timer);
        }
    }

    async destroy(): Promise<void> {
        await this.pool.destroy();
    }
}

function kindOf(file: string): string {
    const extension = path.extname(file).slice(1).toLowerCase();
    return extension === 'psb' || extension === 'psd' || extension === 'png' ? extension : 'jpeg';
}

/**
 * The compiled worker entry. It runs unbundled from the package's `lib`,
 * beside this file when this file is compiled, through the package otherwise
 * (from TypeScript sources in tests, or from an app's backend bundle).
 */
function parseWorkerFile(): string {
    const beside = path.join(__dirname, 'parse-worker.js');
    if (fs.existsSync(beside)) {
        return beside;
    }
    return createRequire(__filename).resolve('@imageparser/archive-core/lib/node/ingest/parse-worker.js');
}
