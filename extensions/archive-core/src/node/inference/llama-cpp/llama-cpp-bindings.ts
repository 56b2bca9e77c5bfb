import { interfaces } from '@theia/core/shared/inversify';
import { TextEmbedderProvider } from '../text-embedder';
import { LlamaCppOptions, llamaCppOptionsFromEnv } from './llama-cpp-options';
import { LlamaCppTextEmbedderProvider } from './llama-text-embedder-provider';

/**
 * node-llama-cpp's providers: the GGUF text embedder, bound as a
 * {@link TextEmbedderProvider} (id `llama-cpp`). `options` default to the
 * environment (`IMAGEPARSER_LLAMA_GPU`, `IMAGEPARSER_LLAMA_THREADS`); tests
 * pass `{ gpu: false, threads: 1 }`.
 */
export function bindLlamaCppProviders(bind: interfaces.Bind, options: LlamaCppOptions = llamaCppOptionsFromEnv()): void {
    bind(LlamaCppOptions).toConstantValue(options);
    bind(LlamaCppTextEmbedderProvider).toSelf().inSingletonScope();
    bind(TextEmbedderProvider).toService(LlamaCppTextEmbedderProvider);
}
