import { inject, injectable, named, optional } from '@theia/core/shared/inversify';
import { ILogger } from '@theia/core/lib/common/logger';
import type { TextEmbedder, TextEmbedderProvider } from '../text-embedder';
import { checkPadToken, TransformersFolderProvider } from './transformers-folder-provider';
import { describeWeights, ModelFolder, ModelFolderError, ModelFolderRequirements, readModelFolder } from './transformers-model-folder';
import { TransformersTextEmbedder } from './transformers-text-embedder';

/** Model types of image-text models: their folder is an image model, not a sentence embedder. */
const IMAGE_TEXT_MODEL_TYPES = new Set(['clip', 'siglip', 'siglip2', 'chinese_clip', 'jina_clip', 'clipseg']);

/** What a sentence-embedding folder must hold (as transformers.js exports them, e.g. Xenova/multilingual-e5-small). */
const SENTENCE_FOLDER: ModelFolderRequirements = {
    files: ['tokenizer.json', 'tokenizer_config.json'],
    onnx: ['model'],
    optional: ['1_Pooling/config.json', 'config_sentence_transformers.json'],
    checkFamily(config, folder) {
        const modelType = config.model_type;
        if (typeof modelType !== 'string') {
            throw new ModelFolderError('wrong-family', `config.json in ${folder} names no model_type, so transformers.js cannot tell which model it is.`);
        }
        if (IMAGE_TEXT_MODEL_TYPES.has(modelType)) {
            throw new ModelFolderError('wrong-family', `The model in ${folder} is an image-text model (model_type "${modelType}"): choose it as the image model, not the text model.`);
        }
    }
};

/**
 * ONNX sentence-embedding models (feature extraction) run by
 * `@huggingface/transformers` from a local folder only: `config.json`,
 * `tokenizer.json`, `tokenizer_config.json`, `onnx/model.onnx` (or one
 * quantized or half-precision variant), optionally sentence-transformers'
 * `1_Pooling/config.json` and `config_sentence_transformers.json` (prompts).
 */
@injectable()
export class TransformersTextEmbedderProvider extends TransformersFolderProvider implements TextEmbedderProvider {

    @inject(ILogger) @named('archive-core:TransformersTextEmbedderProvider') @optional()
    protected readonly logger?: ILogger;

    async load(modelPath: string): Promise<TextEmbedder> {
        const folder = await this.read(modelPath);
        const embedder = await TransformersTextEmbedder.load(folder);
        this.logger?.info(`Loaded text model ${embedder.modelId} from ${modelPath} (${describeWeights(folder)}, ${embedder.dimensions} dimensions, `
            + `${embedder.use.pooling} pooling)`);
        return embedder;
    }

    protected async read(modelPath: string): Promise<ModelFolder> {
        const folder = await readModelFolder(modelPath, SENTENCE_FOLDER);
        await checkPadToken(modelPath);
        return folder;
    }
}
