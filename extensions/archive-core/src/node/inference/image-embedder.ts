import type { ProviderHealth } from '../../common/job-protocol';
import type { AiImage } from './ai-image';

/** A loaded image-text model (CLIP / SigLIP family): an image tower and the text tower that maps words into the same space. */
export interface ImageEmbedder {
    /** The id results and the vector index are keyed by (family and model folder's identity). */
    readonly modelId: string;
    readonly dimensions: number;
    /** The longest image side the model wants (its preprocessor's size); the image source scales to it. */
    readonly imageSize: number;
    /** One L2-normalized vector per image, in order. */
    embedImages(images: readonly AiImage[]): Promise<Float32Array[]>;
    /** One L2-normalized vector per text through the text tower, in order (a query "red umbrella at night"). */
    embedTexts(texts: readonly string[]): Promise<Float32Array[]>;
    /** Frees the sessions. */
    dispose(): Promise<void>;
}

/** What a model folder holds, read without loading it. */
export interface ModelFolderInfo {
    /** The model id the folder gives (stable for the same files). */
    readonly modelId: string;
    /** Memory the loaded model holds, in bytes (about its weights' size). */
    readonly bytes: number;
}

export const ImageEmbedderProvider = Symbol('ImageEmbedderProvider');

/**
 * An image-embedder family (bound as an `ImageEmbedderProvider`;
 * archive-core collects them). Loads from a local folder only: nothing is downloaded.
 */
export interface ImageEmbedderProvider {
    readonly id: string;
    /** Checks the folder (it exists, holds the files this family needs); never throws. */
    validate(modelPath: string): Promise<ProviderHealth>;
    /** The folder's model id and size; throws with a clear message when {@link validate} would not answer `ready`. */
    inspect(modelPath: string): Promise<ModelFolderInfo>;
    load(modelPath: string): Promise<ImageEmbedder>;
}
