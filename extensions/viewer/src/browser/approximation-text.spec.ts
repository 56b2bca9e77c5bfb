import * as fs from 'fs';
import * as path from 'path';
import { afterEach, describe, expect, it } from 'vitest';
import { nls } from '@theia/core/lib/common/nls';
import type { RenderNote, RenderNoteCode } from '@imageparser/archive-core/lib/common/media-protocol';
import { approximationText } from './approximation-text';

function displayLanguage(language: 'ko' | undefined): void {
    (nls as { locale: string | undefined }).locale = language;
    nls.localization = language
        ? { languageId: language, translations: JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../locales/ko-KR.json'), 'utf8')) }
        : undefined;
}

/** Every code the compositor sends (a new one fails to compile in approximation-text.ts until it is worded). */
const CODES: readonly RenderNoteCode[] = [
    'blendModeApproximated', 'adjustmentsNotApplied', 'effectsNotDrawn', 'vectorMasksNotApplied', 'strokesNotDrawn', 'layersWithoutPixels',
    'textFromStoredPixels', 'smartObjectsFromStoredPixels', 'featherNotApplied', 'blendIfNotApplied', 'knockoutNotApplied'
];

describe('layer render notes', () => {
    afterEach(() => displayLanguage(undefined));

    it('are worded from their code and parameters, with the blend mode named as Photoshop names it', () => {
        expect(approximationText({ code: 'blendModeApproximated', params: { mode: 'hard mix' } })).toBe('Blend mode “Hard Mix” is drawn as normal.');
        expect(approximationText({ code: 'adjustmentsNotApplied' })).toBe('Adjustment layers are not applied.');
        displayLanguage('ko');
        expect(approximationText({ code: 'blendModeApproximated', params: { mode: 'dissolve' } })).toMatch(/^혼합 모드 “.+”은\(는\) 표준으로 그립니다\.$/);
        expect(approximationText({ code: 'blendModeApproximated', params: { mode: 'dissolve' } })).not.toContain('dissolve');
    });

    it('have an English and a different Korean text for every code, none shown as its bare code', () => {
        const english = CODES.map(code => approximationText({ code, params: { mode: 'dissolve' } }));
        displayLanguage('ko');
        const korean = CODES.map(code => approximationText({ code, params: { mode: 'dissolve' } }));
        CODES.forEach((code, i) => {
            expect(english[i], code).not.toContain(code);
            expect(korean[i], code).toMatch(/[가-힣]/);
            expect(korean[i], code).not.toBe(english[i]);
        });
        expect(new Set(english).size).toBe(CODES.length);
    });

    it('name a code this viewer does not know (from a newer backend) rather than failing', () => {
        const note = { code: 'somethingNew' } as unknown as RenderNote;
        expect(approximationText(note)).toBe('Something is drawn approximately (somethingNew).');
    });
});
