import { nls } from '@theia/core/lib/common/nls';

/**
 * The archive's enum values (stored and sent as English codes) in the
 * display language: layer kinds, blend modes, colour modes, file and phase
 * states, phase names and parse error codes. A value these tables do not
 * know (a newer archive, another package's phase) is shown as it came.
 */
export namespace AssetLabels {

    /** A PSD layer's kind: pixel, text, group, adjustment, smart-object, shape. */
    export function layerKind(kind: string): string {
        switch (kind) {
            case 'pixel': return nls.localize('imageparser/archive-core/layerKind/pixel', 'Pixel');
            case 'text': return nls.localize('imageparser/archive-core/layerKind/text', 'Text');
            case 'group': return nls.localize('imageparser/archive-core/layerKind/group', 'Group');
            case 'adjustment': return nls.localize('imageparser/archive-core/layerKind/adjustment', 'Adjustment');
            case 'smart-object': return nls.localize('imageparser/archive-core/layerKind/smartObject', 'Smart object');
            case 'shape': return nls.localize('imageparser/archive-core/layerKind/shape', 'Shape');
            default: return kind;
        }
    }

    const BLEND_MODES: Record<string, () => string> = {
        'pass through': () => nls.localize('imageparser/archive-core/blendMode/passThrough', 'Pass Through'),
        'normal': () => nls.localize('imageparser/archive-core/blendMode/normal', 'Normal'),
        'dissolve': () => nls.localize('imageparser/archive-core/blendMode/dissolve', 'Dissolve'),
        'darken': () => nls.localize('imageparser/archive-core/blendMode/darken', 'Darken'),
        'multiply': () => nls.localize('imageparser/archive-core/blendMode/multiply', 'Multiply'),
        'color burn': () => nls.localize('imageparser/archive-core/blendMode/colorBurn', 'Color Burn'),
        'linear burn': () => nls.localize('imageparser/archive-core/blendMode/linearBurn', 'Linear Burn'),
        'darker color': () => nls.localize('imageparser/archive-core/blendMode/darkerColor', 'Darker Color'),
        'lighten': () => nls.localize('imageparser/archive-core/blendMode/lighten', 'Lighten'),
        'screen': () => nls.localize('imageparser/archive-core/blendMode/screen', 'Screen'),
        'color dodge': () => nls.localize('imageparser/archive-core/blendMode/colorDodge', 'Color Dodge'),
        'linear dodge': () => nls.localize('imageparser/archive-core/blendMode/linearDodge', 'Linear Dodge (Add)'),
        'lighter color': () => nls.localize('imageparser/archive-core/blendMode/lighterColor', 'Lighter Color'),
        'overlay': () => nls.localize('imageparser/archive-core/blendMode/overlay', 'Overlay'),
        'soft light': () => nls.localize('imageparser/archive-core/blendMode/softLight', 'Soft Light'),
        'hard light': () => nls.localize('imageparser/archive-core/blendMode/hardLight', 'Hard Light'),
        'vivid light': () => nls.localize('imageparser/archive-core/blendMode/vividLight', 'Vivid Light'),
        'linear light': () => nls.localize('imageparser/archive-core/blendMode/linearLight', 'Linear Light'),
        'pin light': () => nls.localize('imageparser/archive-core/blendMode/pinLight', 'Pin Light'),
        'hard mix': () => nls.localize('imageparser/archive-core/blendMode/hardMix', 'Hard Mix'),
        'difference': () => nls.localize('imageparser/archive-core/blendMode/difference', 'Difference'),
        'exclusion': () => nls.localize('imageparser/archive-core/blendMode/exclusion', 'Exclusion'),
        'subtract': () => nls.localize('imageparser/archive-core/blendMode/subtract', 'Subtract'),
        'divide': () => nls.localize('imageparser/archive-core/blendMode/divide', 'Divide'),
        'hue': () => nls.localize('imageparser/archive-core/blendMode/hue', 'Hue'),
        'saturation': () => nls.localize('imageparser/archive-core/blendMode/saturation', 'Saturation'),
        'color': () => nls.localize('imageparser/archive-core/blendMode/color', 'Color'),
        'luminosity': () => nls.localize('imageparser/archive-core/blendMode/luminosity', 'Luminosity')
    };

    /** A layer's blend mode as Photoshop names it (the PSD's names, as ag-psd reads them). */
    export function blendMode(mode: string): string {
        return BLEND_MODES[mode]?.() ?? mode;
    }

    /** A colour mode: PSD's (bitmap, grayscale, indexed, rgb, cmyk, multichannel, duotone, lab) or the decoder's colour space (srgb, b-w, …). */
    export function colorMode(mode: string): string {
        switch (mode) {
            case 'bitmap': return nls.localize('imageparser/archive-core/colorMode/bitmap', 'Bitmap');
            case 'grayscale': case 'b-w': case 'grey16':
                return nls.localize('imageparser/archive-core/colorMode/grayscale', 'Grayscale');
            case 'indexed': return nls.localize('imageparser/archive-core/colorMode/indexed', 'Indexed colour');
            case 'rgb': case 'rgb16': return 'RGB';
            case 'srgb': return 'sRGB';
            case 'scrgb': return 'scRGB';
            case 'cmyk': return 'CMYK';
            case 'lab': return 'Lab';
            case 'multichannel': case 'multiband':
                return nls.localize('imageparser/archive-core/colorMode/multichannel', 'Multichannel');
            case 'duotone': return nls.localize('imageparser/archive-core/colorMode/duotone', 'Duotone');
            case 'unknown': return nls.localize('imageparser/archive-core/colorMode/unknown', 'Unknown');
            default: return mode;
        }
    }

    /** A file's state in the archive: pending, indexed, failed, missing. */
    export function fileState(state: string): string {
        switch (state) {
            case 'pending': return nls.localize('imageparser/archive-core/fileState/pending', 'Waiting to be indexed');
            case 'indexed': return nls.localize('imageparser/archive-core/fileState/indexed', 'Indexed');
            case 'failed': return nls.localize('imageparser/archive-core/fileState/failed', 'Failed');
            case 'missing': return nls.localize('imageparser/archive-core/fileState/missing', 'Missing');
            default: return state;
        }
    }

    /** A processing phase of an asset: parse (reading the file); later phases name themselves. */
    export function phase(name: string): string {
        switch (name) {
            case 'parse': return nls.localize('imageparser/archive-core/phase/parse', 'Reading the file');
            default: return name;
        }
    }

    /** A phase's state: pending, running, done, failed. */
    export function phaseState(state: string): string {
        switch (state) {
            case 'pending': return nls.localize('imageparser/archive-core/phaseState/pending', 'Waiting');
            case 'running': return nls.localize('imageparser/archive-core/phaseState/running', 'Running');
            case 'done': return nls.localize('imageparser/archive-core/phaseState/done', 'Done');
            case 'failed': return nls.localize('imageparser/archive-core/phaseState/failed', 'Failed');
            default: return state;
        }
    }

    /** Why a file could not be read (the parser's error code). */
    export function parseError(code: string): string {
        switch (code) {
            case 'empty': return nls.localize('imageparser/archive-core/parseError/empty', 'The file is empty');
            case 'unsupported-format': return nls.localize('imageparser/archive-core/parseError/unsupportedFormat', 'The file\'s format is not supported');
            case 'truncated': return nls.localize('imageparser/archive-core/parseError/truncated', 'The file is cut short');
            case 'corrupt': return nls.localize('imageparser/archive-core/parseError/corrupt', 'The file is damaged');
            case 'too-large': return nls.localize('imageparser/archive-core/parseError/tooLarge', 'The image is too large to read');
            case 'timeout': return nls.localize('imageparser/archive-core/parseError/timeout', 'Reading the file took too long');
            case 'out-of-memory': return nls.localize('imageparser/archive-core/parseError/outOfMemory', 'Reading the file needed too much memory');
            case 'unreadable': return nls.localize('imageparser/archive-core/parseError/unreadable', 'The file cannot be read');
            default: return code;
        }
    }
}
