import { inject, injectable, named, optional, postConstruct } from '@theia/core/shared/inversify';
import { ILogger } from '@theia/core/lib/common/logger';
import { PreferenceService } from '@theia/core/lib/common/preferences';
import type { Database } from 'better-sqlite3';
import { ClaimedJob, PhaseId, PhaseIds } from '../../../common/job-protocol';
import { OCR_ENABLED_PREFERENCE } from '../../../common/inference-preferences';
import { PhaseContribution, PhaseInput, PhaseModelRequirement, PhaseOutput } from '../../jobs/phase-contribution';
import { OcrSource, OcrText, OcrTextRepository, writeOcrText } from '../../store/ocr-text-repository';
import { OcrEngine, OcrOutcome } from './ocr-engine';
import { dropTextLayerLines } from './ocr-text-layers';

/** Lines Tesseract is less sure of than this (0..100) are noise more often than text (pictures without any text give such lines). */
export const MIN_LINE_CONFIDENCE = 40;

/**
 * The OCR phase: after parse, reads the Korean and English text in each
 * asset's flattened image (PNG, JPEG, a PSD's composite) and stores it in
 * `asset_ocr` and the full-text index's `ocr` field (searched with `ocr:`;
 * a hit says "text in image"). Lines a PSD's text layers already hold are
 * dropped (see ocr-text-layers.ts). Enabled by `imageparser.ocr.enabled`
 * (on by default) when the language data is installed.
 *
 * Failures per asset: the image's own codes (`corrupt`, `too-large`,
 * `unsupported-format`, `missing`: final), and `worker-crashed`,
 * `timeout`, `out-of-memory`, `unreadable`, `model-missing`,
 * `model-load-failed`, `cancelled` (retryable: the job comes back).
 */
@injectable()
export class OcrPhaseContribution implements PhaseContribution {

    readonly id: PhaseId = PhaseIds.OCR;
    readonly needs: readonly PhaseId[] = [PhaseIds.PARSE];
    model: PhaseModelRequirement;

    @inject(OcrEngine)
    protected readonly engine: OcrEngine;

    @inject(OcrTextRepository)
    protected readonly texts: OcrTextRepository;

    @inject(PreferenceService) @optional()
    protected readonly preferences?: PreferenceService;

    @inject(ILogger) @named('archive-core:OcrPhase')
    protected readonly logger: ILogger;

    @postConstruct()
    protected init(): void {
        this.model = { id: this.engine.modelId, isAvailable: () => this.engine.isAvailable(), state: () => this.engine.state };
    }

    /**
     * On when the language data is installed, unless the preference (in the
     * app) or `IMAGEPARSER_OCR=off` (the command-line tool, which has no
     * preferences) turns it off.
     */
    isEnabled(): boolean {
        return this.engine.isAvailable() && ocrAllowedByEnvironment()
            && this.preferences?.get<boolean>(OCR_ENABLED_PREFERENCE, true) !== false;
    }

    async process(batch: readonly PhaseInput[]): Promise<PhaseOutput[]> {
        const sources = await Promise.all(batch.map(input => this.texts.source(input.job.assetId)));
        const readable = batch.map((input, i) => ({ input, source: sources[i] })).filter(entry => entry.source && !entry.input.signal.aborted);
        let outcomes: OcrOutcome[];
        try {
            outcomes = await this.engine.recognize(readable.map(entry => ({ file: entry.source!.file, kind: entry.source!.kind })));
        } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            this.logger.warn(`The OCR model could not be used: ${message}`);
            outcomes = readable.map(() => ({ ok: false, retryable: true, error: { code: 'model-load-failed', message: `The OCR model could not be loaded: ${message}` } }));
        }
        const byInput = new Map(readable.map((entry, i) => [entry.input, outcomes[i]]));
        return batch.map((input, i): PhaseOutput => {
            const source = sources[i];
            if (!source) {
                return { kind: 'failed', retryable: false, error: { code: 'missing', message: 'No file of this image is in the archive\'s folders now.' } };
            }
            const outcome = byInput.get(input);
            if (!outcome) {
                return { kind: 'failed', retryable: true, error: { code: 'cancelled', message: 'The OCR job was stopped before it ran.' } };
            }
            return outcome.ok ? { kind: 'done', result: this.resultOf(outcome, source) } : { kind: 'failed', retryable: outcome.retryable, error: outcome.error };
        });
    }

    store(db: Database, job: ClaimedJob, result: unknown): void {
        if (!OcrText.is(result)) {
            throw new Error(`The OCR result for asset ${job.assetId} is not one the OCR phase writes.`);
        }
        writeOcrText(db, job.assetId, result);
    }

    protected resultOf(outcome: Extract<OcrOutcome, { ok: true }>, source: OcrSource): OcrText {
        const lines = outcome.lines.filter(line => line.confidence >= MIN_LINE_CONFIDENCE && /[\p{L}\p{N}]/u.test(line.text)).map(line => line.text);
        const { kept, dropped } = dropTextLayerLines(lines, source.layerTexts);
        return {
            model: this.engine.modelId,
            text: kept.join('\n'),
            lineCount: kept.length,
            droppedLayerLines: dropped,
            readWidth: outcome.readSize.width,
            readHeight: outcome.readSize.height
        };
    }
}

/** `IMAGEPARSER_OCR=off` (or `0`, `false`, `no`) turns the OCR phase off for a process. */
export const OCR_ENVIRONMENT_VARIABLE = 'IMAGEPARSER_OCR';

function ocrAllowedByEnvironment(): boolean {
    return !/^(off|0|false|no)$/i.test(process.env[OCR_ENVIRONMENT_VARIABLE]?.trim() ?? '');
}
