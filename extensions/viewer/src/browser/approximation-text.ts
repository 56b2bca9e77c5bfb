import { nls } from '@theia/core/lib/common/nls';
import { AssetLabels } from '@imageparser/archive-core/lib/browser/asset-labels';

/**
 * The layer renderer's notes (English sentences from archive-core's
 * compositor) in the display language. A note this table does not know is
 * shown as it came.
 */
export function approximationText(note: string): string {
    const blend = /^Blend mode “(.+)” is drawn as normal\.$/.exec(note);
    if (blend) {
        return nls.localize('imageparser/viewer/approx/blendMode', 'Blend mode “{0}” is drawn as normal.', AssetLabels.blendMode(blend[1]));
    }
    switch (note) {
        case 'Adjustment layers are not applied.':
            return nls.localize('imageparser/viewer/approx/adjustments', 'Adjustment layers are not applied.');
        case 'Layer effects (drop shadow, stroke, …) are not drawn.':
            return nls.localize('imageparser/viewer/approx/effects', 'Layer effects (drop shadow, stroke, …) are not drawn.');
        case 'Vector masks are not applied.':
            return nls.localize('imageparser/viewer/approx/vectorMasks', 'Vector masks are not applied.');
        case 'Shape, fill, text and smart object layers saved without pixels are not drawn.':
            return nls.localize('imageparser/viewer/approx/noPixels', 'Shape, fill, text and smart object layers saved without pixels are not drawn.');
        case 'Text layers are drawn from the pixels saved in the file, not re-rendered.':
            return nls.localize('imageparser/viewer/approx/text', 'Text layers are drawn from the pixels saved in the file, not re-rendered.');
        case 'Smart objects are drawn from the pixels saved in the file, not re-rendered from their contents.':
            return nls.localize('imageparser/viewer/approx/smartObjects', 'Smart objects are drawn from the pixels saved in the file, not re-rendered from their contents.');
        case 'Mask feathering is not applied.':
            return nls.localize('imageparser/viewer/approx/feather', 'Mask feathering is not applied.');
        case '“Blend If” ranges are not applied.':
            return nls.localize('imageparser/viewer/approx/blendIf', '“Blend If” ranges are not applied.');
        case 'Knockout is not applied.':
            return nls.localize('imageparser/viewer/approx/knockout', 'Knockout is not applied.');
        default:
            return note;
    }
}
