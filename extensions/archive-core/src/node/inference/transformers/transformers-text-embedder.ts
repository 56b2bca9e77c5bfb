import type { PreTrainedModel, PreTrainedTokenizer } from '@huggingface/transformers';
import type { TextEmbedder } from '../text-embedder';
import { normalizedRows, pooledRows, TensorLike } from './embedding-rows';
import { textLimit } from './transformers-image-embedder';
import { loadTogether, probeDimensions } from './model-loading';
import { encodeTexts } from './text-batch';
import { ModelFolder, readJsonFile } from './transformers-model-folder';
import { TransformersModule, transformersRuntime } from './transformers-runtime';

/** How a sentence model turns its token states into one vector, and the text it wants before queries and documents. */
export interface SentenceModelUse {
    readonly pooling: 'mean' | 'cls' | 'last';
    readonly prefixes: { readonly query: string; readonly document: string };
}

/**
 * What the folder says about its use, as sentence-transformers writes it:
 * `1_Pooling/config.json` (mean, CLS or last-token pooling; mean when absent)
 * and `config_sentence_transformers.json`'s `prompts` (`query`, and
 * `document` or `passage`). A folder without prompts whose name or
 * `_name_or_path` says e5 gets e5's `query: ` / `passage: `.
 */
export async function sentenceModelUse(folder: ModelFolder): Promise<SentenceModelUse> {
    const optional = (file: string) => readJsonFile(folder.path, file).catch(() => ({} as Record<string, unknown>));
    const [pooling, sentenceConfig] = await Promise.all([optional('1_Pooling/config.json'), optional('config_sentence_transformers.json')]);
    const prompts = (sentenceConfig.prompts ?? {}) as Record<string, unknown>;
    const text = (value: unknown) => typeof value === 'string' ? value : undefined;
    const query = text(prompts.query);
    const document = text(prompts.document) ?? text(prompts.passage);
    const isE5 = [folder.path.split(/[\\/]/).pop(), text(folder.config._name_or_path)].some(name => name !== undefined && /(^|[^a-z0-9])e5([^a-z0-9]|$)/i.test(name));
    return {
        pooling: pooling.pooling_mode_cls_token === true ? 'cls' : pooling.pooling_mode_lasttoken === true ? 'last' : 'mean',
        prefixes: query !== undefined || document !== undefined
            ? { query: query ?? '', document: document ?? '' }
            : isE5 ? { query: 'query: ', document: 'passage: ' } : { query: '', document: '' }
    };
}

/**
 * An ONNX sentence-embedding model (MiniLM, multilingual-e5, …) run by
 * `@huggingface/transformers` from a local folder: texts through its
 * tokenizer and `onnx/model.onnx`, token states pooled as the folder says
 * (mean by default) and L2-normalized.
 */
export class TransformersTextEmbedder implements TextEmbedder {

    static async load(folder: ModelFolder): Promise<TransformersTextEmbedder> {
        const transformers = await transformersRuntime();
        const weights = folder.weights[0];
        const [tokenizer, model, tokenizerConfig, use] = await loadTogether<[PreTrainedTokenizer, PreTrainedModel, Record<string, unknown>, SentenceModelUse]>(folder.path, [
            transformers.AutoTokenizer.from_pretrained(folder.path, { local_files_only: true }),
            transformers.AutoModel.from_pretrained(folder.path, {
                local_files_only: true, device: 'cpu', dtype: weights.dtype, use_external_data_format: weights.externalData, model_file_name: weights.name
            }),
            readJsonFile(folder.path, 'tokenizer_config.json'),
            sentenceModelUse(folder)
        ]);
        const embedder = new TransformersTextEmbedder(folder.info.modelId, tokenizer, model, use, textLimit(tokenizerConfig, folder.config, 512), transformers);
        return probeDimensions(folder.path, embedder, loaded => loaded.embed([''], 'document'));
    }

    dimensions = 0;
    protected disposed: Promise<void> | undefined;

    protected constructor(
        readonly modelId: string,
        protected readonly tokenizer: PreTrainedTokenizer,
        protected readonly model: PreTrainedModel,
        readonly use: SentenceModelUse,
        protected readonly maxTokens: number,
        protected readonly transformers: TransformersModule
    ) { }

    async embed(texts: readonly string[], purpose: 'query' | 'document'): Promise<Float32Array[]> {
        if (texts.length === 0) {
            return [];
        }
        const prefix = this.use.prefixes[purpose];
        const inputs = encodeTexts(this.tokenizer, texts.map(text => prefix + text), { padding: true, maxLength: this.maxTokens }, this.transformers);
        const outputs: Record<string, TensorLike> = await this.model(inputs);
        if (outputs.sentence_embedding !== undefined) {
            return normalizedRows(outputs.sentence_embedding);
        }
        const hidden = outputs.last_hidden_state ?? outputs.token_embeddings;
        if (hidden === undefined) {
            throw new Error(`${this.modelId} answered ${Object.keys(outputs).join(', ')}, not last_hidden_state`);
        }
        return pooledRows(hidden, inputs.attention_mask, this.use.pooling);
    }

    async dispose(): Promise<void> {
        this.disposed ??= this.model.dispose().then(() => undefined);
        return this.disposed;
    }
}
