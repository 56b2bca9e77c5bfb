import * as os from 'os';
import { Piscina } from 'piscina';
import { DEFAULT_PARSE_LIMITS, ParseLimits } from '@imageparser/psd';
import { estimateDecodeBytes } from '../../memory/decode-estimate';
import { MemoryBudget, MemoryLease } from '../../memory/memory-budget';
import { processMemoryBudget } from '../../memory/process-memory-budget';
import type { OcrImageOutcome, OcrImageTask } from './ocr-image';
import { ocrWorkerFile } from './ocr-worker-files';

export interface OcrImagePoolOptions {
    /** Threads decoding images; half the cores by default. */
    readonly threads?: number;
    readonly timeoutMs?: number;
    /** Heap cap of each thread, in MiB. */
    readonly memoryMb?: number;
    readonly limits?: ParseLimits;
    readonly budget?: MemoryBudget;
}

/**
 * Decodes and flattens images for OCR off the main thread. Each image's
 * decode memory is estimated from its header and acquired from the
 * process-wide memory budget first (as the parse threads do); an image that
 * times out, runs out of memory or kills its thread comes back as that
 * image's failure, and the pool replaces the thread.
 */
export class OcrImagePool {

    protected readonly pool: Piscina<OcrImageTask, OcrImageOutcome>;
    protected readonly timeoutMs: number;
    protected readonly limits: ParseLimits;
    protected readonly budget: MemoryBudget;

    constructor(options: OcrImagePoolOptions = {}) {
        this.timeoutMs = options.timeoutMs ?? 120_000;
        this.limits = options.limits ?? DEFAULT_PARSE_LIMITS;
        this.budget = options.budget ?? processMemoryBudget();
        this.pool = new Piscina({
            filename: ocrWorkerFile('ocr-image-worker.js'),
            minThreads: 0,
            maxThreads: Math.max(1, options.threads ?? Math.ceil(os.availableParallelism() / 2)),
            idleTimeout: 30_000,
            resourceLimits: { maxOldGenerationSizeMb: options.memoryMb ?? 1536 }
        });
    }

    async prepare(file: string, kind: string): Promise<OcrImageOutcome> {
        const estimate = await estimateDecodeBytes(file, kind, { op: 'parse' });
        let lease: MemoryLease;
        try {
            lease = await this.budget.acquire(estimate.bytes, 'background');
        } catch (error) {
            return { ok: false, error: { code: 'too-large', message: error instanceof Error ? error.message : String(error) } };
        }
        const abort = new AbortController();
        const timer = setTimeout(() => abort.abort(), this.timeoutMs);
        try {
            return await this.pool.run({ file, kind, limits: this.limits }, { signal: abort.signal });
        } catch (error) {
            if (abort.signal.aborted) {
                return { ok: false, error: { code: 'timeout', message: `Decoding the image for OCR took longer than ${Math.round(this.timeoutMs / 1000)} s and was stopped.` } };
            }
            const message = error instanceof Error ? error.message : String(error);
            if ((error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY' || /out of memory|heap limit/i.test(message)) {
                return { ok: false, error: { code: 'out-of-memory', message: 'Decoding the image for OCR needed more memory than an OCR image thread may use.' } };
            }
            return { ok: false, error: { code: 'corrupt', message: `The OCR image thread failed on this file: ${message}` } };
        } finally {
            clearTimeout(timer);
            lease.release();
        }
    }

    async destroy(): Promise<void> {
        await this.pool.destroy();
    }
}
