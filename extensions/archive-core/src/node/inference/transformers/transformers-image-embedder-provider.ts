import { inject, injectable, named, optional } from '@theia/core/shared/inversify';
import { ILogger } from '@theia/core/lib/common/logger';
import type { ImageEmbedder, ImageEmbedderProvider } from '../image-embedder';
import { imageTextFamily } from './image-text-family';
import { TransformersImageEmbedder } from './transformers-image-embedder';
import { checkPadToken, TransformersFolderProvider } from './transformers-folder-provider';
import { describeWeights, ModelFolder, ModelFolderRequirements, readJsonFile, readModelFolder } from './transformers-model-folder';

export { checkPadToken, TRANSFORMERS_PROVIDER_ID } from './transformers-folder-provider';

/** What a CLIP or SigLIP folder must hold (as transformers.js exports them, e.g. Xenova/clip-vit-base-patch32, onnx-community/siglip2-base-patch16-224-ONNX). */
const IMAGE_TEXT_FOLDER: ModelFolderRequirements = {
    files: ['preprocessor_config.json', 'tokenizer.json', 'tokenizer_config.json'],
    onnx: ['vision_model', 'text_model'],
    checkFamily: imageTextFamily
};

/**
 * CLIP and SigLIP (SigLIP2 at a fixed resolution) exported to ONNX, run by
 * `@huggingface/transformers` on onnxruntime-node from a local folder only.
 * The family comes from `config.json`'s `model_type`; the folder holds
 * `config.json`, `preprocessor_config.json`, `tokenizer.json`,
 * `tokenizer_config.json` and `onnx/vision_model.onnx` + `onnx/text_model.onnx`
 * (or one quantized or half-precision variant of each, e.g. `vision_model_quantized.onnx`).
 */
@injectable()
export class TransformersImageEmbedderProvider extends TransformersFolderProvider implements ImageEmbedderProvider {

    @inject(ILogger) @named('archive-core:TransformersImageEmbedderProvider') @optional()
    protected readonly logger?: ILogger;

    async load(modelPath: string): Promise<ImageEmbedder> {
        const folder = await this.read(modelPath);
        const traits = imageTextFamily(folder.config, folder.path);
        const embedder = await TransformersImageEmbedder.load(folder, traits);
        this.logger?.info(`Loaded ${traits.family} image model ${embedder.modelId} from ${modelPath} (${describeWeights(folder)}, ${embedder.dimensions} dimensions)`);
        return embedder;
    }

    protected async read(modelPath: string): Promise<ModelFolder> {
        const folder = await readModelFolder(modelPath, IMAGE_TEXT_FOLDER);
        await readJsonFile(modelPath, 'preprocessor_config.json');
        await checkPadToken(modelPath);
        return folder;
    }
}
