import { nls } from '@theia/core/lib/common/nls';
import type { AxisSkipReason } from '@imageparser/archive-core/lib/common/search-protocol';

/** Reasons that need no note: the query simply did not ask for that axis. */
export const SILENT_SKIP_REASONS: ReadonlySet<AxisSkipReason> = new Set(['no-words', 'no-references']);

/** Why a search axis was skipped (the engine's code), in the display language. */
export function axisSkipText(reason: AxisSkipReason): string {
    switch (reason) {
        case 'no-words': return nls.localize('imageparser/search-view/skipped/noWords', 'no words to match');
        case 'no-references': return nls.localize('imageparser/search-view/skipped/noReferences', 'no reference images');
        case 'no-visual-vectors': return nls.localize('imageparser/search-view/skipped/noVisualVectors', 'the reference images have no visual vectors yet');
        case 'no-perceptual-hash': return nls.localize('imageparser/search-view/skipped/noPerceptualHash', 'the reference image has no perceptual hash');
        case 'no-caption-model': return nls.localize('imageparser/search-view/skipped/noCaptionModel', 'no caption model is configured');
        case 'no-image-model': return nls.localize('imageparser/search-view/skipped/noImageModel', 'no image model is configured to search images by words');
        case 'no-text-model': return nls.localize('imageparser/search-view/skipped/noTextModel', 'no text-embedding model is configured');
        case 'index-not-ready': return nls.localize('imageparser/search-view/skipped/indexNotReady', 'the new model\'s index is still being built');
        case 'model-unavailable': return nls.localize('imageparser/search-view/skipped/modelUnavailable', 'the model could not read the query');
        case 'no-provider': return nls.localize('imageparser/search-view/skipped/noProvider', 'no provider is configured');
        case 'switched-off': return nls.localize('imageparser/search-view/skipped/switchedOff', 'switched off (weight 0)');
    }
}
