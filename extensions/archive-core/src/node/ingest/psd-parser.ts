import { decodePsd, flattenLayers, ParseLimits } from '@imageparser/psd';
import { ParsedAsset } from './parse-result';
import { PREVIEW_SIZE, renderImage } from './thumbnails';
import { compositeSharp } from '../media/composite-sharp';

/**
 * Reads a PSD or PSB: the header checks first (size, pixel cap, memory
 * estimate), then ag-psd for the layer tree, text and the stored composite.
 * When the stored composite is missing, blank or Photoshop's placeholder
 * (files saved without "Maximize Compatibility"), the layers are drawn by
 * the layer explorer's compositor instead (one reader, one compositor: `@imageparser/psd`), so previews and layer renders agree.
 * Colour modes ag-psd does not read (CMYK, Lab, multichannel, duotone) still
 * get their composite from the merged image data, converted to sRGB.
 */
export async function parsePsd(bytes: Uint8Array, limits: ParseLimits): Promise<ParsedAsset> {
    const { header, kind, colorMode, psd, notes, composite } = decodePsd(bytes, limits, { atLeast: 2 * PREVIEW_SIZE });
    const rendered = await renderImage(compositeSharp(composite));
    const layers = psd ? flattenLayers(psd.children ?? []) : [];
    const resolution = psd?.imageResources?.resolutionInfo;
    return {
        kind,
        width: header.width,
        height: header.height,
        colorMode,
        bitDepth: header.depth,
        dpi: resolution ? (resolution.horizontalResolutionUnit === 'PPCM' ? resolution.horizontalResolution * 2.54 : resolution.horizontalResolution) : undefined,
        hasAlpha: header.channels > (header.colorMode === 4 ? 4 : header.colorMode === 3 || header.colorMode === 9 ? 3 : 1),
        layers,
        notes,
        ...rendered
    };
}

