import { interfaces } from '@theia/core/shared/inversify';
import { ImageEmbedderProvider } from '../image-embedder';
import { TextEmbedderProvider } from '../text-embedder';
import { TransformersImageEmbedderProvider } from './transformers-image-embedder-provider';
import { TransformersTextEmbedderProvider } from './transformers-text-embedder-provider';

/**
 * The `transformers` provider family: CLIP / SigLIP image embedders and
 * ONNX sentence embedders on `@huggingface/transformers`, bound as an
 * {@link ImageEmbedderProvider} and a {@link TextEmbedderProvider} as any
 * package's family would be. Nothing loads until a model is configured.
 */
export function bindTransformersProviders(bind: interfaces.Bind): void {
    bind(TransformersImageEmbedderProvider).toSelf().inSingletonScope();
    bind(ImageEmbedderProvider).toService(TransformersImageEmbedderProvider);
    bind(TransformersTextEmbedderProvider).toSelf().inSingletonScope();
    bind(TextEmbedderProvider).toService(TransformersTextEmbedderProvider);
}
