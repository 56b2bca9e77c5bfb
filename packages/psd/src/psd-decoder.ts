import { Psd, readPsd } from 'ag-psd';
import { ParseError } from './parse-error';
import { ParseLimits } from './parse-limits';
import { PSD_COLOR_MODES, readPsdHeader } from './psd-header';
import { convertDotGainGrayToSrgb, linearToSrgb, readMergedImage, readMergedRgb8, RgbaImage } from './psd-merged-image';
import { mergedImageBands } from './psd-merged-bands';
import { BANDED_PIXELS, collectBands, shrinkFactor } from './image-bands';
import { layerCapsProblem, measureLayerTree } from './psd-layer-caps';
import { compositeLayerBands, readLayeredPsd } from './layer-compositor';
import { ensureImageDataFactory } from './image-data';
import { formatBytes } from './byte-size';

/** A PSD's header, layer tree (without layer pixels) and composite, as {@link parsePsd} reads them. */
export interface DecodedPsd {
    readonly header: ReturnType<typeof readPsdHeader>;
    readonly kind: 'psd' | 'psb';
    readonly colorMode: string;
    readonly psd?: Psd;
    readonly notes?: string;
    /** Full size, or reduced by a whole factor when {@link DecodeOptions.atLeast} allowed it. */
    readonly composite: RgbaImage;
    /**
     * Where the composite comes from: the one stored in the file, or the
     * layers, drawn by the layer explorer's compositor because the stored one
     * is missing, blank or Photoshop's "not saved with a composite" placeholder.
     */
    readonly compositeFrom: 'stored' | 'layers';
}

export interface DecodeOptions {
    /** Reduce the composite by a whole factor while decoding, as long as its longest side stays at least this long. */
    readonly atLeast?: number;
}

/**
 * The header checks, the layer tree and the composite. Documents over
 * 4096 x 4096 pixels, or reduced for a preview, are decoded a band at a
 * time, so no full-size 16-bit or float copy is ever held.
 */
export function decodePsd(bytes: Uint8Array, limits: ParseLimits, options: DecodeOptions = {}): DecodedPsd {
    const header = readPsdHeader(bytes);
    const pixels = header.width * header.height;
    const decodeBytes = pixels * Math.max(4, header.channels) * Math.max(1, header.depth / 8);
    if (pixels > limits.maxPixels) {
        throw new ParseError('too-large',
            `The document claims ${header.width} x ${header.height} pixels, over the limit of ${limits.maxPixels.toLocaleString('en-US')} pixels.`);
    }
    if (decodeBytes > limits.maxDecodeBytes) {
        throw new ParseError('too-large', `Decoding the document would take about ${formatBytes(decodeBytes)} of memory `
            + `(${header.width} x ${header.height} pixels, ${header.channels} channels of ${header.depth} bits), over the limit of ${formatBytes(limits.maxDecodeBytes)}.`);
    }
    ensureImageDataFactory();
    const kind = header.version === 2 ? 'psb' : 'psd';
    const colorMode = PSD_COLOR_MODES[header.colorMode];
    const factor = options.atLeast ? shrinkFactor(header.width, header.height, options.atLeast) : 1;
    // Big or reduced documents have their stored composite read a band at a time; otherwise
    // 8-bit RGB, by far the most common, is read by our own fast decoder.
    const bands = factor > 1 || pixels > BANDED_PIXELS ? attempt(() => mergedImageBands(bytes, header)) : undefined;
    const merged = bands ? undefined : attempt(() => readMergedRgb8(bytes, header));
    let psd: Psd | undefined;
    let notes: string | undefined;
    let readFailure: ParseError | undefined;
    try {
        psd = readPsd(bytes, {
            useImageData: true, skipLayerImageData: true, skipThumbnail: true, skipLinkedFilesData: true,
            skipCompositeImageData: merged !== undefined || bands !== undefined, totalMemoryLimit: limits.maxDecodeBytes
        });
    } catch (error) {
        // ag-psd refuses some colour modes and damaged layer sections; the stored composite may still be fine.
        const message = messageOf(error);
        if (/memory limit/i.test(message)) {
            throw classify(message);
        }
        notes = `The layer tree was not read: ${message}.`;
        readFailure = classify(message);
    }
    if (psd) {
        const tree = measureLayerTree(psd.children);
        const problem = layerCapsProblem(tree.count, tree.depth, limits);
        if (problem) {
            notes = `The layer tree was not read: ${problem}`;
            psd = { ...psd, children: undefined };
        }
    }
    const placeholder = psd?.imageResources?.versionInfo?.hasRealMergedData === false;
    // Photoshop's grayscale documents are in its Dot Gain 20% working space, not sRGB.
    const toSrgb = (image: RgbaImage) => header.colorMode === 1 && header.depth !== 32 ? convertDotGainGrayToSrgb(image) : image;
    let complete = false;
    const stored = (): RgbaImage | undefined => {
        const banded = bands && attempt(() => collectBands(bands, factor));
        // Read a band at a time, every row of the data was there; ag-psd's reading says less.
        complete = !!banded || !!merged;
        const image = banded ?? merged ?? (psd?.imageData ? toRgba8(psd.imageData, header.depth) : undefined);
        return image && toSrgb(image);
    };
    const storedImage = placeholder ? undefined : stored();
    const result = { header, kind, colorMode, psd } as const;
    if (storedImage && !isBlank(storedImage)) {
        return { ...result, notes, composite: storedImage, compositeFrom: 'stored' };
    }
    const layers = psd?.children?.length ? attempt(() => compositeFromLayers(bytes, limits, factor)) : undefined;
    if (layers && !isBlank(layers)) {
        const why = placeholder
            ? 'The file was saved without a composite image ("Maximize Compatibility" off); its preview is drawn from its layers.'
            : 'The file\'s stored composite image is empty; its preview is drawn from its layers.';
        return { ...result, notes: notes ? `${notes} ${why}` : why, composite: layers, compositeFrom: 'layers' };
    }
    const fallback = placeholder ? stored() : storedImage;
    if (fallback && (complete || !isBlank(fallback))) {
        return { ...result, notes, composite: fallback, compositeFrom: 'stored' };
    }
    // Nothing visible anywhere: the general reader has the last word, so that a cut-short composite is reported as such.
    return { ...result, notes, composite: toSrgb(readMergedImageOrFail(bytes, header, readFailure)), compositeFrom: 'stored' };
}

/** The layers composited as the layer explorer draws them, a band at a time, reduced by `factor`. */
function compositeFromLayers(bytes: Uint8Array, limits: ParseLimits, factor: number): RgbaImage {
    return collectBands(compositeLayerBands(readLayeredPsd(bytes, limits.maxDecodeBytes)), factor);
}

/** What `read` answers, or undefined when it throws: damaged image data, for which the layers or the general reader's error take over. */
function attempt<T>(read: () => T | undefined): T | undefined {
    try {
        return read();
    } catch {
        return undefined;
    }
}

/** The stored composite; when even that fails, the first error met is the one reported. */
function readMergedImageOrFail(bytes: Uint8Array, header: ReturnType<typeof readPsdHeader>, earlier?: ParseError): RgbaImage {
    try {
        return readMergedImage(bytes, header);
    } catch (error) {
        if (earlier && !/not supported/i.test(earlier.message)) {
            throw earlier;
        }
        throw error instanceof ParseError ? error : classify(messageOf(error));
    }
}

/** ag-psd image data (8-bit, 16-bit, or linear 32-bit float) as 8-bit sRGB. */
function toRgba8(image: { width: number; height: number; data: ArrayLike<number> }, depth: number): RgbaImage {
    const source = image.data;
    if (source instanceof Uint8ClampedArray || source instanceof Uint8Array) {
        return { width: image.width, height: image.height, data: new Uint8Array(source.buffer, source.byteOffset, source.byteLength) };
    }
    const data = new Uint8Array(image.width * image.height * 4);
    for (let i = 0; i < data.length; i++) {
        const value = source[i];
        const isAlpha = (i & 3) === 3;
        data[i] = depth === 32
            ? Math.round((isAlpha ? Math.max(0, Math.min(1, value)) : linearToSrgb(value)) * 255)
            : Math.round(value / 257);
    }
    return { width: image.width, height: image.height, data };
}

/** Whether an image has nothing visible: every alpha zero (an image without alpha never is). */
function isBlank(image: { data: ArrayLike<number>; channels?: 3 | 4 }): boolean {
    if (image.channels === 3) {
        return false;
    }
    const data = image.data;
    for (let i = 3; i < data.length; i += 4) {
        if (data[i] !== 0) {
            return false;
        }
    }
    return true;
}

function classify(message: string): ParseError {
    if (/out of range|end of (file|buffer)|offset is outside|beyond the end|exceeds file size|RangeError/i.test(message)) {
        return new ParseError('truncated', `The document ends before its data does: ${message}`);
    }
    if (/memory limit/i.test(message)) {
        return new ParseError('too-large', `Decoding the document would need more memory than allowed: ${message}`);
    }
    return new ParseError('corrupt', `The document cannot be read: ${message}`);
}


function messageOf(error: unknown): string {
    return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}
