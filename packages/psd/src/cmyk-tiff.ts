/**
 * Wraps 8-bit CMYK pixels (0 = no ink) in a minimal uncompressed TIFF
 * (PhotometricInterpretation 5, "separated"), so libvips knows they are CMYK
 * and converts them to sRGB through a real CMYK profile rather than a formula.
 */
export function encodeCmykTiff(width: number, height: number, cmyk: Uint8Array): Buffer {
    const entries: [number, number, number, number][] = [
        // tag, type (3 SHORT, 4 LONG), count, value
        [256, 4, 1, width],
        [257, 4, 1, height],
        [258, 3, 4, 0], // BitsPerSample: 4 values, stored out of line
        [259, 3, 1, 1], // no compression
        [262, 3, 1, 5], // separated (CMYK)
        [273, 4, 1, 0], // StripOffsets, set below
        [277, 3, 1, 4], // SamplesPerPixel
        [278, 4, 1, height], // RowsPerStrip
        [279, 4, 1, cmyk.length], // StripByteCounts
        [284, 3, 1, 1] // chunky
    ];
    const ifdOffset = 8;
    const ifdSize = 2 + entries.length * 12 + 4;
    const bitsOffset = ifdOffset + ifdSize;
    const dataOffset = bitsOffset + 8;
    entries[2][3] = bitsOffset;
    entries[5][3] = dataOffset;
    const buffer = Buffer.alloc(dataOffset + cmyk.length);
    buffer.write('II', 0, 'latin1');
    buffer.writeUInt16LE(42, 2);
    buffer.writeUInt32LE(ifdOffset, 4);
    buffer.writeUInt16LE(entries.length, ifdOffset);
    entries.forEach(([tag, type, count, value], i) => {
        const at = ifdOffset + 2 + i * 12;
        buffer.writeUInt16LE(tag, at);
        buffer.writeUInt16LE(type, at + 2);
        buffer.writeUInt32LE(count, at + 4);
        if (type === 3 && count === 1) {
            buffer.writeUInt16LE(value, at + 8);
        } else {
            buffer.writeUInt32LE(value, at + 8);
        }
    });
    buffer.writeUInt32LE(0, ifdOffset + 2 + entries.length * 12);
    for (let i = 0; i < 4; i++) {
        buffer.writeUInt16LE(8, bitsOffset + i * 2);
    }
    buffer.set(cmyk, dataOffset);
    return buffer;
}
