import type { Worker as NodeWorker } from 'worker_threads';
import { createWorker, OEM, PSM, Worker as TesseractWorker } from 'tesseract.js';
import { ModelCrashError } from '../model-manager';
import { OCR_LANGUAGES } from './ocr-language-data';
import { ocrWorkerFile } from './ocr-worker-files';

/** One line of text Tesseract read, with its confidence (0..100). */
export interface OcrLine {
    readonly text: string;
    readonly confidence: number;
}

/** Tesseract refused an image (it could not read it); the image's own failure, not the model's. */
export class OcrImageRejected extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'OcrImageRejected';
    }
}

export interface TesseractWorkersOptions {
    /** The tessdata folder (`langPath`): language data is read from it, never downloaded. */
    readonly folder: string;
    /** Worker threads, each with its own copy of the model. */
    readonly threads: number;
    /** How long one image may take before its thread is stopped. */
    readonly timeoutMs: number;
    /** How long loading one thread (the engine and both languages) may take. */
    readonly loadTimeoutMs?: number;
}

/** The options every Tesseract thread starts with: the system tessdata, no gzip, no cache written, the network switched off in the thread. */
export function tesseractWorkerOptions(folder: string, errorHandler: (error: unknown) => void): Partial<import('tesseract.js').WorkerOptions> {
    return {
        langPath: folder,
        gzip: false,
        cacheMethod: 'none',
        workerPath: ocrWorkerFile('ocr-tesseract-worker.js'),
        errorHandler,
        logger: () => undefined
    };
}

interface Thread {
    readonly worker: TesseractWorker;
    readonly thread: NodeWorker;
    /** Rejects with a {@link ModelCrashError} when the thread exits or throws. */
    readonly death: Promise<never>;
    dead: boolean;
}

/**
 * The OCR model in memory: tesseract.js workers, one thread each, reading
 * Korean and English. Each image goes to an idle thread. A thread that dies
 * (killed, crashed, out of memory in its WebAssembly heap) or takes longer
 * than the time limit fails the images it held with a {@link ModelCrashError}:
 * the model manager then unloads this instance and retries on a fresh one.
 */
export class TesseractWorkers {

    protected readonly idle: Thread[] = [];
    protected readonly waiting: ((thread: Thread) => void)[] = [];

    protected constructor(protected readonly threadList: readonly Thread[], protected readonly timeoutMs: number) {
        this.idle.push(...threadList);
    }

    /** Starts every thread and loads the languages into each. */
    static async load(options: TesseractWorkersOptions): Promise<TesseractWorkers> {
        const started = await Promise.allSettled(Array.from({ length: Math.max(1, options.threads) }, () => startThread(options)));
        const threads = started.filter(result => result.status === 'fulfilled').map(result => (result as PromiseFulfilledResult<Thread>).value);
        const failure = started.find(result => result.status === 'rejected') as PromiseRejectedResult | undefined;
        if (failure) {
            await Promise.all(threads.map(thread => thread.worker.terminate()));
            throw failure.reason;
        }
        return new TesseractWorkers(threads, options.timeoutMs);
    }

    /** The threads, for watching them (and, in tests, killing one). */
    get threads(): readonly NodeWorker[] {
        return this.threadList.map(thread => thread.thread);
    }

    /** Reads the lines of a binary PGM image. */
    async recognize(pgm: Uint8Array): Promise<OcrLine[]> {
        const thread = await this.take();
        let timer: NodeJS.Timeout | undefined;
        try {
            const timeout = new Promise<never>((_, reject) => {
                timer = setTimeout(() => {
                    reject(new ModelCrashError(`Reading the image took longer than ${Math.round(this.timeoutMs / 1000)} s; its OCR thread was stopped.`, 'timeout'));
                    thread.thread.terminate();
                }, this.timeoutMs);
            });
            const reading = thread.worker.recognize(Buffer.from(pgm.buffer, pgm.byteOffset, pgm.byteLength), {}, { text: false, blocks: true });
            const result = await Promise.race([reading, thread.death, timeout]).catch(error => {
                throw classify(error);
            });
            return linesOf(result.data.blocks);
        } finally {
            clearTimeout(timer);
            this.give(thread);
        }
    }

    async terminate(): Promise<void> {
        await Promise.all(this.threadList.map(thread => thread.dead ? undefined : thread.thread.terminate()));
        for (const waiter of this.waiting.splice(0)) {
            waiter(this.threadList[0]);
        }
    }

    protected take(): Promise<Thread> {
        const alive = this.threadList.filter(thread => !thread.dead);
        if (!alive.length) {
            return Promise.reject(new ModelCrashError('Every OCR thread has stopped.'));
        }
        const thread = this.idle.shift();
        return thread ? Promise.resolve(thread) : new Promise(resolve => this.waiting.push(resolve));
    }

    protected give(thread: Thread): void {
        if (thread.dead) {
            // A dead thread's waiters fail on it at once, and the manager reloads.
            this.waiting.shift()?.(thread);
            return;
        }
        const next = this.waiting.shift();
        if (next) {
            next(thread);
        } else {
            this.idle.push(thread);
        }
    }
}

async function startThread(options: TesseractWorkersOptions): Promise<Thread> {
    let loadFailed: (error: Error) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => loadFailed = reject);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Loading the OCR model took longer than ${Math.round((options.loadTimeoutMs ?? 120_000) / 1000)} s.`)),
            options.loadTimeoutMs ?? 120_000);
    });
    try {
        // Errors of later jobs reach this handler too; the job's own promise reports them, so only a load failure matters here.
        const worker = await Promise.race([
            createWorker([...OCR_LANGUAGES], OEM.LSTM_ONLY, tesseractWorkerOptions(options.folder, error => loadFailed(new Error(`The OCR model did not load: ${String(error)}`)))),
            failed, timedOut
        ]);
        // One block of text: Tesseract's automatic layout analysis splits Korean lines into columns (about 40 % character errors
        // on the quality test's Korean images, against 2 % as one block).
        await worker.setParameters({ tessedit_pageseg_mode: PSM.SINGLE_BLOCK });
        const thread = (worker as unknown as { worker: NodeWorker }).worker;
        const entry: Thread = {
            worker, thread, dead: false,
            death: new Promise<never>((_, reject) => {
                thread.once('error', error => {
                    entry.dead = true;
                    reject(new ModelCrashError(`The OCR thread failed: ${error.message}`, /out of memory/i.test(error.message) ? 'out-of-memory' : 'worker-crashed'));
                });
                thread.once('exit', code => {
                    entry.dead = true;
                    reject(new ModelCrashError(`The OCR thread stopped (exit code ${code}).`));
                });
            })
        };
        entry.death.catch(() => undefined);
        return entry;
    } finally {
        clearTimeout(timer);
    }
}

/** A WebAssembly abort leaves the engine unusable: a crash; anything else Tesseract says is about the image. */
function classify(error: unknown): Error {
    if (error instanceof ModelCrashError) {
        return error;
    }
    const message = error instanceof Error ? error.message : String(error);
    if (/Aborted|RuntimeError|unreachable|out of bounds|OOM|out of memory/i.test(message)) {
        return new ModelCrashError(`The OCR engine failed: ${message}`, /OOM|memory/i.test(message) ? 'out-of-memory' : 'worker-crashed');
    }
    return new OcrImageRejected(message);
}

function linesOf(blocks: import('tesseract.js').Block[] | null): OcrLine[] {
    return (blocks ?? []).flatMap(block => block.paragraphs.flatMap(paragraph => paragraph.lines))
        .map(line => ({ text: line.text.trim(), confidence: line.confidence }))
        .filter(line => line.text.length > 0);
}
