import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { ProviderHealth } from '../../../common/job-protocol';
import { GgufFormatError, GgufHeader, GgufTensorEntry, readGgufHeader } from './gguf-header-reader';

/** What a GGUF file that passed {@link checkGgufFile} is. */
export interface GgufFileFacts {
    /** Bytes on disk. */
    readonly size: number;
    /** A short hash of the size and the file's first bytes (its header): stable for the same file. */
    readonly headerHash: string;
    /** The model's `general.name`, when the file gives one. */
    readonly name?: string;
}

export type GgufFileCheck = { readonly ok: true; readonly facts: GgufFileFacts } | { readonly ok: false; readonly health: ProviderHealth };

const HASHED_BYTES = 64 * 1024;

/** Values per block and bytes per block of the ggml tensor types GGUF files commonly hold (ggml's `type_traits`). */
const GGML_TYPE_SIZES: ReadonlyMap<number, { readonly values: number; readonly bytes: number }> = new Map([
    [0, { values: 1, bytes: 4 }], [1, { values: 1, bytes: 2 }], [30, { values: 1, bytes: 2 }], [28, { values: 1, bytes: 8 }],
    [24, { values: 1, bytes: 1 }], [25, { values: 1, bytes: 2 }], [26, { values: 1, bytes: 4 }], [27, { values: 1, bytes: 8 }],
    [2, { values: 32, bytes: 18 }], [3, { values: 32, bytes: 20 }], [6, { values: 32, bytes: 22 }], [7, { values: 32, bytes: 24 }],
    [8, { values: 32, bytes: 34 }], [9, { values: 32, bytes: 36 }], [20, { values: 32, bytes: 18 }],
    [10, { values: 256, bytes: 84 }], [11, { values: 256, bytes: 110 }], [12, { values: 256, bytes: 144 }],
    [13, { values: 256, bytes: 176 }], [14, { values: 256, bytes: 210 }], [15, { values: 256, bytes: 292 }], [23, { values: 256, bytes: 136 }]
]);

/**
 * Checks that `filePath` is a whole, readable GGUF file before llama.cpp
 * opens it: it exists, is a file, starts with the GGUF magic and a version
 * llama.cpp reads, its metadata and tensor table are well formed, and the
 * file reaches the end of its tensor data (a cut-short download is caught
 * here, with a clear message, not inside llama.cpp). Never throws: a problem
 * comes back as an `invalid` health with a stable code (`file-missing`,
 * `not-a-file`, `file-unreadable`, `not-gguf`, `gguf-version-unsupported`,
 * `gguf-truncated`, `gguf-damaged`) and a message naming the file.
 */
export async function checkGgufFile(filePath: string): Promise<GgufFileCheck> {
    const invalid = (code: string, message: string): GgufFileCheck => ({ ok: false, health: { state: 'invalid', code, message } });
    let stat: fs.Stats;
    try {
        stat = await fs.promises.stat(filePath);
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        return code === 'ENOENT' || code === 'ENOTDIR'
            ? invalid('file-missing', `The GGUF model file ${filePath} does not exist.`)
            : invalid('file-unreadable', `The GGUF model file ${filePath} cannot be read: ${describe(error)}`);
    }
    if (!stat.isFile()) {
        return invalid('not-a-file', `${filePath} is not a file: the llama-cpp text embedder takes a .gguf model file.`);
    }
    let header: GgufHeader;
    let headerHash: string;
    try {
        header = await readGgufHeader(filePath);
        headerHash = await hashStart(filePath, stat.size);
    } catch (error) {
        if (!(error instanceof GgufFormatError)) {
            return invalid('file-unreadable', `The GGUF model file ${filePath} cannot be read: ${describe(error)}`);
        }
        return error.code === 'not-gguf'
            ? invalid(error.code, `${filePath} is not a GGUF model file: it ${error.message}.`)
            : invalid(error.code, `The GGUF model file ${filePath} ${error.message}${error.code === 'gguf-truncated' ? ' (an unfinished download or copy?)' : ''}.`);
    }
    const needed = dataEnd(header.dataStart, header.tensors);
    if (stat.size < needed) {
        return invalid('gguf-truncated',
            `The GGUF model file ${filePath} is cut short: it has ${stat.size} bytes, its tensors need ${needed} (an unfinished download or copy?).`);
    }
    const name = header.metadata.get('general.name');
    return { ok: true, facts: { size: stat.size, headerHash, name: typeof name === 'string' ? name : undefined } };
}

/** The id of the model in a checked GGUF file: `llama-cpp/<file name>@<header hash>`. */
export function ggufModelId(filePath: string, facts: GgufFileFacts): string {
    return `llama-cpp/${path.basename(filePath)}@${facts.headerHash}`;
}

/** Where the file's tensor data ends: each tensor's size when its type is known, else at least past its first byte. */
function dataEnd(dataStart: number, tensors: readonly GgufTensorEntry[]): number {
    let end = dataStart;
    for (const tensor of tensors) {
        const type = GGML_TYPE_SIZES.get(tensor.type);
        const values = tensor.dims.reduce((product, dim) => product * dim, 1);
        const bytes = type ? Math.ceil(values / type.values) * type.bytes : 1;
        end = Math.max(end, dataStart + tensor.offset + bytes);
    }
    return end;
}

/** The first 12 hex digits of SHA-256 over the size and the first {@link HASHED_BYTES} bytes. */
async function hashStart(filePath: string, size: number): Promise<string> {
    const handle = await fs.promises.open(filePath, 'r');
    try {
        const buffer = Buffer.alloc(Math.min(HASHED_BYTES, size));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
        return createHash('sha256').update(`${size}\n`).update(buffer.subarray(0, bytesRead)).digest('hex').slice(0, 12);
    } finally {
        await handle.close();
    }
}

function describe(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
