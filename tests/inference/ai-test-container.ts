import { Container, interfaces } from '@theia/core/shared/inversify';
import { ILogger } from '@theia/core/lib/common/logger';
import { MockLogger } from '@theia/core/lib/common/test/mock-logger';
import { bindAiServiceHandler } from '../../extensions/archive-core/src/node/ai-service-bindings';
import { bindAiModels } from '../../extensions/archive-core/src/node/inference/ai-bindings';
import { CaptionerProvider } from '../../extensions/archive-core/src/node/inference/captioner';
import { DefaultModelManager } from '../../extensions/archive-core/src/node/inference/default-model-manager';
import { ImageEmbedderProvider } from '../../extensions/archive-core/src/node/inference/image-embedder';
import { ModelManager } from '../../extensions/archive-core/src/node/inference/model-manager';
import { TextEmbedderProvider } from '../../extensions/archive-core/src/node/inference/text-embedder';
import { TestCaptionerProvider, TestImageEmbedderProvider, TestTextEmbedderProvider } from './ai-test-providers';
import { bindTestPreferences } from './preference-test-service';

export interface Providers {
    readonly transformers: TestImageEmbedderProvider;
    readonly stripes: TestImageEmbedderProvider;
    readonly text: TestTextEmbedderProvider;
    readonly captions: TestCaptionerProvider;
}

/** Binds the AI settings, models and service as the backend does, over Theia's preference service, with test model families as the providers. */
export function bindAi(container: Container): Providers {
    const bind: interfaces.Bind = container.bind.bind(container);
    if (!container.isBound(ILogger)) {
        container.bind(ILogger).to(MockLogger).inSingletonScope();
    }
    bindTestPreferences(bind);
    bindAiModels(bind);
    bindAiServiceHandler(bind);
    container.bind(DefaultModelManager).toSelf().inSingletonScope();
    container.bind(ModelManager).toService(DefaultModelManager);
    const providers: Providers = {
        transformers: new TestImageEmbedderProvider('transformers'),
        stripes: new TestImageEmbedderProvider('stripes'),
        text: new TestTextEmbedderProvider('transformers'),
        captions: new TestCaptionerProvider()
    };
    container.bind(ImageEmbedderProvider).toConstantValue(providers.transformers);
    container.bind(ImageEmbedderProvider).toConstantValue(providers.stripes);
    container.bind(TextEmbedderProvider).toConstantValue(providers.text);
    container.bind(CaptionerProvider).toConstantValue(providers.captions);
    return providers;
}

