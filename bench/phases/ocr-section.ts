import { runOcrBenchSection } from '../ocr-bench-section';
import { PhasesBenchSection } from './bench-section';

/**
 * OCR images/s through the OCR phase (process and store) against Debian's
 * `tesseract` command line on the same images, one thread or process per
 * core on both sides (`--images N`, default 120).
 */
export const ocrSection: PhasesBenchSection = {
    id: 'ocr',
    async run(context) {
        const result = await runOcrBenchSection({
            images: Number(context.option('images', '120')),
            threads: context.processes,
            data: context.data,
            log: line => context.log(line)
        });
        return [{
            name: 'OCR through the phase vs tesseract CLI',
            unit: 'images',
            ours: { name: `phase, ${result.threads} threads`, count: result.images, seconds: result.oursSeconds },
            baseline: { name: `tesseract CLI, ${result.threads} processes`, count: result.images, seconds: result.cliSeconds },
            target: 1.0
        }];
    }
};
