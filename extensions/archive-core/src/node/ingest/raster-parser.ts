import * as fs from 'fs';
import sharp from 'sharp';
import type { Metadata } from 'sharp';
import exifReader = require('exif-reader');
import { ParseError, ParseLimits } from '@imageparser/psd';
import { AssetKind, ParsedAsset } from './parse-result';
import { renderImage } from './thumbnails';

/**
 * Reads a PNG or JPEG with sharp (libvips): header first, so oversized images
 * are refused before any pixel is decoded; then metadata and EXIF; then one
 * oriented sRGB decode feeding thumbnails and descriptors.
 */
export async function parseRaster(file: string | Buffer, kind: AssetKind, limits: ParseLimits): Promise<ParsedAsset> {
    let metadata: Metadata;
    try {
        metadata = await sharp(file, { limitInputPixels: false }).metadata();
    } catch (error) {
        throw new ParseError('corrupt', `The ${kind.toUpperCase()} header cannot be read: ${messageOf(error)}`);
    }
    const { width, height } = metadata;
    if (!width || !height) {
        throw new ParseError('corrupt', 'The image header has no dimensions.');
    }
    if (width * height > limits.maxPixels) {
        throw new ParseError('too-large', `The image claims ${width} x ${height} pixels, over the limit of ${limits.maxPixels.toLocaleString('en-US')} pixels.`);
    }
    const exif = readExif(metadata.exif);
    let rendered;
    try {
        rendered = await renderImage(sharp(file, { limitInputPixels: limits.maxPixels, failOn: 'truncated' }).rotate());
    } catch (error) {
        const message = messageOf(error);
        // libvips' error buffer is shared by threads, so a message can be lost ("Unknown error"):
        // the file's missing end marker then tells a truncated file from a damaged one.
        if (/premature end|truncated|unexpected end|not enough data|short read/i.test(message)) {
            throw new ParseError('truncated', `The image data cannot be decoded: ${message}`);
        }
        const detail = /^unknown error$/i.test(message) ? '' : `: ${message}`;
        if (await lacksEndMarker(file, kind)) {
            throw new ParseError('truncated', `The ${kind === 'png' ? 'PNG' : 'JPEG'} data ends before the image does (the file is cut short)${detail}`);
        }
        throw new ParseError('corrupt', `The image data is damaged and cannot be decoded${detail}`);
    }
    const rotated = (metadata.orientation ?? 1) >= 5;
    return {
        kind,
        width: rotated ? height : width,
        height: rotated ? width : height,
        colorMode: metadata.space ?? 'unknown',
        bitDepth: bitsOf(metadata.depth),
        dpi: metadata.density,
        hasAlpha: !!metadata.hasAlpha,
        iccProfile: metadata.icc ? iccDescription(metadata.icc) : undefined,
        orientation: metadata.orientation,
        capturedAt: exif.capturedAt,
        camera: exif.camera,
        software: exif.software,
        layers: [],
        ...rendered
    };
}

/** Whether the file lacks its format's end marker near its end (JPEG EOI, PNG IEND). */
async function lacksEndMarker(file: string | Buffer, kind: AssetKind): Promise<boolean> {
    let tail: Buffer;
    if (typeof file === 'string') {
        const handle = await fs.promises.open(file, 'r');
        try {
            const { size } = await handle.stat();
            const length = Math.min(size, 4096);
            tail = Buffer.alloc(length);
            await handle.read(tail, 0, length, size - length);
        } finally {
            await handle.close();
        }
    } else {
        tail = file.subarray(Math.max(0, file.length - 4096));
    }
    return kind === 'png' ? tail.indexOf('IEND', 0, 'latin1') < 0 : tail.indexOf(Buffer.from([0xff, 0xd9])) < 0;
}

function readExif(buffer: Buffer | undefined): { capturedAt?: string; camera?: string; software?: string } {
    if (!buffer) {
        return {};
    }
    try {
        const exif = exifReader(buffer);
        const captured = exif.Photo?.DateTimeOriginal ?? exif.Image?.DateTime;
        const camera = [exif.Image?.Make, exif.Image?.Model].filter(part => typeof part === 'string' && part.trim()).map(part => String(part).trim());
        return {
            capturedAt: captured instanceof Date && !isNaN(captured.getTime()) ? captured.toISOString() : undefined,
            camera: camera.length ? [...new Set(camera)].join(' ') : undefined,
            software: typeof exif.Image?.Software === 'string' ? exif.Image.Software.trim() || undefined : undefined
        };
    } catch {
        return {};
    }
}

/** The profile's description tag ('desc'), or its size when it has none. */
function iccDescription(icc: Buffer): string {
    const tagCount = icc.length >= 132 ? icc.readUInt32BE(128) : 0;
    for (let i = 0; i < tagCount && 132 + i * 12 + 12 <= icc.length; i++) {
        const entry = 132 + i * 12;
        if (icc.toString('latin1', entry, entry + 4) === 'desc') {
            const offset = icc.readUInt32BE(entry + 4);
            const type = icc.toString('latin1', offset, offset + 4);
            if (type === 'desc' && offset + 12 <= icc.length) {
                const length = icc.readUInt32BE(offset + 8);
                return icc.toString('latin1', offset + 12, offset + 12 + length).replace(/\0+$/, '');
            }
            if (type === 'mluc' && offset + 28 <= icc.length) {
                const length = icc.readUInt32BE(offset + 20);
                const start = offset + icc.readUInt32BE(offset + 24);
                return Buffer.from(icc.subarray(start, start + (length & ~1))).swap16().toString('utf16le');
            }
        }
    }
    return `ICC profile (${icc.length} bytes)`;
}

function depthBytes(depth: string | undefined): number {
    return depth === 'ushort' || depth === 'short' ? 2 : depth === 'float' || depth === 'uint' || depth === 'int' ? 4 : depth === 'double' ? 8 : 1;
}

function bitsOf(depth: string | undefined): number {
    return depth === 'uchar' || depth === 'char' ? 8 : depthBytes(depth) * 8;
}

function messageOf(error: unknown): string {
    return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}
