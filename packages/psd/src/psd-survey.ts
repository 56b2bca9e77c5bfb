import * as fs from 'fs';
import { PsdHeader, readPsdHeader } from './psd-header';

/** What a PSD/PSB says about itself before any pixel is decoded: enough to estimate memory and check the layer caps. */
export interface PsdSurvey {
    readonly header: PsdHeader;
    readonly fileBytes: number;
    /** Image resource 1057: false when saved without "Maximize Compatibility" (the stored composite is a placeholder); undefined without the resource. */
    readonly hasRealMergedData?: boolean;
    /** Compression of the stored composite: 0 raw, 1 RLE, 2-3 ZIP; undefined when the file ends before it. */
    readonly mergedCompression?: number;
    /** Layer records, group dividers not counted. */
    readonly layerCount: number;
    /** The deepest nesting of groups (0: no groups). */
    readonly groupDepth: number;
    /** What ag-psd allocates for every layer's and mask's pixels (RGBA at the document's depth). */
    readonly layerPixelBytes: number;
}

/** Keys whose block length is 8 bytes in a PSB. */
const LARGE_KEYS = new Set(['LMsk', 'Lr16', 'Lr32', 'Layr', 'Mt16', 'Mt32', 'Mtrn', 'Alph', 'FMsk', 'lnk2', 'FEid', 'FXid', 'PxSD']);
/** Layer records are read in windows of this size, grown as needed up to the cap. */
const FIRST_WINDOW = 1 << 20;
const MAX_RECORD_BYTES = 256 << 20;

/**
 * Reads a PSD's header, version info and layer records from disk, without
 * reading pixel data or the rest of the file, iteratively (any nesting depth).
 * Throws the header's ParseError for a file that is not a valid PSD, and a
 * RangeError when the layer records do not fit in the file.
 */
export async function surveyPsdFile(file: string): Promise<PsdSurvey> {
    // Never blocks on a FIFO or device put where a file was: those are refused unread.
    const handle = await fs.promises.open(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    try {
        const stat = await handle.stat();
        if (!stat.isFile()) {
            throw new Error('Not a regular file.');
        }
        const size = stat.size;
        const read = async (position: number, length: number): Promise<Buffer> => {
            const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - position)));
            const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
            return buffer.subarray(0, bytesRead);
        };
        return await survey(read, size);
    } finally {
        await handle.close();
    }
}

/** {@link surveyPsdFile} over bytes already in memory. */
export function surveyPsdBytes(bytes: Uint8Array): Promise<PsdSurvey> {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return survey(async (position, length) => buffer.subarray(position, Math.min(buffer.length, position + length)), buffer.length);
}

type ReadAt = (position: number, length: number) => Promise<Buffer>;

async function survey(read: ReadAt, fileBytes: number): Promise<PsdSurvey> {
    const header = readPsdHeader(await read(0, 26));
    const large = header.version === 2;
    const bytesPerSample = header.depth === 32 ? 4 : header.depth === 16 ? 2 : 1;
    let position = 26;
    const u32At = async (at: number) => (await read(at, 4)).readUInt32BE(0);
    const lengthAt = async (at: number, eight: boolean) => {
        const b = await read(at, eight ? 8 : 4);
        return eight ? b.readUInt32BE(0) * 2 ** 32 + b.readUInt32BE(4) : b.readUInt32BE(0);
    };
    position += 4 + await u32At(position);
    const resourcesLength = await u32At(position);
    const hasRealMergedData = versionInfo(await read(position + 4, Math.min(resourcesLength, 4 << 20)));
    position += 4 + resourcesLength;
    const sectionLength = await lengthAt(position, large);
    position += large ? 8 : 4;
    const sectionEnd = position + sectionLength;
    const layers = { count: 0, depth: 0, pixelBytes: 0 };
    if (sectionLength > 0) {
        const layerInfoLength = await lengthAt(position, large);
        const layerInfoStart = position + (large ? 8 : 4);
        if (layerInfoLength > 0) {
            await surveyRecords(read, layerInfoStart, layerInfoLength, large, bytesPerSample, layers);
        } else {
            // 16- and 32-bit documents keep their layers in an Lr16 / Lr32 block after the global mask info.
            let at = layerInfoStart;
            at += 4 + await u32At(at);
            while (at + 12 <= sectionEnd) {
                const head = await read(at, 8);
                const key = head.toString('latin1', 4, 8);
                const eight = large && LARGE_KEYS.has(key);
                const length = await lengthAt(at + 8, eight);
                const start = at + 8 + (eight ? 8 : 4);
                if (key === 'Lr16' || key === 'Lr32' || key === 'Layr') {
                    await surveyRecords(read, start, length, large, bytesPerSample, layers);
                    break;
                }
                at = start + length + (length % 4 ? 4 - (length % 4) : 0);
            }
        }
    }
    const compressionBytes = await read(sectionEnd, 2);
    return {
        header,
        fileBytes,
        hasRealMergedData,
        mergedCompression: compressionBytes.length === 2 ? compressionBytes.readUInt16BE(0) : undefined,
        layerCount: layers.count,
        groupDepth: layers.depth,
        layerPixelBytes: layers.pixelBytes
    };
}

/** Resource 1057's `hasRealMergedData`, walking the resource blocks. */
function versionInfo(resources: Buffer): boolean | undefined {
    let at = 0;
    while (at + 12 <= resources.length) {
        const id = resources.readUInt16BE(at + 4);
        const nameLength = resources[at + 6];
        const nameBytes = 1 + nameLength + ((1 + nameLength) % 2);
        const sizeAt = at + 6 + nameBytes;
        if (sizeAt + 4 > resources.length) {
            return undefined;
        }
        const size = resources.readUInt32BE(sizeAt);
        if (id === 1057) {
            return sizeAt + 8 < resources.length ? resources[sizeAt + 8] !== 0 : undefined;
        }
        at = sizeAt + 4 + size + (size % 2);
    }
    return undefined;
}

/**
 * Walks the layer records of a layer info block: counts layers, follows the
 * section dividers (bottom of the panel first, so a divider opens a group
 * and a folder record closes it) and sums each layer's and mask's pixels.
 */
async function surveyRecords(read: ReadAt, start: number, length: number, large: boolean, bytesPerSample: number,
    out: { count: number; depth: number; pixelBytes: number }): Promise<void> {
    for (let window = Math.min(length, FIRST_WINDOW); ; window = Math.min(length, window * 4)) {
        const bytes = await read(start, window);
        const walked = walkRecords(bytes, large, bytesPerSample);
        if (walked) {
            Object.assign(out, walked);
            return;
        }
        if (window >= length || window >= MAX_RECORD_BYTES) {
            throw new RangeError('The layer records run past the end of their section.');
        }
    }
}

/** The records' totals, or undefined when `bytes` ends before the last record does. */
function walkRecords(bytes: Buffer, large: boolean, bytesPerSample: number): { count: number; depth: number; pixelBytes: number } | undefined {
    if (bytes.length < 2) {
        return undefined;
    }
    const records = Math.abs(bytes.readInt16BE(0));
    let at = 2, count = 0, depth = 0, deepest = 0, pixelBytes = 0;
    const area = (top: number, left: number, bottom: number, right: number) => Math.max(0, right - left) * Math.max(0, bottom - top);
    for (let r = 0; r < records; r++) {
        if (at + 18 > bytes.length) {
            return undefined;
        }
        const layerArea = area(bytes.readInt32BE(at), bytes.readInt32BE(at + 4), bytes.readInt32BE(at + 8), bytes.readInt32BE(at + 12));
        const channels = bytes.readUInt16BE(at + 16);
        at += 18 + channels * (large ? 10 : 6) + 12;
        if (at + 4 > bytes.length) {
            return undefined;
        }
        const extraLength = bytes.readUInt32BE(at);
        const extraStart = at + 4, extraEnd = extraStart + extraLength;
        if (extraEnd > bytes.length) {
            return undefined;
        }
        let divider = 0;
        let maskArea = 0;
        const maskLength = bytes.readUInt32BE(extraStart);
        if (maskLength >= 16) {
            const m = extraStart + 4;
            maskArea = area(bytes.readInt32BE(m), bytes.readInt32BE(m + 4), bytes.readInt32BE(m + 8), bytes.readInt32BE(m + 12)) * (maskLength >= 36 ? 2 : 1);
        }
        let p = extraStart + 4 + maskLength;
        p += 4 + (p + 4 <= extraEnd ? bytes.readUInt32BE(p) : 0);
        p += p < extraEnd ? Math.ceil((bytes[p] + 1) / 4) * 4 : 0;
        // Some writers do not pad the name: find the next block by its signature.
        while (p + 12 <= extraEnd && bytes.toString('latin1', p, p + 3) !== '8BI' && bytes.toString('latin1', p, p + 3) !== '8B6') {
            p++;
        }
        while (p + 12 <= extraEnd) {
            const key = bytes.toString('latin1', p + 4, p + 8);
            const eight = large && LARGE_KEYS.has(key);
            const blockLength = eight ? bytes.readUInt32BE(p + 8) * 2 ** 32 + bytes.readUInt32BE(p + 12) : bytes.readUInt32BE(p + 8);
            const data = p + (eight ? 16 : 12);
            if ((key === 'lsct' || key === 'lsdk') && blockLength >= 4 && data + 4 <= extraEnd) {
                divider = bytes.readUInt32BE(data);
            }
            p = data + blockLength + (blockLength % 2);
        }
        at = extraEnd;
        if (divider === 3) {
            depth++;
            deepest = Math.max(deepest, depth);
            continue;
        }
        if (divider === 1 || divider === 2) {
            depth = Math.max(0, depth - 1);
        }
        count++;
        pixelBytes += (layerArea + maskArea) * 4 * bytesPerSample;
    }
    return { count, depth: deepest, pixelBytes };
}
