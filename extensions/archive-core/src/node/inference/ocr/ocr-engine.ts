import type { JobError, ModelState } from '../../../common/job-protocol';
import type { OcrLine } from './tesseract-workers';

/** One image to read: a file of the archive and its kind (`psd`, `psb`, `png`, `jpeg`). */
export interface OcrRequest {
    readonly file: string;
    readonly kind: string;
}

/** What reading one image gave: its lines, or a failure with a code (retryable when it may pass: a crash, a timeout, memory). */
export type OcrOutcome =
    | {
        readonly ok: true;
        readonly lines: readonly OcrLine[];
        /** The size Tesseract read the image at, and the image's own size (smaller when it was scaled down). */
        readonly readSize: { readonly width: number; readonly height: number };
        readonly sourceSize: { readonly width: number; readonly height: number };
    }
    | { readonly ok: false; readonly error: JobError; readonly retryable: boolean };

export const OcrEngine = Symbol('OcrEngine');

/**
 * Reads Korean and English text in flattened images (PNG, JPEG, a PSD's
 * composite) with Tesseract, from language data installed on the system;
 * nothing is ever downloaded. The model lives under the {@link ModelManager}:
 * loaded on first use, unloaded when idle. One outcome per request, in order;
 * a bad image fails alone, and a crashed OCR thread never takes the backend down.
 */
export interface OcrEngine {
    /** The model id results are keyed by. */
    readonly modelId: string;
    /** Whether the language data is installed. */
    isAvailable(): boolean;
    readonly state: ModelState;
    recognize(requests: readonly OcrRequest[]): Promise<OcrOutcome[]>;
    dispose(): Promise<void>;
}
