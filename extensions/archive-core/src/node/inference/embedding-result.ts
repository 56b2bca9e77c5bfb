import type { Database } from 'better-sqlite3';
import { createVectorIndex, VectorAxis, writeVector } from '../store/vector-index-repository';

/**
 * What an embedding phase (visual, text) keeps for one asset's content: the
 * model's vector as base64 of little-endian float32, so the reusable
 * results table holds 4 bytes a dimension and a copy, a move, a re-index or a
 * restart reads it back instead of running the model.
 */
export interface EmbeddingResult {
    readonly model: string;
    readonly dimensions: number;
    /** Base64 of `dimensions` float32 values, little-endian. */
    readonly vector: string;
}

export namespace EmbeddingResult {

    export function of(model: string, vector: Float32Array): EmbeddingResult {
        const bytes = Buffer.alloc(vector.length * 4);
        vector.forEach((value, i) => bytes.writeFloatLE(value, i * 4));
        return { model, dimensions: vector.length, vector: bytes.toString('base64') };
    }

    /** Whether a stored or reused result has this shape and a vector of the dimensions it claims. */
    export function is(value: unknown): value is EmbeddingResult {
        const result = value as EmbeddingResult | undefined;
        return !!result && typeof result.model === 'string' && Number.isInteger(result.dimensions) && result.dimensions > 0
            && typeof result.vector === 'string' && Buffer.byteLength(result.vector, 'base64') === result.dimensions * 4;
    }

    export function vectorOf(result: EmbeddingResult): Float32Array {
        const bytes = Buffer.from(result.vector, 'base64');
        return Float32Array.from({ length: result.dimensions }, (_, i) => bytes.readFloatLE(i * 4));
    }

    /** Whether a model's vector can be stored: some dimensions, every value finite, not all zero. */
    export function isUsable(vector: Float32Array): boolean {
        return vector.length > 0 && vector.every(Number.isFinite) && vector.some(value => value !== 0);
    }

    /**
     * Stores the result's vector in its model's index of the axis (created
     * with the vector's dimensions when missing), inside the caller's
     * transaction (the job's). Throws when the result is not one the phase
     * writes or was made by another model than the job's.
     */
    export function store(db: Database, axis: VectorAxis, job: { readonly assetId: number; readonly model: string }, result: unknown): void {
        if (!is(result)) {
            throw new Error(`The ${axis} vector of asset ${job.assetId} is not one the phase writes.`);
        }
        if (result.model !== job.model) {
            throw new Error(`The ${axis} vector of asset ${job.assetId} was made by ${result.model}, not by ${job.model}.`);
        }
        const index = createVectorIndex(db, axis, result.model, result.dimensions);
        writeVector(db, index, job.assetId, vectorOf(result));
    }
}
