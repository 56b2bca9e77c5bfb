import { inject, injectable, named } from '@theia/core/shared/inversify';
import { ILogger } from '@theia/core/lib/common/logger';
import type { Database } from 'better-sqlite3';
import type { CaptionLanguage, CaptionLanguageSetting } from '../../../common/ai-protocol';
import { ClaimedJob, PhaseId, PhaseIds, ProviderHealth } from '../../../common/job-protocol';
import { PhaseContribution, PhaseInput, PhaseModelRequirement, PhaseOutput } from '../../jobs/phase-contribution';
import { CaptionResult, writeCaptionResult } from '../../store/caption-store';
import { AiImageSource } from '../ai-image';
import { AiModels } from '../ai-models';
import { AiSettings } from '../ai-settings';
import { CaptionError, Captioner } from '../captioner';
import { CAPTION_PROMPT_VERSION } from '../openai/caption-prompt';
import { RequestSlots } from './request-slots';

/** The longest side of the image sent to a captioning endpoint (the stored preview is at most 1024). */
export const CAPTION_IMAGE_EDGE = 1024;

/** The languages a setting asks for, in order. */
export function captionLanguages(setting: CaptionLanguageSetting | undefined): CaptionLanguage[] {
    return setting === 'ko' ? ['ko'] : setting === 'both' ? ['en', 'ko'] : ['en'];
}

/**
 * The caption phase (MC): after parse, asks the configured captioner for a
 * caption per wanted language and AI tags for each asset's stored preview,
 * and stores them (captions, AI tags, the full-text rows) in the job's
 * transaction. On while a captioner is configured; its model id keys the
 * results, and the languages and prompt version are its config version.
 *
 * Failures: an endpoint whose circuit is open, or that refused the
 * connection, defers the job (back to the queue, not an attempt; the phase
 * claims nothing while its `health()` is not ready); `timeout`, `http-error`
 * (5xx) and `malformed-answer` are retryable (attempts, up to the queue's cap); a refused request (4xx) fails with `http-error`; an asset
 * without a preview fails with `missing`.
 */
@injectable()
export class CaptionPhaseContribution implements PhaseContribution {

    readonly id: PhaseId = PhaseIds.CAPTION;
    readonly needs: readonly PhaseId[] = [PhaseIds.PARSE];

    @inject(AiModels)
    protected readonly models: AiModels;

    @inject(AiSettings)
    protected readonly settings: AiSettings;

    @inject(AiImageSource)
    protected readonly images: AiImageSource;

    @inject(ILogger) @named('archive-core:CaptionPhase')
    protected readonly logger: ILogger;

    get model(): PhaseModelRequirement | undefined {
        const captioner = this.models.captioner();
        return captioner && {
            id: captioner.modelId,
            // The model lives behind the endpoint: whether it answers is the phase's health, not its files.
            isAvailable: () => true,
            state: () => captioner.health().state === 'ready' ? 'loaded' : 'unloaded'
        };
    }

    get configVersion(): string {
        return `${this.languages().join('+')}:${CAPTION_PROMPT_VERSION}`;
    }

    /** One job per claim: a lane claims, reads the image and stores while the others wait for their answers. */
    readonly batchSize = 1;

    /**
     * Twice the requests the setting allows in flight: while `concurrency`
     * lanes wait for the endpoint, the others claim the next jobs and read
     * their images, so the endpoint never waits for the queue or the store.
     */
    get lanes(): number {
        return 2 * this.concurrency();
    }

    /** The requests in flight, at most the concurrency setting. */
    protected readonly slots = new RequestSlots(() => this.concurrency());

    isEnabled(): boolean {
        return !!this.models.captioner();
    }

    health(): ProviderHealth {
        return this.models.captioner()?.health() ?? this.models.health('caption');
    }

    async process(batch: readonly PhaseInput[]): Promise<PhaseOutput[]> {
        const captioner = this.models.captioner();
        if (!captioner) {
            return batch.map(() => ({ kind: 'deferred', reason: 'No captioner is configured now' }));
        }
        const languages = this.languages();
        // Images are read before a request slot is taken, so the endpoint never waits for one.
        const images = batch.map(input => this.images.image(input.job.assetId, CAPTION_IMAGE_EDGE).catch(() => undefined));
        return Promise.all(batch.map(async (input, i) => {
            const image = await images[i];
            if (!image || !await this.slots.acquire(input.signal)) {
                return this.captionOne(captioner, input, image, languages);
            }
            try {
                return await this.captionOne(captioner, input, image, languages);
            } finally {
                this.slots.release();
            }
        }));
    }

    store(db: Database, job: ClaimedJob, result: unknown): void {
        if (!CaptionResult.is(result)) {
            throw new Error(`The caption result for asset ${job.assetId} is not one the caption phase writes.`);
        }
        writeCaptionResult(db, job.assetId, result);
    }

    protected async captionOne(captioner: Captioner, input: PhaseInput, image: Awaited<ReturnType<AiImageSource['image']>>,
        languages: CaptionLanguage[]): Promise<PhaseOutput> {
        if (!image) {
            return { kind: 'failed', retryable: false, error: { code: 'preview-missing', message: 'The image\'s stored preview is gone: index its file again.' } };
        }
        if (input.signal.aborted) {
            return { kind: 'failed', retryable: true, error: { code: 'cancelled', message: 'The caption job was stopped before it ran.' } };
        }
        try {
            const answer = await captioner.caption({ image, languages, signal: input.signal });
            const result: CaptionResult = { model: captioner.modelId, captions: answer.captions, tags: answer.tags };
            return { kind: 'done', result };
        } catch (error) {
            if (error instanceof CaptionError) {
                if (error.code === 'endpoint-down' || error.code === 'refused') {
                    // Nobody answered: nothing about this image is known, so the job waits for the endpoint instead of spending an attempt.
                    return { kind: 'deferred', reason: error.message };
                }
                return { kind: 'failed', retryable: error.retryable, error: { code: error.code, message: error.message } };
            }
            const message = error instanceof Error ? error.message : String(error);
            this.logger.warn(`Captioning asset ${input.job.assetId} failed: ${message}`);
            return { kind: 'failed', retryable: true, error: { code: 'internal', message } };
        }
    }

    protected languages(): CaptionLanguage[] {
        return captionLanguages(this.settings.caption()?.language);
    }

    protected concurrency(): number {
        const value = Math.floor(this.settings.caption()?.concurrency ?? 1);
        return Number.isFinite(value) ? Math.min(64, Math.max(1, value)) : 1;
    }
}
