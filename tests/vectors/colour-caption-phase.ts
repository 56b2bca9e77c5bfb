import type { Database } from 'better-sqlite3';
import { ClaimedJob, PhaseIds } from '../../extensions/archive-core/src/common/job-protocol';
import { AiImageSource } from '../../extensions/archive-core/src/node/inference/ai-image';
import { PhaseContribution, PhaseInput, PhaseOutput } from '../../extensions/archive-core/src/node/jobs/phase-contribution';
import { CaptionResult, writeCaptionResult } from '../../extensions/archive-core/src/node/store/caption-store';
import { dominantColour, TestColour } from '../../extensions/archive-core/src/node/test/colour-embedders';

/** What the stand-in captioner says about an image of each dominant colour (grey: nothing, so the text phase has no caption to embed). */
export const COLOUR_CAPTIONS: Partial<Record<TestColour, { en: string; ko: string }>> = {
    red: { en: 'A cat sleeping on a sofa', ko: '소파에서 자는 고양이' },
    blue: { en: 'A dog running along the beach', ko: '해변을 달리는 강아지' },
    green: { en: 'A car parked by the forest', ko: '숲 옆에 세워진 자동차' },
    yellow: { en: 'A house in the sunshine', ko: '햇빛 속의 주택' }
};

/**
 * A caption phase for the vector specs, until the caption scope's phase is
 * merged: the model is the test double (captions from the image's dominant
 * colour); what it writes goes through the real caption store, in the job's
 * transaction, as the real phase's does. Counts the images it captioned.
 */
export class ColourCaptionPhase implements PhaseContribution {
    readonly id = PhaseIds.CAPTION;
    readonly needs = [PhaseIds.PARSE];
    readonly model = { id: 'test-captioner/colours', isAvailable: () => true };
    captioned = 0;

    constructor(protected readonly images: AiImageSource) { }

    isEnabled(): boolean {
        return true;
    }

    async process(batch: readonly PhaseInput[]): Promise<PhaseOutput[]> {
        return Promise.all(batch.map(async ({ job }): Promise<PhaseOutput> => {
            const image = await this.images.image(job.assetId, 64);
            if (!image) {
                return { kind: 'failed', retryable: false, error: { code: 'missing', message: 'No preview' } };
            }
            this.captioned++;
            const caption = COLOUR_CAPTIONS[dominantColour(image)];
            const result: CaptionResult = {
                model: this.model.id,
                captions: caption ? [{ language: 'en', text: caption.en }, { language: 'ko', text: caption.ko }] : [],
                tags: []
            };
            return { kind: 'done', result };
        }));
    }

    store(db: Database, job: ClaimedJob, result: unknown): void {
        if (!CaptionResult.is(result)) {
            throw new Error('Not a caption result');
        }
        writeCaptionResult(db, job.assetId, result);
    }
}
