import * as fs from 'fs';
import * as path from 'path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nls } from '@theia/core/lib/common/nls';
import { PSD_COLOR_MODES } from '@imageparser/psd';
import { AssetLabels } from './asset-labels';

// Every blend mode name ag-psd reads from a PSD.
const { toBlendMode } = require('ag-psd/dist/helpers') as { toBlendMode: Record<string, string> };

const HANGUL = /[\uac00-\ud7a3]/;
/** Colour models whose names stay in Latin letters in Korean Photoshop too. */
const LATIN_NAMES = new Set(['RGB', 'CMYK', 'Lab', 'sRGB']);

/** The archive's values (kept as English codes by the backend) as the Korean UI names them: browser labels checked against the node side's lists. */
describe('AssetLabels in Korean', () => {
    beforeEach(() => {
        const translations = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../locales/ko-KR.json'), 'utf8'));
        nls.localization = { languageId: 'ko', translations };
    });
    afterEach(() => {
        nls.localization = undefined;
    });

    it('names every blend mode a PSD can hold as Korean Photoshop does', () => {
        const modes = [...new Set(Object.values(toBlendMode))];
        expect(modes.length).toBeGreaterThan(25);
        expect(modes.filter(mode => !HANGUL.test(AssetLabels.blendMode(mode)))).toEqual([]);
        expect(AssetLabels.blendMode('multiply')).toBe('곱하기');
    });

    it('names every layer kind, PSD colour mode, file state, phase state and parse error', () => {
        for (const kind of ['pixel', 'text', 'group', 'adjustment', 'smart-object', 'shape']) {
            expect(AssetLabels.layerKind(kind), kind).toMatch(HANGUL);
        }
        for (const mode of [...Object.values(PSD_COLOR_MODES), 'srgb', 'b-w', 'unknown']) {
            const label = AssetLabels.colorMode(mode);
            expect(HANGUL.test(label) || LATIN_NAMES.has(label), `${mode}: ${label}`).toBe(true);
        }
        for (const state of ['pending', 'indexed', 'failed', 'missing']) {
            expect(AssetLabels.fileState(state), state).toMatch(HANGUL);
        }
        for (const state of ['pending', 'running', 'done', 'failed']) {
            expect(AssetLabels.phaseState(state), state).toMatch(HANGUL);
        }
        for (const code of ['empty', 'unsupported-format', 'truncated', 'corrupt', 'too-large', 'timeout', 'out-of-memory', 'unreadable']) {
            expect(AssetLabels.parseError(code), code).toMatch(HANGUL);
        }
        expect(AssetLabels.layerKind('smart-object')).toBe('고급 개체');
        expect(AssetLabels.fileState('missing')).toBe('누락');
    });

    it('shows a value it does not know as it came', () => {
        expect(AssetLabels.layerKind('hologram')).toBe('hologram');
        expect(AssetLabels.blendMode('sparkle')).toBe('sparkle');
    });
});
