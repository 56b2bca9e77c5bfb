import { inject, injectable, named, optional } from '@theia/core/shared/inversify';
import { ILogger } from '@theia/core/lib/common/logger';
import type { Database } from 'better-sqlite3';
import { ClaimedJob, PhaseId, PhaseIds, ProviderHealth } from '../../../common/job-protocol';
import { PhaseContribution, PhaseInput, PhaseModelRequirement, PhaseOutput } from '../../jobs/phase-contribution';
import { AiModels } from '../ai-models';
import { AiSettings } from '../ai-settings';
import { EmbeddingResult } from '../embedding-result';
import { ModelCrashError } from '../model-manager';
import { TextEmbedder } from '../text-embedder';
import { MAX_TEXT_DOCUMENT, TextDocumentSource } from './text-document-source';

/** Jobs one claim takes at most; the model manager splits them into the batches memory allows. */
const MAX_CLAIM = 64;

/**
 * The text phase (MV): once an asset's captions are written (and its OCR
 * text, when `AiSettings.text().includeOcr`), embeds them as one document
 * with the configured text-embedding model and stores the vector in that
 * model's M index (`vec_meaning_<model>`), in the job's transaction. An
 * asset without caption text is skipped with the reason. Results are kept by
 * (content hash, model, config version); the config version names the
 * caption model and whether OCR text is included, so either change embeds anew.
 */
@injectable()
export class TextPhaseContribution implements PhaseContribution {

    readonly id: PhaseId = PhaseIds.TEXT;

    /** Bound with the AI settings; without it the phase stays off. */
    @inject(AiModels) @optional()
    protected readonly models?: AiModels;

    @inject(AiSettings) @optional()
    protected readonly settings?: AiSettings;

    /** The asset's document: from the store in the archive's process, from the server on a worker machine. */
    @inject(TextDocumentSource)
    protected readonly documents: TextDocumentSource;

    @inject(ILogger) @named('archive-core:TextPhase')
    protected readonly logger: ILogger;

    get needs(): readonly PhaseId[] {
        return this.includeOcr() ? [PhaseIds.CAPTION, PhaseIds.OCR] : [PhaseIds.CAPTION];
    }

    get configVersion(): string {
        return `captions:${this.models?.captioner()?.modelId ?? ''}${this.includeOcr() ? '+ocr' : ''}`;
    }

    get model(): PhaseModelRequirement | undefined {
        const active = this.models?.text();
        return active && { id: active.modelId, isAvailable: () => active.managed.state !== 'missing', state: () => active.managed.state };
    }

    get batchSize(): number {
        return Math.min(MAX_CLAIM, Math.max(1, this.models?.text()?.managed.batchSize ?? 1));
    }

    isEnabled(): boolean {
        return !!this.models?.text();
    }

    health(): ProviderHealth {
        return this.models?.health('text') ?? { state: 'not-configured' };
    }

    async process(batch: readonly PhaseInput[]): Promise<PhaseOutput[]> {
        const active = this.models?.text();
        if (!active) {
            return batch.map(() => failed('model-changed', 'No text-embedding model is configured now.', true));
        }
        const texts = await Promise.all(batch.map(input => this.documentOf(input.job.assetId)));
        const work = batch.map((input, i) => ({ input, text: texts[i] }))
            .filter(entry => entry.input.job.model === active.modelId && !entry.input.signal.aborted && entry.text);
        let outputs: PhaseOutput[];
        try {
            outputs = await active.managed.run(work.map(entry => entry.text), (embedder, documents) => this.embed(embedder, documents, active.modelId),
                (error: ModelCrashError) => failed(error.code, `The text-embedding model failed on this text: ${error.message}`, true));
        } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            this.logger.warn(`The text-embedding model ${active.modelId} could not be used: ${message}`);
            outputs = work.map(() => failed('model-load-failed', `The text-embedding model could not be used: ${message}`, true));
        }
        const byInput = new Map(work.map((entry, i) => [entry.input, outputs[i]]));
        return batch.map((input, i): PhaseOutput => {
            if (!texts[i]) {
                return { kind: 'skipped', reason: 'This image has no caption text to embed.' };
            }
            return byInput.get(input)
                ?? failed('model-changed', `The job was queued for ${input.job.model}; the text-embedding model is ${active.modelId} now.`, true);
        });
    }

    store(db: Database, job: ClaimedJob, result: unknown): void {
        EmbeddingResult.store(db, 'meaning', job, result);
    }

    /** The asset's captions (every language), then its OCR text when that is included; '' when it has no caption. */
    protected async documentOf(assetId: number): Promise<string> {
        return (await this.documents.documentOf(assetId)).slice(0, MAX_TEXT_DOCUMENT);
    }

    protected async embed(embedder: TextEmbedder, documents: readonly string[], modelId: string): Promise<PhaseOutput[]> {
        const vectors = await embedder.embed(documents, 'document');
        return documents.map((_, i): PhaseOutput => {
            const vector = vectors[i];
            return vector && EmbeddingResult.isUsable(vector) ? { kind: 'done', result: EmbeddingResult.of(modelId, vector) }
                : failed('bad-vector', `The text-embedding model ${modelId} answered no usable vector for this text.`, false);
        });
    }

    protected includeOcr(): boolean {
        return !!this.settings?.text()?.includeOcr;
    }
}

function failed(code: string, message: string, retryable: boolean): PhaseOutput {
    return { kind: 'failed', retryable, error: { code, message } };
}
