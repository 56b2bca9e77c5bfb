/**
 * The entry point of an OCR image thread: decodes and flattens one image for
 * Tesseract, so a huge or hostile file costs at most this thread (which the
 * pool replaces), never the backend.
 */
import { OcrImageOutcome, OcrImageTask, prepareOcrImage } from './ocr-image';

export default function run(task: OcrImageTask): Promise<OcrImageOutcome> {
    return prepareOcrImage(task);
}
