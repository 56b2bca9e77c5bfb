import { BandSource, rowsPerBand } from './image-bands';
import { ParseError } from './parse-error';
import { PsdHeader } from './psd-header';
import { convertPixel, locateMergedImage, removeWhiteMatte, sampler, seekImageData, SectionReader, unpackBits, unpackBitsStrided } from './psd-merged-image';

/**
 * The stored composite of a PSD/PSB as a {@link BandSource}: each band's
 * rows are found through the RLE row counts (or at their place in raw data)
 * and decoded straight into the band, so no plane, 16-bit or float copy of
 * the whole image is ever held. 8-bit RGB goes straight into interleaved
 * RGB(A); other modes and depths are converted pixel by pixel to 8-bit sRGB
 * (CMYK without its ICC profile). Undefined for ZIP-compressed data, which
 * cannot be read a band at a time.
 */
export function mergedImageBands(bytes: Uint8Array, header: PsdHeader): BandSource | undefined {
    const { reader, mattedAlpha } = locateMergedImage(bytes, header);
    const colorModeData = seekImageData(new SectionReader(bytes), header);
    const compression = reader.u16();
    if (compression !== 0 && compression !== 1) {
        return undefined;
    }
    const { width, height, depth, channels } = header;
    const rowBytes = Math.ceil((width * depth) / 8);
    const fast = header.colorMode === 3 && depth === 8 && channels >= 3;
    const stride: 3 | 4 = fast && channels < 4 ? 3 : 4;
    // Conversion reads up to five planes (CMYK and alpha); the fast path the colours and alpha.
    const used = Math.min(channels, fast ? stride : 5);
    const rows = rowLocator(reader, header, compression, rowBytes, used);
    const bandRows = rowsPerBand(width * stride + (fast ? 0 : rowBytes * used));
    const sample = sampler(depth, width);
    let planes: Uint8Array[] = [];

    const readBand = (top: number, bottom: number, out: Uint8Array) => {
        if (fast) {
            for (let c = 0; c < stride; c++) {
                for (let y = top; y < bottom; y++) {
                    const row = rows(c, y);
                    const start = (y - top) * width * stride + c;
                    if (compression === 1) {
                        unpackBitsStrided(row, out, start, width, stride);
                    } else {
                        for (let x = 0, o = start; x < width; x++, o += stride) {
                            out[o] = row[x];
                        }
                    }
                }
            }
            if (mattedAlpha && stride === 4) {
                removeWhiteMatte(out);
            }
            return;
        }
        const count = bottom - top;
        if (planes.length !== used || planes[0].length < count * rowBytes) {
            planes = Array.from({ length: used }, () => new Uint8Array(bandRows * rowBytes));
        }
        for (let c = 0; c < used; c++) {
            for (let y = top; y < bottom; y++) {
                const target = planes[c].subarray((y - top) * rowBytes, (y - top + 1) * rowBytes);
                if (compression === 1) {
                    target.fill(0);
                    unpackBits(rows(c, y), target);
                } else {
                    target.set(rows(c, y));
                }
            }
        }
        for (let y = 0; y < count; y++) {
            for (let x = 0; x < width; x++) {
                const pixel = convertPixel(header, colorModeData, plane => sample(planes[plane], y, x), channels);
                out.set(pixel, (y * width + x) * 4);
            }
        }
    };
    return { width, height, channels: stride, bandRows, readBand };
}

/** Finds row `y` of channel `c`: through prefix sums of the RLE counts, or by position in raw data. */
function rowLocator(reader: SectionReader, header: PsdHeader, compression: number, rowBytes: number, used: number): (c: number, y: number) => Uint8Array {
    const { height, channels } = header;
    const start = reader.position;
    if (compression === 0) {
        // Reading the last row checks that the data is all there.
        reader.skip(rowBytes * height * channels);
        return (c, y) => {
            reader.position = start + (c * height + y) * rowBytes;
            return reader.bytes(rowBytes);
        };
    }
    const wide = header.version === 2;
    const offsets: Float64Array[] = [];
    let position = start + channels * height * (wide ? 4 : 2);
    for (let c = 0; c < channels; c++) {
        const channel = c < used ? new Float64Array(height + 1) : undefined;
        for (let y = 0; y < height; y++) {
            if (channel) {
                channel[y] = position;
            }
            position += wide ? reader.u32() : reader.u16();
        }
        if (channel) {
            channel[height] = position;
            offsets.push(channel);
        }
    }
    if (position > reader.length) {
        throw new ParseError('truncated', `The file ends at byte ${reader.length}, inside its image data.`);
    }
    return (c, y) => {
        reader.position = offsets[c][y];
        return reader.bytes(offsets[c][y + 1] - offsets[c][y]);
    };
}
