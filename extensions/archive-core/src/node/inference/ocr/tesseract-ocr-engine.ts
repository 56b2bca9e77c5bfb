import * as os from 'os';
import { inject, injectable, optional, postConstruct } from '@theia/core/shared/inversify';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import type { ModelState } from '../../../common/job-protocol';
import { isRetryableFailure } from '../../ingest/ingest-failures';
import { MemoryBudget } from '../../memory/memory-budget';
import { ManagedModel, ModelCrashError, ModelManager } from '../model-manager';
import { OcrEngine, OcrOutcome, OcrRequest } from './ocr-engine';
import { OcrImagePool } from './ocr-image-pool';
import { hasLanguageData, OCR_MODEL_ID, tessdataFolder } from './ocr-language-data';
import { OcrImageRejected, TesseractWorkers } from './tesseract-workers';

/** The environment variable that sets how many OCR threads read at once (one per core by default). */
export const OCR_THREADS_ENV = 'IMAGEPARSER_OCR_THREADS';

/** What one image in flight holds beside the model: its grey pixels at the cap, and Tesseract's working copies of them. */
const BYTES_PER_IMAGE = 96 << 20;

/**
 * The OCR engine on tesseract.js: images are decoded and flattened in a
 * thread pool of their own, then read by Tesseract threads (one per core),
 * loaded and unloaded by the model manager. A corrupt or too large image
 * fails alone with its code; a thread that dies or hangs makes the manager
 * reload the model and retry with smaller batches, and an image that still
 * fails alone comes back as a retryable `worker-crashed` (or `timeout`,
 * `out-of-memory`) failure.
 */
@injectable()
export class TesseractOcrEngine implements OcrEngine, BackendApplicationContribution {

    @inject(ModelManager)
    protected readonly models: ModelManager;

    @inject(MemoryBudget) @optional()
    protected readonly budget?: MemoryBudget;

    readonly modelId = OCR_MODEL_ID;
    protected model: ManagedModel<TesseractWorkers>;
    protected images: OcrImagePool | undefined;
    protected readonly threads = Math.max(1, Number(process.env[OCR_THREADS_ENV]) || os.availableParallelism());
    protected readonly timeoutMs = 120_000;

    @postConstruct()
    protected init(): void {
        this.model = this.models.register<TesseractWorkers>({
            id: this.modelId,
            isAvailable: () => this.isAvailable(),
            load: () => this.loadWorkers(),
            unload: workers => workers.terminate(),
            bytesPerItem: BYTES_PER_IMAGE,
            maxBatch: this.threads * 2
        });
    }

    /** Starts the Tesseract threads with the system's language data. */
    protected loadWorkers(): Promise<TesseractWorkers> {
        return TesseractWorkers.load({ folder: tessdataFolder(), threads: this.threads, timeoutMs: this.timeoutMs });
    }

    isAvailable(): boolean {
        return hasLanguageData(tessdataFolder());
    }

    get state(): ModelState {
        return this.model.state;
    }

    async recognize(requests: readonly OcrRequest[]): Promise<OcrOutcome[]> {
        if (!this.isAvailable()) {
            return requests.map(() => ({
                ok: false, retryable: true,
                error: { code: 'model-missing', message: `Tesseract's Korean and English language data is not in ${tessdataFolder()}.` }
            }));
        }
        return this.model.run<OcrRequest, OcrOutcome>(requests, (workers, batch) => Promise.all(batch.map(request => this.read(workers, request))),
            (error: ModelCrashError) => ({ ok: false, retryable: true, error: { code: error.code, message: error.message } }));
    }

    /** One image: decoded in the image pool, read by a Tesseract thread. A thread's death propagates, for the manager to retry. */
    protected async read(workers: TesseractWorkers, request: OcrRequest): Promise<OcrOutcome> {
        const prepared = await this.imagePool().prepare(request.file, request.kind);
        if (!prepared.ok) {
            return { ok: false, error: prepared.error, retryable: isRetryableFailure(prepared.error.code) };
        }
        try {
            const lines = await workers.recognize(prepared.pgm);
            return {
                ok: true, lines,
                readSize: { width: prepared.width, height: prepared.height },
                sourceSize: { width: prepared.sourceWidth, height: prepared.sourceHeight }
            };
        } catch (error) {
            if (error instanceof OcrImageRejected) {
                return { ok: false, retryable: false, error: { code: 'corrupt', message: `Tesseract could not read the image: ${error.message}` } };
            }
            throw error;
        }
    }

    protected imagePool(): OcrImagePool {
        this.images ??= new OcrImagePool({ budget: this.budget, timeoutMs: this.timeoutMs });
        return this.images;
    }

    /** The backend stops: the OCR threads end with it. */
    onStop(): void {
        this.dispose();
    }

    async dispose(): Promise<void> {
        await this.model.unload();
        await this.images?.destroy();
        this.images = undefined;
    }
}
