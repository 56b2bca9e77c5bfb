/** The part of a transformers.js `Tensor` the providers read. */
export interface TensorLike {
    readonly dims: readonly number[];
    readonly data: ArrayLike<number>;
}

/** A [rows, dimensions] tensor as one L2-normalized vector per row (a zero row stays zero). */
export function normalizedRows(tensor: TensorLike): Float32Array[] {
    if (tensor.dims.length !== 2) {
        throw new Error(`expected embeddings of shape [batch, dimensions], got [${tensor.dims.join(', ')}]`);
    }
    const [rows, dimensions] = tensor.dims;
    return Array.from({ length: rows }, (_, row) => normalized(tensor.data, row * dimensions, dimensions));
}

/** `length` numbers of `data` from `offset`, scaled to length 1. */
export function normalized(data: ArrayLike<number>, offset: number, length: number): Float32Array {
    const vector = new Float32Array(length);
    let sum = 0;
    for (let i = 0; i < length; i++) {
        const value = data[offset + i];
        vector[i] = value;
        sum += value * value;
    }
    const scale = sum > 0 ? 1 / Math.sqrt(sum) : 0;
    for (let i = 0; i < length; i++) {
        vector[i] *= scale;
    }
    return vector;
}

/**
 * Pools a [batch, sequence, hidden] output into one L2-normalized vector per
 * text: the mean of the tokens the attention mask keeps, the first token
 * (`cls`), or the last kept token (`last`, for decoder embedders such as Qwen3-Embedding).
 */
export function pooledRows(hidden: TensorLike, mask: { readonly data: ArrayLike<number | bigint> }, pooling: 'mean' | 'cls' | 'last'): Float32Array[] {
    const [batch, sequence, size] = hidden.dims;
    const data = hidden.data instanceof Float32Array ? hidden.data : Float32Array.from(hidden.data);
    const keep = new Uint8Array(mask.data.length);
    for (let i = 0; i < keep.length; i++) {
        keep[i] = mask.data[i] ? 1 : 0;
    }
    return Array.from({ length: batch }, (_, row) => {
        const base = row * sequence;
        if (pooling === 'cls') {
            return normalized(data, base * size, size);
        }
        if (pooling === 'last') {
            const last = keep.subarray(base, base + sequence).lastIndexOf(1);
            return normalized(data, (base + Math.max(0, last)) * size, size);
        }
        const sum = new Float32Array(size);
        for (let t = 0; t < sequence; t++) {
            if (keep[base + t]) {
                const token = data.subarray((base + t) * size, (base + t + 1) * size);
                for (let i = 0; i < size; i++) {
                    sum[i] += token[i];
                }
            }
        }
        return normalized(sum, 0, size);
    });
}
