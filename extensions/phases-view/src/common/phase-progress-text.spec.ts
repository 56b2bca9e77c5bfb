import * as fs from 'fs';
import * as path from 'path';
import { afterEach, describe, expect, it } from 'vitest';
import { nls } from '@theia/core/lib/common/nls';
import type { PhaseProgress } from '@imageparser/archive-core/lib/common/job-protocol';
import { formatPercent, formatRate, formatSeconds, imagesLeftText, isWorking, modelStateText, phaseName, providerHealthText, wholePercent } from './phase-progress-text';
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

    it('words a provider that is down, wrongly set up or not set up, in English and Korean, and nothing while it is ready', () => {
        expect(providerHealthText({ state: 'down', code: 'endpoint-down', message: 'http://127.0.0.1:11434/v1 refused', retryAt: 1 }))
            .toBe('Not answering: its images wait until it is back');
        expect(providerHealthText({ state: 'invalid', code: 'endpoint-invalid' })).toBe('Settings need fixing: its images wait');
        expect(providerHealthText({ state: 'not-configured' })).toBe('Not set up: choose a model in Settings');
        expect(providerHealthText({ state: 'ready' })).toBe('');
        expect(providerHealthText(undefined)).toBe('');
        expect(phaseName('caption')).toBe('Captions');
        displayLanguage('ko');
        expect(providerHealthText({ state: 'down' })).toBe('응답 없음: 다시 응답할 때까지 이미지가 대기합니다');
        expect(providerHealthText({ state: 'invalid' })).toBe('설정을 고쳐야 함: 이미지가 대기합니다');
        expect(providerHealthText({ state: 'not-configured' })).toBe('설정되지 않음: 설정에서 모델을 고르세요');
        expect(phaseName('caption')).toBe('캡션');
        expect(phaseFailureReason('malformed-answer')).toBe('모델의 응답을 읽을 수 없습니다');
    });

    it('does not count a phase whose provider is down as working (the status bar shows no spinner for jobs that wait)', () => {
        const waiting: PhaseProgress = {
            phase: 'caption', model: 'openai-compatible:127.0.0.1:11434/qwen', enabled: true, paused: false, done: 1, queued: 5, leased: 0, failed: 0,
            fraction: 1 / 6, rate: 0, modelState: 'unloaded'
        };
        expect(isWorking(waiting)).toBe(true);
        expect(isWorking({ ...waiting, provider: { state: 'ready' } })).toBe(true);
        expect(isWorking({ ...waiting, provider: { state: 'down', code: 'endpoint-down' } })).toBe(false);
    });

    it('words failure codes, and names an unknown code as it is', () => {
        expect(phaseFailureReason('out-of-memory')).toBe('Needs more memory than is free');
        expect(phaseFailureReason('gpu-on-fire')).toBe('Failed (gpu-on-fire)');
        displayLanguage('ko');
        expect(phaseFailureReason('corrupt')).toBe('손상된 이미지: 디코딩할 수 없습니다');
        expect(phaseFailureReason('gpu-on-fire')).toBe('실패 (gpu-on-fire)');
    });
});
