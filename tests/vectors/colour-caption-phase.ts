import type { ProviderHealth } from '../../extensions/archive-core/src/common/job-protocol';
import type { CaptionSettings } from '../../extensions/archive-core/src/node/inference/ai-settings';
import type { CaptionAnswer, Captioner, CaptionerProvider, CaptionRequest } from '../../extensions/archive-core/src/node/inference/captioner';
import { dominantColour, TestColour } from '../../extensions/archive-core/src/node/test/colour-embedders';

/** What the captioner double says about an image of each dominant colour (grey: nothing, so the text phase has no caption to embed). */
export const COLOUR_CAPTIONS: Partial<Record<TestColour, { en: string; ko: string }>> = {
    red: { en: 'A cat sleeping on a sofa', ko: '소파에서 자는 고양이' },
    blue: { en: 'A dog running along the beach', ko: '해변을 달리는 강아지' },
    green: { en: 'A car parked by the forest', ko: '숲 옆에 세워진 자동차' },
    yellow: { en: 'A house in the sunshine', ko: '햇빛 속의 주택' }
};

/** The captioner family of the double, as the caption settings name it. */
export const COLOUR_CAPTIONER = 'test-colour-captioner';

/** Caption settings that choose the double. */
export const COLOUR_CAPTION_SETTINGS: CaptionSettings = {
    provider: COLOUR_CAPTIONER, endpoint: 'test:', model: 'colours', language: 'both', timeoutMs: 5_000, concurrency: 2
};

/**
 * A captioner model test double for the vector specs: the real caption phase
 * runs it (through the app's AI models, the queue and the caption store), and
 * it captions an image by its dominant colour. Counts the images it captioned.
 */
export class ColourCaptionerProvider implements CaptionerProvider {
    readonly id = COLOUR_CAPTIONER;
    captioned = 0;

    async validate(): Promise<ProviderHealth> {
        return { state: 'ready' };
    }

    create(settings: CaptionSettings): Captioner {
        const provider = this;
        return {
            modelId: `${COLOUR_CAPTIONER}/${settings.model}`,
            async caption(request: CaptionRequest): Promise<CaptionAnswer> {
                provider.captioned++;
                const caption = COLOUR_CAPTIONS[dominantColour(request.image)];
                return { captions: caption ? [{ language: 'en', text: caption.en }, { language: 'ko', text: caption.ko }] : [], tags: [] };
            },
            health: () => ({ state: 'ready' }),
            dispose: () => undefined
        };
    }
}
