import type { LlamaEmbeddingContext, LlamaModel } from 'node-llama-cpp';
import type { TextEmbedder } from '../text-embedder';
import type { EmbeddingPrefixes } from './llama-embedding-prefixes';

/** Room for the start and end tokens the context adds around a text. */
const SPECIAL_TOKENS_ROOM = 3;

/**
 * A GGUF embedding model loaded in llama.cpp: one embedding context, texts
 * embedded one after another (the context evaluates one sequence at a
 * time), cut to the context's size, L2-normalized. An empty text (or one
 * with no tokens) embeds as the zero vector, which matches nothing.
 */
export class LlamaCppTextEmbedder implements TextEmbedder {

    readonly dimensions: number;
    protected disposed = false;

    constructor(
        readonly modelId: string,
        protected readonly model: LlamaModel,
        protected readonly context: LlamaEmbeddingContext,
        protected readonly contextSize: number,
        protected readonly prefixes: EmbeddingPrefixes
    ) {
        this.dimensions = model.embeddingVectorSize;
    }

    async embed(texts: readonly string[], purpose: 'query' | 'document'): Promise<Float32Array[]> {
        const vectors: Float32Array[] = [];
        for (const text of texts) {
            vectors.push(await this.embedOne(this.prefixes[purpose] + text));
        }
        return vectors;
    }

    protected async embedOne(text: string): Promise<Float32Array> {
        if (this.disposed) {
            throw new Error(`The text embedder ${this.modelId} was unloaded.`);
        }
        const tokens = this.model.tokenize(text).slice(0, Math.max(1, this.contextSize - SPECIAL_TOKENS_ROOM));
        if (tokens.length === 0) {
            return new Float32Array(this.dimensions);
        }
        const embedding = await this.context.getEmbeddingFor(tokens);
        return normalized(embedding.vector, this.dimensions);
    }

    /**
     * Frees the context and the model (their memory, on the GPU too); a
     * second call does nothing. The process's llama.cpp instance stays for
     * the next model (see `sharedLlama`).
     */
    async dispose(): Promise<void> {
        if (this.disposed) {
            return;
        }
        this.disposed = true;
        try {
            await this.context.dispose();
        } finally {
            await this.model.dispose();
        }
    }
}

/** `values` scaled to length 1 (the zero vector stays zero), as `dimensions` floats. */
function normalized(values: readonly number[], dimensions: number): Float32Array {
    const vector = new Float32Array(dimensions);
    vector.set(values.slice(0, dimensions));
    let sum = 0;
    for (const value of vector) {
        sum += value * value;
    }
    const length = Math.sqrt(sum);
    if (length > 0 && Number.isFinite(length)) {
        for (let i = 0; i < vector.length; i++) {
            vector[i] /= length;
        }
    }
    return vector;
}
