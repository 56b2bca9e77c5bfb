import type { ImageProcessor, PreTrainedModel, PreTrainedTokenizer } from '@huggingface/transformers';
import type { AiImage } from '../ai-image';
import type { ImageEmbedder } from '../image-embedder';
import { normalizedRows, TensorLike } from './embedding-rows';
import { DirectImagePreprocessor, directImagePreprocessor } from './direct-image-preprocessor';
import { ImageTextFamilyTraits } from './image-text-family';
import { loadTogether, probeDimensions } from './model-loading';
import { encodeTexts } from './text-batch';
import { ModelFolder, readJsonFile } from './transformers-model-folder';
import { TransformersModule, transformersRuntime } from './transformers-runtime';

/** The image side the preprocessor of a config names (its resize or crop size, the larger); 224 when it names none. */
export function preprocessorImageSize(config: Readonly<Record<string, unknown>>): number {
    const sizes = [config.size, config.crop_size].flatMap(size => {
        if (typeof size === 'number') {
            return [size];
        }
        const named = size as Record<string, unknown> | null | undefined;
        return typeof named === 'object' && named !== null
            ? [named.shortest_edge, named.height, named.width].filter((value): value is number => typeof value === 'number')
            : [];
    });
    return sizes.length > 0 ? Math.max(...sizes) : 224;
}

/** The longest text (in tokens) a text tower takes: its tokenizer's limit when sane, else its position embeddings'. */
export function textLimit(tokenizerConfig: Readonly<Record<string, unknown>>, config: Readonly<Record<string, unknown>>, fallback: number): number {
    const limit = tokenizerConfig.model_max_length;
    if (typeof limit === 'number' && limit > 0 && limit <= 8192) {
        return limit;
    }
    const textConfig = (config.text_config ?? config) as Record<string, unknown>;
    return typeof textConfig.max_position_embeddings === 'number' ? textConfig.max_position_embeddings : fallback;
}

/**
 * A CLIP or SigLIP model loaded through `@huggingface/transformers` from a
 * local folder: images go through the model's own image processor
 * (`preprocessor_config.json`) and vision tower, texts through its
 * tokenizer (`tokenizer.json`) and text tower; every vector is L2-normalized.
 */
export class TransformersImageEmbedder implements ImageEmbedder {

    static async load(folder: ModelFolder, traits: ImageTextFamilyTraits): Promise<TransformersImageEmbedder> {
        const transformers = await transformersRuntime();
        const [preprocessor, tokenizerConfig] = await Promise.all([
            readJsonFile(folder.path, 'preprocessor_config.json'),
            readJsonFile(folder.path, 'tokenizer_config.json')
        ]);
        const weights = (name: string) => {
            const found = folder.weights.find(weight => weight.name === name)!;
            return { local_files_only: true, device: 'cpu' as const, dtype: found.dtype, use_external_data_format: found.externalData, model_file_name: name };
        };
        const [tokenizer, processor, vision, text] = await loadTogether<[PreTrainedTokenizer, ImageProcessor, PreTrainedModel, PreTrainedModel]>(folder.path, [
            transformers.AutoTokenizer.from_pretrained(folder.path, { local_files_only: true }),
            transformers.AutoImageProcessor.from_pretrained(folder.path, { local_files_only: true }),
            transformers[traits.visionClass].from_pretrained(folder.path, weights('vision_model')),
            transformers[traits.textClass].from_pretrained(folder.path, weights('text_model'))
        ]);
        const embedder = new TransformersImageEmbedder(
            folder.info.modelId, traits, tokenizer, processor, vision, text,
            preprocessorImageSize(preprocessor), textLimit(tokenizerConfig, folder.config, 64), transformers
        );
        return probeDimensions(folder.path, embedder, loaded => loaded.embedTexts(['']));
    }

    dimensions = 0;
    /** The processor's work done in one resize and one pass, when its kind of preprocessing allows. */
    protected readonly direct: DirectImagePreprocessor | undefined;
    protected disposed: Promise<void> | undefined;

    protected constructor(
        readonly modelId: string,
        protected readonly traits: ImageTextFamilyTraits,
        protected readonly tokenizer: PreTrainedTokenizer,
        protected readonly processor: ImageProcessor,
        protected readonly vision: PreTrainedModel,
        protected readonly text: PreTrainedModel,
        readonly imageSize: number,
        protected readonly maxTextTokens: number,
        protected readonly transformers: TransformersModule
    ) {
        this.direct = directImagePreprocessor(processor, transformers);
    }

    async embedImages(images: readonly AiImage[]): Promise<Float32Array[]> {
        if (images.length === 0) {
            return [];
        }
        const outputs = await this.vision({ pixel_values: await this.pixelValues(images) });
        return normalizedRows(this.pick(outputs, this.traits.imageOutputs));
    }

    async embedTexts(texts: readonly string[]): Promise<Float32Array[]> {
        if (texts.length === 0) {
            return [];
        }
        const outputs = await this.text(encodeTexts(this.tokenizer, texts, { padding: this.traits.padding, maxLength: this.maxTextTokens }, this.transformers));
        return normalizedRows(this.pick(outputs, this.traits.textOutputs));
    }

    async dispose(): Promise<void> {
        this.disposed ??= Promise.all([this.vision.dispose(), this.text.dispose()]).then(() => undefined);
        return this.disposed;
    }

    /** The images as the model's processor prepares them (`preprocessor_config.json`), as one batch tensor. */
    async pixelValues(images: readonly AiImage[]): Promise<InstanceType<TransformersModule['Tensor']>> {
        const direct = await this.direct?.pixels(images);
        if (direct) {
            return new this.transformers.Tensor('float32', direct.data, direct.dims);
        }
        return this.processorPixelValues(images);
    }

    /** The model's own processor on the images, every step as transformers.js does it (what {@link pixelValues} must equal). */
    async processorPixelValues(images: readonly AiImage[]): Promise<InstanceType<TransformersModule['Tensor']>> {
        const raw = images.map(({ rgb }) => new this.transformers.RawImage(rgb.data, rgb.width, rgb.height, 3));
        return (await this.processor(raw)).pixel_values;
    }

    protected pick(outputs: Record<string, TensorLike>, names: readonly string[]): TensorLike {
        const name = names.find(each => outputs[each] !== undefined);
        if (name === undefined) {
            throw new Error(`${this.modelId} answered ${Object.keys(outputs).join(', ')}, none of ${names.join(', ')}`);
        }
        return outputs[name];
    }
}
