import { PsdHeader } from './psd-header';
import { ParseError } from './parse-error';

/** 8-bit sRGB pixels, interleaved RGBA (or RGB where `channels` is 3). */
export interface RgbaImage {
    readonly width: number;
    readonly height: number;
    readonly data: Uint8Array;
    readonly channels?: 3 | 4;
    /** For CMYK documents, the same pixels as 8-bit CMYK (0 = no ink), for an ICC-based conversion. */
    readonly cmyk?: Uint8Array;
}

/**
 * Decodes the merged (composite) image stored at the end of a PSD/PSB and
 * converts it to 8-bit sRGB, for the colour modes ag-psd does not read:
 * CMYK, Lab, multichannel, duotone, and uncompressed indexed or bitmap data.
 */
export function readMergedImage(bytes: Uint8Array, header: PsdHeader): RgbaImage {
    const reader = new SectionReader(bytes);
    const colorModeData = seekImageData(reader, header);
    const compression = reader.u16();
    const { width, height, depth, channels } = header;
    const rowBytes = Math.ceil((width * depth) / 8);
    const planes: Uint8Array[] = [];
    if (compression === 0) {
        for (let c = 0; c < channels; c++) {
            planes.push(reader.bytes(rowBytes * height));
        }
    } else if (compression === 1) {
        const counts: number[] = [];
        for (let i = 0; i < channels * height; i++) {
            counts.push(header.version === 2 ? reader.u32() : reader.u16());
        }
        for (let c = 0; c < channels; c++) {
            const plane = new Uint8Array(rowBytes * height);
            for (let y = 0; y < height; y++) {
                unpackBits(reader.bytes(counts[c * height + y]), plane.subarray(y * rowBytes, (y + 1) * rowBytes));
            }
            planes.push(plane);
        }
    } else {
        throw new ParseError('unsupported-format', `The composite image uses compression ${compression}, which ImageParser does not read.`);
    }
    const sample = sampler(depth, width);
    const data = new Uint8Array(width * height * 4);
    const cmyk = header.colorMode === 4 ? new Uint8Array(width * height * 4) : undefined;
    for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
            const at = (plane: number) => sample(planes[plane], y, x);
            const out = (y * width + x) * 4;
            const [r, g, b, alpha] = convertPixel(header, colorModeData, at, channels);
            data[out] = r;
            data[out + 1] = g;
            data[out + 2] = b;
            data[out + 3] = alpha;
            if (cmyk) {
                for (let c = 0; c < 4; c++) {
                    cmyk[out + c] = 255 - Math.round(at(c) * 255);
                }
            }
        }
    }
    return { width, height, data, cmyk };
}

/** Moves the reader to the image data section; answers the colour mode data. */
export function seekImageData(reader: SectionReader, header: PsdHeader): Uint8Array {
    reader.position = 26;
    const colorModeData = reader.bytes(reader.u32());
    reader.skip(reader.u32());
    reader.skip(header.version === 2 ? reader.u64() : reader.u32());
    return colorModeData;
}

/**
 * The fast path for the common case, an 8-bit RGB document: decodes the
 * merged image straight into interleaved RGB, or RGBA when a fourth channel
 * holds transparency, without the float conversion of `readMergedImage`.
 * RGB without alpha keeps the later resize at three channels, which libvips
 * does in half the time. Answers undefined for other modes and compressions.
 */
export function readMergedRgb8(bytes: Uint8Array, header: PsdHeader): RgbaImage | undefined {
    if (header.colorMode !== 3 || header.depth !== 8 || header.channels < 3) {
        return undefined;
    }
    const { reader, mattedAlpha } = locateMergedImage(bytes, header);
    const compression = reader.u16();
    if (compression !== 0 && compression !== 1) {
        return undefined;
    }
    const { width, height } = header;
    const stride = header.channels >= 4 ? 4 : 3;
    const data = new Uint8Array(width * height * stride);
    if (compression === 0) {
        for (let c = 0; c < stride; c++) {
            const plane = reader.bytes(width * height);
            for (let i = 0, o = c; i < plane.length; i++, o += stride) {
                data[o] = plane[i];
            }
        }
        if (mattedAlpha && stride === 4) {
            removeWhiteMatte(data);
        }
        return { width, height, data, channels: stride };
    }
    const counts: number[] = new Array(header.channels * height);
    for (let i = 0; i < counts.length; i++) {
        counts[i] = header.version === 2 ? reader.u32() : reader.u16();
    }
    for (let c = 0; c < stride; c++) {
        for (let y = 0; y < height; y++) {
            unpackBitsStrided(reader.bytes(counts[c * height + y]), data, (y * width) * stride + c, width, stride);
        }
    }
    if (mattedAlpha && stride === 4) {
        removeWhiteMatte(data);
    }
    return { width, height, data, channels: stride };
}

/**
 * A reader at the merged image data (its compression word), and whether its
 * colours are matted against white: a negative layer count says the first
 * alpha channel is the merged image's transparency, and then Photoshop
 * stores the colours matted.
 */
export function locateMergedImage(bytes: Uint8Array, header: PsdHeader): { reader: SectionReader; mattedAlpha: boolean } {
    const reader = new SectionReader(bytes);
    const large = header.version === 2;
    reader.position = 26;
    reader.skip(reader.u32());
    reader.skip(reader.u32());
    const layerSectionLength = large ? reader.u64() : reader.u32();
    const layerSectionEnd = reader.position + layerSectionLength;
    let mattedAlpha = false;
    if (layerSectionLength >= (large ? 10 : 6) && (large ? reader.u64() : reader.u32()) >= 2) {
        mattedAlpha = (reader.u16() & 0x8000) !== 0;
    }
    reader.position = layerSectionEnd;
    return { reader, mattedAlpha };
}

/** Undoes Photoshop's white matte on partly transparent pixels: c = (c' - 255 (1 - a)) / a. */
export function removeWhiteMatte(rgba: Uint8Array): void {
    for (let i = 0; i < rgba.length; i += 4) {
        const alpha = rgba[i + 3];
        if (alpha !== 0 && alpha !== 255) {
            const inverse = 255 / alpha;
            const offset = 255 * (1 - inverse);
            rgba[i] = Math.max(0, Math.min(255, Math.round(rgba[i] * inverse + offset)));
            rgba[i + 1] = Math.max(0, Math.min(255, Math.round(rgba[i + 1] * inverse + offset)));
            rgba[i + 2] = Math.max(0, Math.min(255, Math.round(rgba[i + 2] * inverse + offset)));
        }
    }
}

/** PackBits into every `stride`-th byte of `output`, from `start`, `count` values at most. */
export function unpackBitsStrided(input: Uint8Array, output: Uint8Array, start: number, count: number, stride: number): void {
    let i = 0, o = start;
    const end = start + count * stride;
    const length = input.length;
    while (i < length && o < end) {
        const n = (input[i++] << 24) >> 24;
        if (n >= 0) {
            for (let k = 0; k <= n && o < end && i < length; k++, o += stride) {
                output[o] = input[i++];
            }
        } else if (n !== -128) {
            const value = input[i++];
            for (let k = 0; k < 1 - n && o < end; k++, o += stride) {
                output[o] = value;
            }
        }
    }
}

export type Sample = (plane: number) => number;

/** One pixel to sRGB; samples arrive as 0..1 (gamma-encoded, except 32-bit which PSD stores linear). */
export function convertPixel(header: PsdHeader, colorModeData: Uint8Array, at: Sample, channels: number): [number, number, number, number] {
    const to8 = (value: number) => Math.max(0, Math.min(255, Math.round(value * 255)));
    const alphaFrom = (plane: number) => channels > plane ? to8(at(plane)) : 255;
    switch (header.colorMode) {
        case 0: {
            const ink = at(0) > 0.5 ? 0 : 255;
            return [ink, ink, ink, 255];
        }
        case 2: {
            const index = Math.round(at(0) * 255);
            return [colorModeData[index] ?? 0, colorModeData[256 + index] ?? 0, colorModeData[512 + index] ?? 0, 255];
        }
        case 4: {
            // Photoshop stores CMYK inverted: 1 means no ink.
            const k = at(3);
            return [to8(at(0) * k), to8(at(1) * k), to8(at(2) * k), alphaFrom(4)];
        }
        case 9:
            return [...labToSrgb(at(0) * 100, at(1) * 255 - 128, at(2) * 255 - 128), alphaFrom(3)] as [number, number, number, number];
        case 3: {
            // 32-bit documents store linear light.
            const colour = header.depth === 32 ? (value: number) => to8(linearToSrgb(value)) : to8;
            return [colour(at(0)), colour(at(1)), colour(at(2)), alphaFrom(3)];
        }
        default: {
            // Grayscale, multichannel and duotone: the first channel as gray.
            const gray = to8(header.depth === 32 ? linearToSrgb(at(0)) : at(0));
            return [gray, gray, gray, header.colorMode === 1 ? alphaFrom(1) : 255];
        }
    }
}

/** CIE L*a*b* (D50, as Photoshop uses) to 8-bit sRGB (D65), Bradford-adapted. */
export function labToSrgb(l: number, a: number, b: number): [number, number, number] {
    const fy = (l + 16) / 116;
    const fx = fy + a / 500;
    const fz = fy - b / 200;
    const inverse = (t: number) => t > 6 / 29 ? t ** 3 : 3 * (6 / 29) ** 2 * (t - 4 / 29);
    const x = 0.9642 * inverse(fx), y = inverse(fy), z = 0.8251 * inverse(fz);
    const rl = 3.1338561 * x - 1.6168667 * y - 0.4906146 * z;
    const gl = -0.9787684 * x + 1.9161415 * y + 0.0334540 * z;
    const bl = 0.0719453 * x - 0.2289914 * y + 1.4052427 * z;
    return [rl, gl, bl].map(v => Math.max(0, Math.min(255, Math.round(linearToSrgb(v) * 255)))) as [number, number, number];
}

/**
 * A grayscale value in Photoshop's default gray working space, Dot Gain 20%
 * (a 50% dot prints as 70%), to sRGB: ink coverage c grows to c + 0.8c(1 - c),
 * the paper reflects the rest (linear light), which sRGB then encodes.
 */
export function dotGain20ToSrgb(gray: number): number {
    const coverage = 1 - gray / 255;
    const printed = coverage + 0.8 * coverage * (1 - coverage);
    return Math.round(linearToSrgb(1 - printed) * 255);
}

/** Converts an RGBA image whose gray channels hold Dot Gain 20% values to sRGB, in place. */
export function convertDotGainGrayToSrgb(image: RgbaImage): RgbaImage {
    const table = Uint8Array.from({ length: 256 }, (_, gray) => dotGain20ToSrgb(gray));
    const data = new Uint8Array(image.data);
    for (let i = 0; i < data.length; i += 4) {
        data[i] = table[data[i]];
        data[i + 1] = table[data[i + 1]];
        data[i + 2] = table[data[i + 2]];
    }
    return { width: image.width, height: image.height, data };
}

export function linearToSrgb(value: number): number {
    const v = Math.max(0, Math.min(1, value));
    return v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055;
}

export function sampler(depth: number, width: number): (plane: Uint8Array, y: number, x: number) => number {
    const rowBytes = Math.ceil((width * depth) / 8);
    switch (depth) {
        case 1: return (plane, y, x) => (plane[y * rowBytes + (x >> 3)] >> (7 - (x & 7))) & 1;
        case 8: return (plane, y, x) => plane[y * rowBytes + x] / 255;
        case 16: return (plane, y, x) => ((plane[y * rowBytes + x * 2] << 8) | plane[y * rowBytes + x * 2 + 1]) / 65535;
        default: return (plane, y, x) => {
            const offset = y * rowBytes + x * 4;
            return new DataView(plane.buffer, plane.byteOffset + offset, 4).getFloat32(0);
        };
    }
}

/** PackBits, as PSD uses for RLE rows. */
export function unpackBits(input: Uint8Array, output: Uint8Array): void {
    let i = 0, o = 0;
    while (i < input.length && o < output.length) {
        const n = (input[i++] << 24) >> 24;
        if (n >= 0) {
            for (let k = 0; k <= n && o < output.length; k++) {
                output[o++] = input[i++];
            }
        } else if (n !== -128) {
            const value = input[i++];
            for (let k = 0; k < 1 - n && o < output.length; k++) {
                output[o++] = value;
            }
        }
    }
}

export class SectionReader {
    position = 0;
    constructor(protected readonly data: Uint8Array) { }

    get length(): number {
        return this.data.length;
    }

    protected need(length: number): void {
        if (this.position + length > this.data.length) {
            throw new ParseError('truncated', `The file ends at byte ${this.data.length}, inside its image data.`);
        }
    }
    u16(): number {
        this.need(2);
        const value = (this.data[this.position] << 8) | this.data[this.position + 1];
        this.position += 2;
        return value;
    }
    u32(): number {
        this.need(4);
        const value = new DataView(this.data.buffer, this.data.byteOffset + this.position, 4).getUint32(0);
        this.position += 4;
        return value;
    }
    u64(): number {
        const high = this.u32();
        return high * 2 ** 32 + this.u32();
    }
    bytes(length: number): Uint8Array {
        this.need(length);
        const slice = this.data.subarray(this.position, this.position + length);
        this.position += length;
        return slice;
    }
    skip(length: number): void {
        this.need(length);
        this.position += length;
    }
}
