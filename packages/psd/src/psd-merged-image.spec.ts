import * as fs from 'fs';
import * as path from 'path';
import { initializeCanvas, readPsd } from 'ag-psd';
import { describe, expect, it } from 'vitest';
import { readPsdHeader } from './psd-header';
import { readMergedRgb8 } from './psd-merged-image';

const corpus = path.resolve(__dirname, '../../../../shared/corpus/psd');

function psdFiles(folder: string): string[] {
    return (fs.readdirSync(folder, { recursive: true }) as string[])
        .filter(name => /\.psd$/i.test(name))
        .map(name => path.join(folder, name));
}

describe('the fast 8-bit RGB composite reader', () => {
    it('decodes every 8-bit RGB composite of the corpus as ag-psd does, white matte removed alike', () => {
        initializeCanvas(() => { throw new Error('no canvas'); },
            (width, height) => ({ width, height, data: new Uint8ClampedArray(width * height * 4), colorSpace: 'srgb' }) as ImageData);
        let compared = 0;
        for (const file of psdFiles(corpus)) {
            const bytes = fs.readFileSync(file);
            let header;
            try {
                header = readPsdHeader(bytes);
            } catch {
                continue;
            }
            let expected;
            try {
                expected = readPsd(bytes, { useImageData: true, skipLayerImageData: true, skipThumbnail: true }).imageData;
            } catch {
                continue;
            }
            let merged;
            try {
                merged = readMergedRgb8(bytes, header);
            } catch {
                continue;
            }
            if (!merged || !expected || header.channels > 4) {
                continue;
            }
            compared++;
            let worst = 0;
            let alphaMismatches = 0;
            const stride = merged.channels ?? 4;
            for (let pixel = 0; pixel < merged.width * merged.height; pixel++) {
                const alpha = stride === 4 ? merged.data[pixel * 4 + 3] : 255;
                if (expected.data[pixel * 4 + 3] !== alpha) {
                    alphaMismatches++;
                }
                if (alpha === 0) {
                    continue;
                }
                for (let c = 0; c < 3; c++) {
                    worst = Math.max(worst, Math.abs(expected.data[pixel * 4 + c] - merged.data[pixel * stride + c]));
                }
            }
            expect(alphaMismatches, path.relative(corpus, file)).toBe(0);
            // ag-psd truncates where we round when removing the matte.
            expect(worst, path.relative(corpus, file)).toBeLessThanOrEqual(1);
        }
        expect(compared).toBeGreaterThan(20);
    });
});
