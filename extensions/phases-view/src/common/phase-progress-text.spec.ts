import * as fs from 'fs';
import * as path from 'path';
import { afterEach, describe, expect, it } from 'vitest';
import { nls } from '@theia/core/lib/common/nls';
import { formatPercent, formatRate, formatSeconds, imagesLeftText, modelStateText, wholePercent } from './phase-progress-text';
import { phaseFailureReason } from './phase-failure-reasons';

function displayLanguage(language: 'ko' | undefined): void {
    (nls as { locale: string | undefined }).locale = language;
    nls.localization = language
        ? { languageId: language, translations: JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../locales/ko-KR.json'), 'utf8')) }
        : undefined;
}

describe('phase progress text', () => {
    afterEach(() => displayLanguage(undefined));

    it('turns a fraction 0..1 into a whole percent, rounded down so unfinished work never reads 100%', () => {
        expect(formatPercent(0)).toBe('0%');
        expect(formatPercent(0.425)).toBe('42%');
        expect(formatPercent(0.999)).toBe('99%');
        expect(formatPercent(1)).toBe('100%');
        expect(wholePercent(0.425)).toBe(42);
    });

    it('refuses a percent where a fraction belongs, so a unit mix-up shows instead of "4200%"', () => {
        expect(() => formatPercent(42)).toThrow(RangeError);
        expect(() => formatPercent(-0.1)).toThrow('fraction 0..1');
        expect(() => formatPercent(Number.NaN)).toThrow(RangeError);
        expect(() => wholePercent(100)).toThrow(RangeError);
    });

    it('words rates, time left and counts in English and Korean', () => {
        expect(formatRate(2.5)).toBe('2.5 per second');
        expect(formatRate(0.05)).toBe('3 per minute');
        expect(formatRate(1234)).toBe('1,234 per second');
        expect(formatSeconds(125)).toBe('2m 5s');
        expect(imagesLeftText(1)).toBe('1 image left');
        expect(imagesLeftText(1200)).toBe('1,200 images left');

        displayLanguage('ko');
        expect(formatPercent(0.42)).toBe('42%');
        expect(formatRate(2.5)).toBe('초당 2.5개');
        expect(formatRate(0.05)).toBe('분당 3개');
        expect(formatSeconds(125)).toBe('2분 5초');
        expect(imagesLeftText(1)).toBe('이미지 1개 남음');
    });

    it('words the model states, and nothing for a phase without a model', () => {
        expect(['loaded', 'loading', 'unloaded', 'missing', 'none'].map(state => modelStateText(state as 'loaded')))
            .toEqual(['Loaded', 'Loading…', 'Not in memory (loads when needed)', 'Missing: its files are not installed', '']);
        displayLanguage('ko');
        expect(modelStateText('missing')).toBe('누락: 파일이 설치되지 않았습니다');
    });

    it('words failure codes, and names an unknown code as it is', () => {
        expect(phaseFailureReason('out-of-memory')).toBe('Needs more memory than is free');
        expect(phaseFailureReason('gpu-on-fire')).toBe('Failed (gpu-on-fire)');
        displayLanguage('ko');
        expect(phaseFailureReason('corrupt')).toBe('손상된 이미지: 디코딩할 수 없습니다');
        expect(phaseFailureReason('gpu-on-fire')).toBe('실패 (gpu-on-fire)');
    });
});
