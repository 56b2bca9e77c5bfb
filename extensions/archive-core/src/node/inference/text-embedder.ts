import type { ProviderHealth } from '../../common/job-protocol';
import type { ModelFolderInfo } from './image-embedder';

/** A loaded text-embedding model (an ONNX sentence embedder, a GGUF embedding model). */
export interface TextEmbedder {
    readonly modelId: string;
    readonly dimensions: number;
    /**
     * One L2-normalized vector per text, in order. `query` and `document`
     * differ for models trained with prefixes (e5: "query: " / "passage: ");
     * the provider adds what its model wants.
     */
    embed(texts: readonly string[], purpose: 'query' | 'document'): Promise<Float32Array[]>;
    dispose(): Promise<void>;
}

export const TextEmbedderProvider = Symbol('TextEmbedderProvider');

/** A text-embedder family (bound as a `TextEmbedderProvider`; archive-core collects them). Local files only. */
export interface TextEmbedderProvider {
    readonly id: string;
    /** Checks the folder or file; never throws. */
    validate(modelPath: string): Promise<ProviderHealth>;
    inspect(modelPath: string): Promise<ModelFolderInfo>;
    load(modelPath: string): Promise<TextEmbedder>;
}
