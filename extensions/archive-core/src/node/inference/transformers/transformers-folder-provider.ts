import { injectable } from '@theia/core/shared/inversify';
import type { ProviderHealth } from '../../../common/job-protocol';
import type { ModelFolderInfo } from '../image-embedder';
import { folderHealth, ModelFolder, ModelFolderError, readJsonFile } from './transformers-model-folder';

/** The provider id the settings name (`imageparser.ai.visual.provider`, `imageparser.ai.text.provider`). */
export const TRANSFORMERS_PROVIDER_ID = 'transformers';

/**
 * What the transformers.js providers (image and text) share: a model is a
 * local folder that {@link read} checks, `validate` tells its health
 * without throwing and `inspect` tells what it holds.
 */
@injectable()
export abstract class TransformersFolderProvider {

    readonly id = TRANSFORMERS_PROVIDER_ID;

    async validate(modelPath: string): Promise<ProviderHealth> {
        try {
            await this.read(modelPath);
            return { state: 'ready' };
        } catch (error) {
            return folderHealth(error);
        }
    }

    async inspect(modelPath: string): Promise<ModelFolderInfo> {
        return (await this.read(modelPath)).info;
    }

    /** The folder, read and checked; a {@link ModelFolderError} says what is wrong with it. */
    protected abstract read(modelPath: string): Promise<ModelFolder>;
}

/** Padding a batch of texts needs a pad token (or the end token transformers.js falls back to); without one it crashes mid-batch. */
export async function checkPadToken(modelPath: string): Promise<void> {
    const config = await readJsonFile(modelPath, 'tokenizer_config.json');
    const named = (key: string) => typeof config[key] === 'string' || typeof (config[key] as { content?: unknown } | undefined)?.content === 'string';
    if (!named('pad_token') && !named('eos_token')) {
        throw new ModelFolderError('tokenizer-no-pad', `tokenizer_config.json in ${modelPath} names no pad_token (nor eos_token), so texts cannot be padded into batches.`);
    }
}
