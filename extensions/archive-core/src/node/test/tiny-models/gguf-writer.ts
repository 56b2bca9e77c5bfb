/**
 * A minimal GGUF v3 writer for tests: metadata and F32 tensors, the parts
 * llama.cpp reads to load a model (https://github.com/ggml-org/ggml/blob/master/docs/gguf.md).
 * No library writes GGUF tensors from JavaScript, so tests build their tiny
 * models with this.
 */

/** A metadata value: the GGUF type is given explicitly where JavaScript's types are ambiguous. */
export type GgufValue =
    | { readonly type: 'u32'; readonly value: number }
    | { readonly type: 'i32'; readonly value: number }
    | { readonly type: 'f32'; readonly value: number }
    | { readonly type: 'bool'; readonly value: boolean }
    | { readonly type: 'string'; readonly value: string }
    | { readonly type: 'string[]'; readonly value: readonly string[] }
    | { readonly type: 'f32[]'; readonly value: readonly number[] }
    | { readonly type: 'i32[]'; readonly value: readonly number[] };

/** A tensor in ggml's order: `dims[0]` is the fastest-varying axis (a row's length). */
export interface GgufTensor {
    readonly name: string;
    readonly dims: readonly number[];
    readonly data: Float32Array;
}

const ALIGNMENT = 32;
const enum ValueType { U32 = 4, I32 = 5, F32 = 6, BOOL = 7, STRING = 8, ARRAY = 9 }
const GGML_TYPE_F32 = 0;

/** Appends little-endian values to a growing list of chunks. */
class ByteSink {
    protected readonly chunks: Buffer[] = [];
    protected length = 0;

    get size(): number {
        return this.length;
    }

    bytes(bytes: Buffer): void {
        this.chunks.push(bytes);
        this.length += bytes.length;
    }

    u32(value: number): void {
        const bytes = Buffer.alloc(4);
        bytes.writeUInt32LE(value);
        this.bytes(bytes);
    }

    i32(value: number): void {
        const bytes = Buffer.alloc(4);
        bytes.writeInt32LE(value);
        this.bytes(bytes);
    }

    u64(value: number): void {
        const bytes = Buffer.alloc(8);
        bytes.writeBigUInt64LE(BigInt(value));
        this.bytes(bytes);
    }

    f32(value: number): void {
        const bytes = Buffer.alloc(4);
        bytes.writeFloatLE(value);
        this.bytes(bytes);
    }

    string(value: string): void {
        const utf8 = Buffer.from(value, 'utf8');
        this.u64(utf8.length);
        this.bytes(utf8);
    }

    padTo(alignment: number): void {
        const padding = (alignment - (this.length % alignment)) % alignment;
        if (padding > 0) {
            this.bytes(Buffer.alloc(padding));
        }
    }

    toBuffer(): Buffer {
        return Buffer.concat(this.chunks, this.length);
    }
}

/** The bytes of a GGUF v3 file holding `metadata` (in the given order) and `tensors` as F32. */
export function writeGguf(metadata: ReadonlyMap<string, GgufValue>, tensors: readonly GgufTensor[]): Buffer {
    const out = new ByteSink();
    out.bytes(Buffer.from('GGUF', 'ascii'));
    out.u32(3);
    out.u64(tensors.length);
    out.u64(metadata.size);
    for (const [key, value] of metadata) {
        out.string(key);
        writeValue(out, value);
    }
    let offset = 0;
    for (const tensor of tensors) {
        const elements = tensor.dims.reduce((product, dim) => product * dim, 1);
        if (elements !== tensor.data.length) {
            throw new Error(`Tensor ${tensor.name}: dims ${tensor.dims.join('x')} hold ${elements} values, data has ${tensor.data.length}`);
        }
        out.string(tensor.name);
        out.u32(tensor.dims.length);
        tensor.dims.forEach(dim => out.u64(dim));
        out.u32(GGML_TYPE_F32);
        out.u64(offset);
        offset += alignUp(tensor.data.byteLength);
    }
    out.padTo(ALIGNMENT);
    for (const tensor of tensors) {
        out.bytes(Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength));
        out.padTo(ALIGNMENT);
    }
    return out.toBuffer();
}

function writeValue(out: ByteSink, value: GgufValue): void {
    switch (value.type) {
        case 'u32': out.u32(ValueType.U32); out.u32(value.value); break;
        case 'i32': out.u32(ValueType.I32); out.i32(value.value); break;
        case 'f32': out.u32(ValueType.F32); out.f32(value.value); break;
        case 'bool': out.u32(ValueType.BOOL); out.bytes(Buffer.from([value.value ? 1 : 0])); break;
        case 'string': out.u32(ValueType.STRING); out.string(value.value); break;
        case 'string[]': writeArray(out, ValueType.STRING, value.value, item => out.string(item)); break;
        case 'f32[]': writeArray(out, ValueType.F32, value.value, item => out.f32(item)); break;
        case 'i32[]': writeArray(out, ValueType.I32, value.value, item => out.i32(item)); break;
    }
}

function writeArray<T>(out: ByteSink, itemType: ValueType, items: readonly T[], writeItem: (item: T) => void): void {
    out.u32(ValueType.ARRAY);
    out.u32(itemType);
    out.u64(items.length);
    items.forEach(writeItem);
}

function alignUp(size: number): number {
    return Math.ceil(size / ALIGNMENT) * ALIGNMENT;
}
