import type * as Transformers from '@huggingface/transformers';

/** `@huggingface/transformers`' module, loaded on first use. */
export type TransformersModule = typeof Transformers;

let runtime: Promise<TransformersModule> | undefined;

/**
 * Loads `@huggingface/transformers` (on onnxruntime-node) once, set up so it
 * can never download: remote models off, no file cache written into the
 * package, and a `fetch` that refuses, so a path it would not find locally
 * fails at once with a clear error instead of asking the model hub.
 * Loaded lazily: the backend starts without it and only a configured model pays for it.
 */
export function transformersRuntime(): Promise<TransformersModule> {
    runtime ??= import('@huggingface/transformers').then(module => {
        lockDown(module);
        return module;
    });
    return runtime.then(module => {
        lockDown(module);
        return module;
    });
}

/** Applied again before each use: another part of the process must not have switched downloads back on. */
function lockDown(module: TransformersModule): void {
    const env = module.env;
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.useFSCache = false;
    env.useBrowserCache = false;
    env.useCustomCache = false;
    env.fetch = refuseFetch;
    env.logLevel = module.LogLevel.ERROR;
}

async function refuseFetch(input: string | URL): Promise<never> {
    throw new Error(`ImageParser never downloads models; transformers.js asked for ${String(input)}`);
}
