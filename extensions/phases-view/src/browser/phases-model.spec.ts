import * as fs from 'fs';
import * as path from 'path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Container } from '@theia/core/shared/inversify';
import { Emitter } from '@theia/core/lib/common/event';
import { nls } from '@theia/core/lib/common/nls';
import { StatusBar, StatusBarEntry } from '@theia/core/lib/browser/status-bar/status-bar-types';
import { PhaseFailure, PhaseId, PhaseProgress, PhaseService } from '@imageparser/archive-core/lib/common/job-protocol';
import { PhaseProgressEvents } from '@imageparser/archive-core/lib/browser/phase-progress-events';
import { PhasesModel } from './phases-model';
import { PhasesSelection } from './phases-selection';
import { PhasesStatusBarContribution } from './phases-status-bar-contribution';

function displayLanguage(language: 'ko' | undefined): void {
    (nls as { locale: string | undefined }).locale = language;
    nls.localization = language
        ? { languageId: language, translations: JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../locales/ko-KR.json'), 'utf8')) }
        : undefined;
}

function progress(phase: PhaseId, counts: Partial<PhaseProgress> = {}): PhaseProgress {
    const base = { done: 0, queued: 0, leased: 0, failed: 0, ...counts };
    const total = base.done + base.queued + base.leased + base.failed;
    return {
        phase, model: '', enabled: true, paused: false, rate: 0, modelState: 'none',
        fraction: total ? base.done / total : 1, ...base
    };
}

/** The backend as the frontend sees it: counts the test sets, and the calls it got. */
class RecordingPhaseService implements PhaseService {
    phases: PhaseProgress[] = [];
    failureList: PhaseFailure[] = [];
    readonly calls: string[] = [];

    async progress(): Promise<PhaseProgress[]> {
        return this.phases;
    }
    async failures(phase: PhaseId, limit: number): Promise<PhaseFailure[]> {
        this.calls.push(`failures ${phase} ${limit}`);
        return this.failureList;
    }
    async pause(phase: PhaseId): Promise<void> {
        this.calls.push(`pause ${phase}`);
        this.phases = this.phases.map(each => each.phase === phase ? { ...each, paused: true } : each);
    }
    async resume(phase: PhaseId): Promise<void> {
        this.calls.push(`resume ${phase}`);
    }
    async retryFailed(phase: PhaseId): Promise<number> {
        this.calls.push(`retryFailed ${phase}`);
        return 2;
    }
    async rerun(phase: PhaseId, assetIds: readonly number[]): Promise<number> {
        this.calls.push(`rerun ${phase} ${assetIds.join(',')}`);
        return assetIds.length;
    }
}

/** The status bar: keeps what each item shows now. */
class ShownStatusBar {
    readonly entries = new Map<string, StatusBarEntry>();
    async setElement(id: string, entry: StatusBarEntry): Promise<void> {
        this.entries.set(id, entry);
    }
    async removeElement(id: string): Promise<void> {
        this.entries.delete(id);
    }
}

describe('PhasesModel and the status bar', () => {
    let service: RecordingPhaseService;
    let events: PhaseProgressEvents;
    let model: PhasesModel;
    let statusBar: ShownStatusBar;
    const selectionChanged = new Emitter<void>();
    let selected: number[];

    beforeEach(() => {
        const container = new Container();
        service = new RecordingPhaseService();
        statusBar = new ShownStatusBar();
        selected = [];
        container.bind(PhaseService).toConstantValue(service);
        container.bind(PhaseProgressEvents).toSelf().inSingletonScope();
        container.bind(PhasesSelection).toConstantValue({ get assetIds(): number[] { return selected; }, onDidChange: selectionChanged.event });
        container.bind(PhasesModel).toSelf().inSingletonScope();
        container.bind(StatusBar).toConstantValue(statusBar as unknown as StatusBar);
        container.bind(PhasesStatusBarContribution).toSelf().inSingletonScope();
        events = container.get(PhaseProgressEvents);
        model = container.get(PhasesModel);
        container.get(PhasesStatusBarContribution).onStart();
    });

    afterEach(() => displayLanguage(undefined));

    const statusText = () => statusBar.entries.get(PhasesStatusBarContribution.ID)?.text;
    const spoken = () => statusBar.entries.get(PhasesStatusBarContribution.ID)?.accessibilityInformation?.label;

    it('shows the working phase\'s fraction as a percent in the status bar, in words for a screen reader, and nothing when idle', async () => {
        await vi.waitFor(() => expect(model.state).toBe('ready'));
        expect(statusText()).toBeUndefined();

        events.onPhaseProgress([progress('parse', { done: 40 }), progress('ocr', { done: 17, queued: 20, leased: 3 })]);
        expect(model.working?.phase).toBe('ocr');
        expect(statusText()).toBe('$(sync~spin) OCR 42%');
        expect(spoken()).toBe('ImageParser OCR: 42 percent done, 23 images left');

        displayLanguage('ko');
        events.onPhaseProgress([progress('parse', { done: 1, queued: 1 }), progress('ocr', { done: 17, queued: 23 })]);
        expect(statusText()).toBe('$(sync~spin) 분석 50%');
        expect(spoken()).toBe('ImageParser 분석: 50퍼센트 완료, 이미지 1개 남음');

        events.onPhaseProgress([progress('parse', { done: 2 }), progress('ocr', { done: 40 })]);
        expect(statusText()).toBeUndefined();
    });

    it('shows no work in progress for a paused phase, one turned off, or one whose model is missing', () => {
        events.onPhaseProgress([
            { ...progress('parse', { queued: 5 }), paused: true },
            { ...progress('ocr', { queued: 5 }), modelState: 'missing' },
            { ...progress('caption', { queued: 5 }), enabled: false }
        ]);
        expect(model.working).toBeUndefined();
        expect(statusText()).toBeUndefined();
    });

    it('passes the controls to the backend with the selected assets and shows the new counts', async () => {
        service.phases = [progress('ocr', { done: 1, queued: 3, failed: 2 })];
        await model.refresh();
        await model.pause('ocr');
        expect(model.find('ocr')?.paused).toBe(true);
        expect(await model.retryFailed('ocr')).toBe(2);
        selected = [4, 9];
        selectionChanged.fire();
        expect(model.selectedAssetIds).toEqual([4, 9]);
        expect(await model.rerunSelected('ocr')).toBe(2);
        expect(service.calls).toEqual(['pause ocr', 'retryFailed ocr', 'rerun ocr 4,9']);
        expect(model.isBusy('ocr')).toBe(false);
    });

    it('lists a phase\'s failures when opened, again when the failed count changes, and not when closed', async () => {
        const failure: PhaseFailure = { assetId: 3, phase: 'ocr', location: { fileId: 3, rootId: 1, root: 'art', relativePath: 'a.png' }, code: 'corrupt', message: 'bad huffman table', attempts: 3, at: '2026-11-30T10:00:00Z' };
        service.phases = [progress('ocr', { done: 1, failed: 1 })];
        service.failureList = [failure];
        await model.refresh();
        await model.toggleFailures('ocr');
        expect(model.failures('ocr')).toEqual([failure]);
        events.onPhaseProgress([progress('ocr', { done: 1, failed: 1 })]);
        events.onPhaseProgress([progress('ocr', { done: 0, failed: 2 })]);
        await vi.waitFor(() => expect(service.calls).toEqual(['failures ocr 100', 'failures ocr 100']));
        await model.toggleFailures('ocr');
        expect(model.failures('ocr')).toBeUndefined();
    });

    it('says why when the backend cannot count the phases', async () => {
        service.progress = async () => {
            throw new Error('No PhasePipeline is bound');
        };
        await model.refresh();
        expect(model.state).toBe('unavailable');
        expect(model.error).toBe('No PhasePipeline is bound');
        expect(statusText()).toBeUndefined();
    });
});
