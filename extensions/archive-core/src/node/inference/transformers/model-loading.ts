import { ModelFolderError } from './transformers-model-folder';

/**
 * Loads a model's parts (tokenizer, processor, sessions) together. When one
 * fails, the parts that did load are disposed (no session is left holding
 * memory) and a `load-failed` {@link ModelFolderError} names the folder and
 * what went wrong (a truncated or foreign `.onnx` file, a broken tokenizer).
 */
export async function loadTogether<T extends readonly unknown[]>(folder: string, loads: { readonly [K in keyof T]: Promise<T[K]> }): Promise<T> {
    const settled = await Promise.allSettled(loads as readonly Promise<unknown>[]);
    const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) {
        await Promise.all(settled.map(result => result.status === 'fulfilled' ? disposeQuietly(result.value) : undefined));
        throw loadFailure(folder, failed.reason);
    }
    return settled.map(result => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/**
 * Sets a just-loaded embedder's `dimensions` from the vector `probe` gets
 * out of it. When that fails, the embedder is disposed (no session is left
 * holding memory) and a `load-failed` {@link ModelFolderError} names the folder.
 */
export async function probeDimensions<E extends { dimensions: number; dispose(): Promise<void> }>(
    folder: string, embedder: E, probe: (embedder: E) => Promise<Float32Array[]>
): Promise<E> {
    try {
        const [vector] = await probe(embedder);
        embedder.dimensions = vector.length;
    } catch (error) {
        await embedder.dispose();
        throw loadFailure(folder, error);
    }
    return embedder;
}

/** A loading error as a {@link ModelFolderError} that names the folder. */
export function loadFailure(folder: string, error: unknown): ModelFolderError {
    if (error instanceof ModelFolderError) {
        return error;
    }
    const reason = error instanceof Error ? error.message : String(error);
    return new ModelFolderError('load-failed', `The model in ${folder} could not be loaded: ${reason}`);
}

async function disposeQuietly(part: unknown): Promise<void> {
    const dispose = (part as { dispose?: () => Promise<unknown> } | undefined)?.dispose;
    if (typeof dispose === 'function') {
        await dispose.call(part).catch(() => undefined);
    }
}
