/** The environment variable that turns llama.cpp's GPU off (`false`) or lets it pick one (`auto`, the default). */
export const LLAMA_CPP_GPU_ENV = 'IMAGEPARSER_LLAMA_GPU';
/** The environment variable that sets how many CPU threads llama.cpp computes with (its own default when unset). */
export const LLAMA_CPP_THREADS_ENV = 'IMAGEPARSER_LLAMA_THREADS';

export const LlamaCppOptions = Symbol('LlamaCppOptions');

/** How the node-llama-cpp providers run llama.cpp. */
export interface LlamaCppOptions {
    /**
     * `auto`: the best prebuilt GPU binary that works here (CUDA, Vulkan),
     * else the CPU one; `false`: the CPU binary only. Nothing is ever built
     * or downloaded: a machine without a working prebuilt binary gets a clear error.
     */
    readonly gpu: 'auto' | false;
    /** CPU threads for one context; 0 leaves node-llama-cpp's default (the cores useful for math). */
    readonly threads: number;
    /** The most tokens one text is embedded with (longer texts are cut), also capped by what the model was trained on. */
    readonly contextTokens: number;
}

/** The options from {@link LLAMA_CPP_GPU_ENV} and {@link LLAMA_CPP_THREADS_ENV}: GPU `auto` and llama.cpp's thread count unless they say otherwise. */
export function llamaCppOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): LlamaCppOptions {
    const gpu = env[LLAMA_CPP_GPU_ENV]?.trim().toLowerCase();
    const threads = Number(env[LLAMA_CPP_THREADS_ENV]);
    return {
        gpu: gpu === 'false' || gpu === 'off' || gpu === 'cpu' ? false : 'auto',
        threads: Number.isInteger(threads) && threads > 0 ? threads : 0,
        contextTokens: 512
    };
}
