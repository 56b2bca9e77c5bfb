import * as fs from 'fs';
import * as path from 'path';
import { Container } from '@theia/core/shared/inversify';
import { ILogger } from '@theia/core/lib/common/logger';
import { MockLogger } from '@theia/core/lib/common/test/mock-logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DefaultModelManager } from '../../extensions/archive-core/src/node/inference/default-model-manager';
import { ModelManager } from '../../extensions/archive-core/src/node/inference/model-manager';
import { OcrEngine, OcrOutcome } from '../../extensions/archive-core/src/node/inference/ocr/ocr-engine';
import { TesseractOcrEngine } from '../../extensions/archive-core/src/node/inference/ocr/tesseract-ocr-engine';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { assertTestFonts, comparable, editDistance, renderTextImage, TextImage, textImageSet, TextLanguage } from './ocr-text-images';

/**
 * OCR quality on the real model: 30 images with known Korean, English and
 * mixed text, read through the OCR engine (Debian's tessdata, tesseract.js),
 * character error rate printed per language, asserted on the clean set.
 */
describe('OCR quality on real Tesseract data', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let engine: OcrEngine;
    let images: TextImage[];
    let outcomes: OcrOutcome[];

    beforeAll(async () => {
        assertTestFonts();
        temp = makeTempFolder('imageparser-ocr-quality-');
        images = textImageSet();
        const files = await Promise.all(images.map(async image => {
            const file = path.join(temp.folder, `${image.name}.${image.format === 'jpeg' ? 'jpg' : 'png'}`);
            fs.writeFileSync(file, await renderTextImage(image));
            return { file, kind: image.format };
        }));
        const container = new Container();
        container.bind(ILogger).to(MockLogger).inSingletonScope();
        container.bind(ModelManager).to(DefaultModelManager).inSingletonScope();
        container.bind(OcrEngine).to(TesseractOcrEngine).inSingletonScope();
        engine = container.get<OcrEngine>(OcrEngine);
        outcomes = await engine.recognize(files);
    }, 300_000);

    afterAll(async () => {
        await engine?.dispose();
        temp?.remove();
    });

    it('reads every image, with Korean CER at most 5 % and English CER at most 3 % on the clean set', () => {
        expect(images.length).toBeGreaterThanOrEqual(30);
        const totals = new Map<string, { errors: number; chars: number }>();
        const count = (key: string, errors: number, chars: number) => {
            const total = totals.get(key) ?? { errors: 0, chars: 0 };
            totals.set(key, { errors: total.errors + errors, chars: total.chars + chars });
        };
        images.forEach((image, i) => {
            const outcome = outcomes[i];
            expect(outcome.ok, `${image.name}: ${outcome.ok ? '' : outcome.error.message}`).toBe(true);
            const read = outcome.ok ? outcome.lines.map(line => line.text).join('\n') : '';
            const truth = comparable(image.lines.join(''));
            const errors = editDistance(comparable(read), truth);
            count(`${image.language} (all)`, errors, Array.from(truth).length);
            if (image.clean) {
                count(`${image.language} (clean)`, errors, Array.from(truth).length);
            }
            if (errors) {
                console.log(`OCR ${image.name}: expected "${image.lines.join(' / ')}", read "${read.replace(/\n/g, ' / ')}" (${errors} errors)`);
            }
        });
        const cer = (key: string) => {
            const total = totals.get(key)!;
            return total.errors / total.chars;
        };
        for (const language of ['korean', 'english', 'mixed'] as TextLanguage[]) {
            console.log(`OCR character error rate, ${language}: clean ${(cer(`${language} (clean)`) * 100).toFixed(2)} %, `
                + `all ${(cer(`${language} (all)`) * 100).toFixed(2)} % (${totals.get(`${language} (all)`)!.chars} characters)`);
        }
        expect(cer('korean (clean)')).toBeLessThanOrEqual(0.05);
        expect(cer('english (clean)')).toBeLessThanOrEqual(0.03);
    });

    it('reads the image turned by a few degrees', () => {
        const at = images.findIndex(image => image.rotate);
        const outcome = outcomes[at];
        expect(outcome.ok).toBe(true);
        const read = outcome.ok ? outcome.lines.map(line => line.text).join('') : '';
        const truth = comparable(images[at].lines.join(''));
        expect(editDistance(comparable(read), truth) / Array.from(truth).length).toBeLessThanOrEqual(0.2);
    });
});
