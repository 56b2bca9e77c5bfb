import * as fs from 'fs';
import * as path from 'path';
import { createRequire } from 'module';

/**
 * A compiled worker entry of this folder. It runs unbundled from the
 * package's `lib`: beside this file when this file is compiled, through the
 * package otherwise (from TypeScript sources in tests, or from an app's
 * backend bundle).
 */
export function ocrWorkerFile(name: 'ocr-image-worker.js' | 'ocr-tesseract-worker.js'): string {
    const beside = path.join(__dirname, name);
    if (fs.existsSync(beside)) {
        return beside;
    }
    return createRequire(__filename).resolve(`@imageparser/archive-core/lib/node/inference/ocr/${name}`);
}
