import * as path from 'path';
import { inject, injectable, named } from '@theia/core/shared/inversify';
import { ILogger } from '@theia/core/lib/common/logger';
import type { Llama, LlamaModel } from 'node-llama-cpp';
import type { ProviderHealth } from '../../../common/job-protocol';
import type { ModelFolderInfo } from '../image-embedder';
import type { TextEmbedder, TextEmbedderProvider } from '../text-embedder';
import { checkGgufFile, GgufFileCheck, GgufFileFacts, ggufModelId } from './gguf-file-check';
import { LlamaCppOptions } from './llama-cpp-options';
import { listenToLlamaCpp, sharedLlama } from './llama-cpp-runtime';
import { LlamaCppTextEmbedder } from './llama-cpp-text-embedder';
import { embeddingPrefixesFor } from './llama-embedding-prefixes';

/** The provider id the text-embedder settings name for a GGUF model file. */
export const LLAMA_CPP_PROVIDER_ID = 'llama-cpp';

/**
 * Text embeddings from a GGUF model file through node-llama-cpp (llama.cpp):
 * Qwen3-Embedding, multilingual-e5, nomic-embed and other embedding models
 * converted to GGUF. Runs on the prebuilt llama.cpp binaries node-llama-cpp
 * ships (a GPU one when {@link LlamaCppOptions.gpu} allows and one works,
 * else the CPU one); nothing is built or downloaded. The file is checked
 * before llama.cpp opens it, so a missing, foreign or cut-short file gives a
 * clear error instead of taking the backend down.
 */
@injectable()
export class LlamaCppTextEmbedderProvider implements TextEmbedderProvider {

    readonly id = LLAMA_CPP_PROVIDER_ID;

    @inject(LlamaCppOptions)
    protected readonly options: LlamaCppOptions;

    @inject(ILogger) @named('archive-core:LlamaCppTextEmbedderProvider')
    protected readonly logger: ILogger;

    async validate(modelPath: string): Promise<ProviderHealth> {
        const check = await this.check(modelPath);
        return check.ok ? { state: 'ready' } : check.health;
    }

    async inspect(modelPath: string): Promise<ModelFolderInfo> {
        const facts = await this.checked(modelPath);
        return { modelId: ggufModelId(modelPath, facts), bytes: facts.size };
    }

    async load(modelPath: string): Promise<TextEmbedder> {
        const facts = await this.checked(modelPath);
        const modelId = ggufModelId(modelPath, facts);
        const errors: string[] = [];
        const stopListening = listenToLlamaCpp((level, text) => this.log(level, text, errors));
        try {
            let llama: Llama;
            try {
                llama = await sharedLlama(this.options);
            } catch (error) {
                throw new Error(`llama.cpp could not start (node-llama-cpp and its prebuilt binaries must be installed): ${describe(error)}`);
            }
            let model: LlamaModel;
            try {
                model = await llama.loadModel({ modelPath, gpuLayers: this.options.gpu === false ? 0 : 'auto' });
            } catch (error) {
                throw new Error(`llama.cpp could not load the GGUF model ${modelPath}: ${loadFailure(error, errors)}`);
            }
            try {
                const contextSize = Math.max(16, Math.min(this.options.contextTokens, model.trainContextSize || this.options.contextTokens));
                const threads = this.options.threads > 0 ? this.options.threads : undefined;
                const context = await model.createEmbeddingContext({ contextSize, batchSize: contextSize, threads });
                const prefixes = embeddingPrefixesFor(`${path.basename(modelPath)} ${facts.name ?? ''}`);
                this.logger.info(`Loaded ${modelId} (${model.embeddingVectorSize} dimensions, ${llama.gpu || 'cpu'}).`);
                return new LlamaCppTextEmbedder(modelId, model, context, contextSize, prefixes);
            } catch (error) {
                await model.dispose();
                throw new Error(`llama.cpp could not make an embedding context for ${modelPath}: ${loadFailure(error, errors)}`);
            }
        } finally {
            stopListening();
        }
    }

    /** A llama.cpp log line to the logger; errors also to `errors`, which give the reason a load failed. */
    protected log(level: 'error' | 'warn' | 'debug', text: string, errors: string[]): void {
        if (level === 'error') {
            errors.push(text);
            this.logger.error(`llama.cpp: ${text}`);
        } else if (level === 'warn') {
            this.logger.warn(`llama.cpp: ${text}`);
        } else {
            this.logger.debug(`llama.cpp: ${text}`);
        }
    }

    protected async check(modelPath: string): Promise<GgufFileCheck> {
        try {
            if (!path.isAbsolute(modelPath)) {
                return { ok: false, health: { state: 'invalid', code: 'path-not-absolute', message: `The GGUF model path ${modelPath} is not absolute.` } };
            }
            return await checkGgufFile(modelPath);
        } catch (error) {
            const message = `The GGUF model file ${modelPath} cannot be checked: ${describe(error)}`;
            return { ok: false, health: { state: 'invalid', code: 'file-unreadable', message } };
        }
    }

    /** The file's facts; throws the check's message when it is not a usable GGUF file. */
    protected async checked(modelPath: string): Promise<GgufFileFacts> {
        const check = await this.check(modelPath);
        if (!check.ok) {
            throw new Error(check.health.message);
        }
        return check.facts;
    }
}

function describe(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}

/** node-llama-cpp's error ("Failed to load model") with llama.cpp's reason from its log ("unknown model architecture: 'x'"). */
function loadFailure(error: unknown, errors: readonly string[]): string {
    const reason = errors.map(line => /error loading model: (.*)/.exec(line)?.[1]).find(Boolean) ?? errors.at(-1);
    return reason ? `${describe(error)} (${reason})` : describe(error);
}
