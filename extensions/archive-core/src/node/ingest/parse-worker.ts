/**
 * The entry point of a parse worker thread. Each task reads one file and
 * answers with plain data; every failure becomes a per-file error, so a
 * hostile file can cost at most this thread (which the pool then replaces).
 */
import * as crypto from 'crypto';
import { basename } from 'path';
import { NotRegularFileError, RegularFile, withRegularFile } from '../files/regular-file';
import { systemFailureOf } from './ingest-failures';
import { DEFAULT_PARSE_LIMITS, ParseError, ParseLimits } from '@imageparser/psd';
import { AssetKind, ParseFailure, ParseOutcome } from './parse-result';
import { parsePsd } from './psd-parser';
import { parseRaster } from './raster-parser';

export type ParseTask =
    | { readonly op: 'hash'; readonly file: string }
    | { readonly op: 'parse'; readonly file: string; readonly limits?: ParseLimits; readonly withHash?: boolean };

export type HashOutcome = { readonly ok: true; readonly hash: string; readonly size: number } | { readonly ok: false; readonly error: ParseFailure };

export default async function run(task: ParseTask): Promise<HashOutcome | ParseOutcome> {
    return task.op === 'hash' ? hashFile(task.file) : parseFile(task.file, task.limits ?? DEFAULT_PARSE_LIMITS, task.withHash);
}

/** SHA-256 of the file's bytes, streamed. */
export async function hashFile(file: string): Promise<HashOutcome> {
    try {
        const hash = crypto.createHash('sha256');
        let size = 0;
        await withRegularFile(file, async opened => {
            for await (const chunk of opened.createReadStream({ highWaterMark: 1 << 20 })) {
                hash.update(chunk as Buffer);
                size += (chunk as Buffer).length;
            }
        });
        if (size === 0) {
            return { ok: false, error: { code: 'empty', message: 'The file is empty (0 bytes).' } };
        }
        return { ok: true, hash: hash.digest('hex'), size };
    } catch (error) {
        return { ok: false, error: systemFailureOf(error) ?? { code: 'unreadable', message: unreadableMessage(error) } };
    }
}

/**
 * Parses one file. With `withHash` the file is read once, into memory, and
 * its SHA-256 comes back with the result (the ingester asks for this when the
 * file cannot be a copy of a known one); otherwise PNG/JPEG decode from disk.
 */
export async function parseFile(file: string, limits: ParseLimits, withHash = false): Promise<ParseOutcome> {
    try {
        // Only a regular file is read, through the handle checked (a named pipe would block the thread for good).
        return await withRegularFile(file, opened => parseOpenFile(opened, limits, withHash));
    } catch (error) {
        if (error instanceof ParseError) {
            return { ok: false, error: { code: error.code, message: error.message } };
        }
        const system = systemFailureOf(error);
        if (system) {
            return { ok: false, error: system };
        }
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR' || code === 'EPERM' || code === 'ENOTREG') {
            return { ok: false, error: { code: 'unreadable', message: unreadableMessage(error) } };
        }
        if (error instanceof RangeError && /allocation|Array buffer/i.test(error.message)) {
            return { ok: false, error: { code: 'out-of-memory', message: `Decoding needs more memory than allowed: ${error.message}` } };
        }
        return { ok: false, error: { code: 'corrupt', message: `The file cannot be read: ${error instanceof Error ? error.message : String(error)}` } };
    }
}

async function parseOpenFile(opened: RegularFile, limits: ParseLimits, withHash: boolean): Promise<ParseOutcome> {
    const kind = kindOf(opened.path);
    if (kind === 'psd' || kind === 'psb') {
        const bytes = await opened.readAll();
        // Hashed before parsing: the PSD decoders write into the buffer they are given.
        const hash = withHash ? sha256(bytes) : undefined;
        const asset = await parsePsd(bytes, limits);
        return { ok: true, asset, hash };
    }
    if (withHash) {
        const bytes = await opened.readAll();
        const hash = sha256(bytes);
        return { ok: true, asset: await parseRasterBytes(bytes, opened.path, kind, limits), hash };
    }
    const head = await readHead(opened);
    if (head.length === 0) {
        throw new ParseError('empty', 'The file is empty (0 bytes).');
    }
    const sniffed = sniff(head);
    if (!sniffed) {
        throw new ParseError('unsupported-format', `The file is named .${kind === 'jpeg' ? 'jpg' : kind} but is not a PNG or JPEG image.`);
    }
    try {
        return { ok: true, asset: await parseRaster(opened.libraryPath, sniffed, limits) };
    } catch (error) {
        // libvips names the path it was given (/proc/self/fd/<n>); the user knows the file by its name.
        if (error instanceof ParseError) {
            throw new ParseError(error.code, error.message.split(opened.libraryPath).join(basename(opened.path)));
        }
        throw error;
    }
}

async function parseRasterBytes(bytes: Buffer, file: string, kind: AssetKind, limits: ParseLimits) {
    if (bytes.length === 0) {
        throw new ParseError('empty', 'The file is empty (0 bytes).');
    }
    const sniffed = sniff(bytes.subarray(0, 16));
    if (!sniffed) {
        throw new ParseError('unsupported-format', `The file is named .${kind === 'jpeg' ? 'jpg' : kind} but is not a PNG or JPEG image.`);
    }
    return parseRaster(bytes, sniffed, limits);
}

function sha256(bytes: Uint8Array): string {
    return crypto.createHash('sha256').update(bytes).digest('hex');
}

export function kindOf(file: string): AssetKind {
    const extension = file.slice(file.lastIndexOf('.') + 1).toLowerCase();
    return extension === 'psb' ? 'psb' : extension === 'psd' ? 'psd' : extension === 'png' ? 'png' : 'jpeg';
}

function sniff(head: Buffer): 'png' | 'jpeg' | undefined {
    if (head.length >= 8 && head.readUInt32BE(0) === 0x89504e47 && head.readUInt32BE(4) === 0x0d0a1a0a) {
        return 'png';
    }
    if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) {
        return 'jpeg';
    }
    return undefined;
}

async function readHead(opened: RegularFile): Promise<Buffer> {
    const buffer = Buffer.alloc(16);
    const { bytesRead } = await opened.handle.read(buffer, 0, 16, 0);
    return buffer.subarray(0, bytesRead);
}

function unreadableMessage(error: unknown): string {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
        return 'The file disappeared before it could be read (deleted or moved during indexing).';
    }
    if (code === 'EACCES' || code === 'EPERM') {
        return 'ImageParser is not allowed to read the file (permissions).';
    }
    if (error instanceof NotRegularFileError) {
        return error.message;
    }
    return `The file cannot be read: ${error instanceof Error ? error.message : String(error)}`;
}
