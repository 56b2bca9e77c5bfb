import * as fs from 'fs';

/** A GGUF file's tensor, as its tensor table describes it. */
export interface GgufTensorEntry {
    readonly name: string;
    /** `dims[0]` varies fastest. */
    readonly dims: readonly number[];
    /** The ggml type (0 = F32, 1 = F16, 8 = Q8_0 …). */
    readonly type: number;
    /** Bytes from the start of the tensor data. */
    readonly offset: number;
}

/** What {@link readGgufHeader} reads: the version, the metadata values it keeps, the tensor table and where the data starts. */
export interface GgufHeader {
    readonly version: number;
    /** The string and number values of the metadata (arrays are skipped). */
    readonly metadata: ReadonlyMap<string, string | number | boolean>;
    readonly tensors: readonly GgufTensorEntry[];
    /** Where the tensor data starts in the file, aligned. */
    readonly dataStart: number;
}

/** Why a file is not a readable GGUF file, as a provider health code. */
export type GgufFormatProblem = 'not-gguf' | 'gguf-version-unsupported' | 'gguf-truncated' | 'gguf-damaged';

/** The file is not a well-formed GGUF file; the message completes "The file …". */
export class GgufFormatError extends Error {
    constructor(message: string, readonly code: GgufFormatProblem) {
        super(message);
        this.name = 'GgufFormatError';
    }
}

const CHUNK_BYTES = 1 << 20;
/** The longest metadata string read (chat templates run to tens of KB). */
const MAX_STRING_BYTES = 64 << 20;
const GGML_MAX_DIMS = 4;
const DEFAULT_ALIGNMENT = 32;
/** Bytes of each scalar GGUF value type: u8, i8, u16, i16, u32, i32, f32, bool, (string), (array), u64, i64, f64. */
const SCALAR_BYTES: ReadonlyMap<number, number> = new Map([[0, 1], [1, 1], [2, 2], [3, 2], [4, 4], [5, 4], [6, 4], [7, 1], [10, 8], [11, 8], [12, 8]]);
const STRING = 8;
const ARRAY = 9;

/**
 * Reads a GGUF (v2, v3) file's header: magic, version, metadata, tensor
 * table. Every length is checked against the file's size before anything
 * is read or allocated, so a cut-short or hostile file costs at most one
 * chunk of memory and ends in a {@link GgufFormatError}.
 */
export async function readGgufHeader(filePath: string): Promise<GgufHeader> {
    const handle = await fs.promises.open(filePath, 'r');
    try {
        const size = (await handle.stat()).size;
        const reader = new GgufReader(handle, size);
        const magic = (await reader.bytes(Math.min(4, size))).toString('latin1');
        if (size === 0) {
            throw new GgufFormatError('is empty', 'not-gguf');
        }
        if (!'GGUF'.startsWith(magic)) {
            throw new GgufFormatError('does not start with "GGUF"', 'not-gguf');
        }
        if (magic.length < 4) {
            throw new GgufFormatError(`ends at byte ${size}, inside its header`, 'gguf-truncated');
        }
        const version = await reader.u32();
        if (version !== 2 && version !== 3) {
            throw new GgufFormatError(`has GGUF version ${version}; llama.cpp reads versions 2 and 3`, 'gguf-version-unsupported');
        }
        const tensorCount = await reader.count(8 + 4 + 4 + 8);
        const metadataCount = await reader.count(8 + 4 + 1);
        const metadata = new Map<string, string | number | boolean>();
        for (let i = 0; i < metadataCount; i++) {
            const key = await reader.string();
            const value = await reader.value(await reader.u32());
            if (value !== undefined) {
                metadata.set(key, value);
            }
        }
        const tensors: GgufTensorEntry[] = [];
        for (let i = 0; i < tensorCount; i++) {
            const name = await reader.string();
            const dimCount = await reader.u32();
            if (dimCount < 1 || dimCount > GGML_MAX_DIMS) {
                throw new GgufFormatError(`has a tensor ${name} of ${dimCount} dimensions`, 'gguf-damaged');
            }
            const dims: number[] = [];
            for (let d = 0; d < dimCount; d++) {
                dims.push(await reader.u64());
            }
            tensors.push({ name, dims, type: await reader.u32(), offset: await reader.u64() });
        }
        const alignment = metadata.get('general.alignment');
        const align = typeof alignment === 'number' && alignment > 0 ? alignment : DEFAULT_ALIGNMENT;
        return { version, metadata, tensors, dataStart: Math.ceil(reader.position / align) * align };
    } finally {
        await handle.close();
    }
}

/** Little-endian reads through a chunk buffer, never past the file's end. */
class GgufReader {
    position = 0;
    protected chunk = Buffer.alloc(0);
    protected chunkStart = 0;

    constructor(protected readonly handle: fs.promises.FileHandle, protected readonly size: number) { }

    async bytes(length: number): Promise<Buffer> {
        if (this.position + length > this.size) {
            throw new GgufFormatError(`ends at byte ${this.size}, inside its header`, 'gguf-truncated');
        }
        const start = this.position - this.chunkStart;
        if (start < 0 || start + length > this.chunk.length) {
            const chunk = Buffer.alloc(Math.min(Math.max(length, CHUNK_BYTES), this.size - this.position));
            const { bytesRead } = await this.handle.read(chunk, 0, chunk.length, this.position);
            if (bytesRead < length) {
                throw new GgufFormatError(`ends at byte ${this.position + bytesRead}, inside its header`, 'gguf-truncated');
            }
            this.chunk = chunk.subarray(0, bytesRead);
            this.chunkStart = this.position;
        }
        const offset = this.position - this.chunkStart;
        this.position += length;
        return this.chunk.subarray(offset, offset + length);
    }

    /** Moves past `length` bytes without reading them. */
    skip(length: number): void {
        if (this.position + length > this.size) {
            throw new GgufFormatError(`ends at byte ${this.size}, inside its header`, 'gguf-truncated');
        }
        this.position += length;
    }

    /** Moves past `count` strings (a vocabulary of 150,000 tokens): lengths read straight from the chunk while it holds them. */
    async skipStrings(count: number): Promise<void> {
        for (let i = 0; i < count; i++) {
            const offset = this.position - this.chunkStart;
            if (offset >= 0 && offset + 8 <= this.chunk.length) {
                const high = this.chunk.readUInt32LE(offset + 4);
                if (high >= 1 << 21) {
                    throw new GgufFormatError(`has an impossibly large size at byte ${this.position}`, 'gguf-damaged');
                }
                this.position += 8;
                this.skip(high * 2 ** 32 + this.chunk.readUInt32LE(offset));
            } else {
                this.skip(await this.u64());
            }
        }
    }

    async u32(): Promise<number> {
        return (await this.bytes(4)).readUInt32LE(0);
    }

    async u64(): Promise<number> {
        const value = (await this.bytes(8)).readBigUInt64LE(0);
        if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
            throw new GgufFormatError(`has an impossibly large size at byte ${this.position - 8}`, 'gguf-damaged');
        }
        return Number(value);
    }

    /** A count of items of at least `minBytes` each, which must fit in the rest of the file. */
    async count(minBytes: number): Promise<number> {
        const count = await this.u64();
        if (count * minBytes > this.size - this.position) {
            throw new GgufFormatError(`lists ${count} entries at byte ${this.position - 8}, more than the rest of the file holds`, 'gguf-truncated');
        }
        return count;
    }

    async string(): Promise<string> {
        const length = await this.u64();
        if (length > MAX_STRING_BYTES) {
            throw new GgufFormatError(`has a string of ${length} bytes at byte ${this.position - 8}`, 'gguf-damaged');
        }
        return (await this.bytes(length)).toString('utf8');
    }

    /** A metadata value: strings, numbers and booleans kept; arrays skipped (undefined). */
    async value(type: number): Promise<string | number | boolean | undefined> {
        if (type === STRING) {
            return this.string();
        }
        if (type === ARRAY) {
            const itemType = await this.u32();
            const itemBytes = itemType === STRING ? 8 : SCALAR_BYTES.get(itemType);
            if (itemBytes === undefined) {
                throw new GgufFormatError(`has an array of the unknown type ${itemType} at byte ${this.position - 4}`, 'gguf-damaged');
            }
            const count = await this.count(itemBytes);
            if (itemType === STRING) {
                await this.skipStrings(count);
            } else {
                this.skip(count * itemBytes);
            }
            return undefined;
        }
        const bytes = SCALAR_BYTES.get(type);
        if (bytes === undefined) {
            throw new GgufFormatError(`has a value of the unknown type ${type} at byte ${this.position - 4}`, 'gguf-damaged');
        }
        const data = await this.bytes(bytes);
        switch (type) {
            case 0: return data.readUInt8(0);
            case 1: return data.readInt8(0);
            case 2: return data.readUInt16LE(0);
            case 3: return data.readInt16LE(0);
            case 4: return data.readUInt32LE(0);
            case 5: return data.readInt32LE(0);
            case 6: return data.readFloatLE(0);
            case 7: return data.readUInt8(0) !== 0;
            case 10: return Number(data.readBigUInt64LE(0));
            case 11: return Number(data.readBigInt64LE(0));
            default: return data.readDoubleLE(0);
        }
    }
}
