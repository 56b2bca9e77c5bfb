import { inject, injectable, named, optional } from '@theia/core/shared/inversify';
import { ILogger } from '@theia/core/lib/common/logger';
import type { Database } from 'better-sqlite3';
import { ClaimedJob, PhaseId, PhaseIds, ProviderHealth } from '../../../common/job-protocol';
import { PhaseContribution, PhaseInput, PhaseModelRequirement, PhaseOutput } from '../../jobs/phase-contribution';
import { AiImageSource } from '../ai-image';
import { AiModels } from '../ai-models';
import { EmbeddingResult } from '../embedding-result';
import { ImageEmbedder } from '../image-embedder';
import { ModelCrashError } from '../model-manager';

/** Bumped when what the phase hands the model changes (the image's preparation): results of another version are not reused. */
export const VISUAL_CONFIG_VERSION = 'preview-v1';

/** Jobs one claim takes at most; the model manager splits them into the batches memory allows. */
const MAX_CLAIM = 32;

/**
 * The visual phase (VV): after parse, embeds each asset's stored preview
 * with the configured image model (CLIP / SigLIP family) and stores the
 * vector in that model's V index (`vec_visual_<model>`), in the job's
 * transaction. Runs while `AiModels.visual()` is configured; results are
 * kept by (content hash, model, config version), so a copy, a move, a
 * re-index or a restart never runs the model again. Which index V searches
 * is decided by the axis serving (the previous model's until this one's is complete).
 *
 * Failures per asset: `missing` (no preview to read: final), `bad-vector`
 * (the model answered no usable vector: final), `model-changed`,
 * `model-load-failed` and the model manager's crash codes (retryable).
 */
@injectable()
export class VisualPhaseContribution implements PhaseContribution {

    readonly id: PhaseId = PhaseIds.VISUAL;
    readonly needs: readonly PhaseId[] = [PhaseIds.PARSE];
    readonly configVersion = VISUAL_CONFIG_VERSION;

    /** Bound with the AI settings; without it the phase stays off. */
    @inject(AiModels) @optional()
    protected readonly models?: AiModels;

    @inject(AiImageSource)
    protected readonly images: AiImageSource;

    @inject(ILogger) @named('archive-core:VisualPhase')
    protected readonly logger: ILogger;

    get model(): PhaseModelRequirement | undefined {
        const active = this.models?.visual();
        return active && { id: active.modelId, isAvailable: () => active.managed.state !== 'missing', state: () => active.managed.state };
    }

    get batchSize(): number {
        return Math.min(MAX_CLAIM, Math.max(1, this.models?.visual()?.managed.batchSize ?? 1));
    }

    isEnabled(): boolean {
        return !!this.models?.visual();
    }

    health(): ProviderHealth {
        return this.models?.health('visual') ?? { state: 'not-configured' };
    }

    async process(batch: readonly PhaseInput[]): Promise<PhaseOutput[]> {
        const active = this.models?.visual();
        if (!active) {
            return batch.map(() => failed('model-changed', 'No image model is configured now.', true));
        }
        const current = batch.map(input => input.job.model === active.modelId && !input.signal.aborted);
        const work = batch.filter((_, i) => current[i]);
        let outputs: PhaseOutput[];
        try {
            outputs = await active.managed.run(work, (embedder, inputs) => this.embed(embedder, inputs, active.modelId),
                (error: ModelCrashError) => failed(error.code, `The image model failed on this image: ${error.message}`, true));
        } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            this.logger.warn(`The image model ${active.modelId} could not be used: ${message}`);
            outputs = work.map(() => failed('model-load-failed', `The image model could not be used: ${message}`, true));
        }
        let next = 0;
        return batch.map((input, i) => current[i] ? outputs[next++]
            : failed('model-changed', `The job was queued for ${input.job.model}; the image model is ${active.modelId} now.`, true));
    }

    store(db: Database, job: ClaimedJob, result: unknown): void {
        EmbeddingResult.store(db, 'visual', job, result);
    }

    /** One batch on the loaded model: each asset's preview at the model's size, embedded together. */
    protected async embed(embedder: ImageEmbedder, inputs: readonly PhaseInput[], modelId: string): Promise<PhaseOutput[]> {
        const images = await Promise.all(inputs.map(input => this.images.image(input.job.assetId, embedder.imageSize)));
        const present = images.filter(image => !!image);
        const vectors = present.length ? await embedder.embedImages(present.map(image => image!)) : [];
        let next = 0;
        return images.map((image): PhaseOutput => {
            if (!image) {
                return failed('missing', 'This image has no stored preview to embed (it was not parsed or its preview is gone).', false);
            }
            const vector = vectors[next++];
            if (!vector || !EmbeddingResult.isUsable(vector)) {
                return failed('bad-vector', `The image model ${modelId} answered no usable vector for this image.`, false);
            }
            return { kind: 'done', result: EmbeddingResult.of(modelId, vector) };
        });
    }
}

function failed(code: string, message: string, retryable: boolean): PhaseOutput {
    return { kind: 'failed', retryable, error: { code, message } };
}
