import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { collectBands } from './image-bands';
import { compositeLayerBands, readLayeredPsd } from './layer-compositor';
import { DEFAULT_PARSE_LIMITS } from './parse-limits';
import { decodePsd } from './psd-decoder';

const corpus = path.resolve(__dirname, '../../../../shared/corpus/psd');

describe('the PSD decoder', () => {
    it('draws a document without a usable stored composite with the layer compositor itself, so thumbnails and layer renders agree', () => {
        const fromLayers: string[] = [];
        for (const name of (fs.readdirSync(corpus, { recursive: true }) as string[]).filter(file => /\.ps[db]$/i.test(file)).sort()) {
            const bytes = fs.readFileSync(path.join(corpus, name));
            let decoded;
            try {
                decoded = decodePsd(bytes, DEFAULT_PARSE_LIMITS);
            } catch (error) {
                // Only the corpus's broken files fail, and with a reason.
                expect((error as Error).name, name).toBe('ParseError');
                continue;
            }
            if (decoded.compositeFrom !== 'layers') {
                continue;
            }
            fromLayers.push(name);
            const explorer = collectBands(compositeLayerBands(readLayeredPsd(bytes)));
            expect([decoded.composite.width, decoded.composite.height], name).toEqual([explorer.width, explorer.height]);
            expect(Buffer.compare(Buffer.from(decoded.composite.data), Buffer.from(explorer.data)), name).toBe(0);
        }
        // Files saved without "Maximize Compatibility" or with an empty composite: 19 in the corpus.
        expect(fromLayers).toEqual(expect.arrayContaining(['layers-minimal/gradient-fill.psd', 'layers-minimal/shape-layer.psd', 'colormodes/4x4_8bit_rgba.psd']));
        expect(fromLayers.length).toBeGreaterThanOrEqual(19);
    }, 120_000);
});
