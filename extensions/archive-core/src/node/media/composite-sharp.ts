import sharp from 'sharp';
import type { Sharp } from 'sharp';
import { encodeCmykTiff, RgbaImage } from '@imageparser/psd';

/** A decoded composite as a sharp pipeline (CMYK through a TIFF, so libvips converts it with a real profile). */
export function compositeSharp(composite: RgbaImage): Sharp {
    return composite.cmyk
        ? sharp(encodeCmykTiff(composite.width, composite.height, composite.cmyk))
        : sharp(composite.data, { raw: { width: composite.width, height: composite.height, channels: composite.channels ?? 4 } });
}
