import { nls } from '@theia/core/lib/common/nls';
import { AssetLabels } from '@imageparser/archive-core/lib/browser/asset-labels';
import type { RenderNote, RenderNoteCode } from '@imageparser/archive-core/lib/common/media-protocol';

/** The wording of each code; a code added to the compositor fails to compile here until it is worded. */
const TEXTS: { readonly [code in RenderNoteCode]: (params: RenderNote['params']) => string } = {
    blendModeApproximated: params => nls.localize('imageparser/viewer/approx/blendMode', 'Blend mode “{0}” is drawn as normal.',
        AssetLabels.blendMode(params?.mode ?? 'normal')),
    adjustmentsNotApplied: () => nls.localize('imageparser/viewer/approx/adjustments', 'Adjustment layers are not applied.'),
    effectsNotDrawn: () => nls.localize('imageparser/viewer/approx/effects', 'Layer effects (drop shadow, stroke, …) are not drawn.'),
    vectorMasksNotApplied: () => nls.localize('imageparser/viewer/approx/vectorMasks', 'Vector masks are not applied.'),
    strokesNotDrawn: () => nls.localize('imageparser/viewer/approx/strokes', 'Shape outlines (strokes) are not drawn.'),
    layersWithoutPixels: () => nls.localize('imageparser/viewer/approx/noPixels', 'Shape, fill, text and smart object layers saved without pixels are not drawn.'),
    textFromStoredPixels: () => nls.localize('imageparser/viewer/approx/text', 'Text layers are drawn from the pixels saved in the file, not re-rendered.'),
    smartObjectsFromStoredPixels: () => nls.localize('imageparser/viewer/approx/smartObjects',
        'Smart objects are drawn from the pixels saved in the file, not re-rendered from their contents.'),
    featherNotApplied: () => nls.localize('imageparser/viewer/approx/feather', 'Mask feathering is not applied.'),
    blendIfNotApplied: () => nls.localize('imageparser/viewer/approx/blendIf', '“Blend If” ranges are not applied.'),
    knockoutNotApplied: () => nls.localize('imageparser/viewer/approx/knockout', 'Knockout is not applied.')
};

/**
 * A layer render's note (a code with parameters, from the PSD package's
 * compositor) in the display language. A code this viewer does not know
 * (a newer backend) is shown as a generic note naming it.
 */
export function approximationText(note: RenderNote): string {
    const text = Object.prototype.hasOwnProperty.call(TEXTS, note.code) ? TEXTS[note.code] : undefined;
    return text ? text(note.params) : nls.localize('imageparser/viewer/approx/unknown', 'Something is drawn approximately ({0}).', String(note.code));
}
