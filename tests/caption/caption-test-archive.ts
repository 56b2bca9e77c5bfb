import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { Container } from '@theia/core/shared/inversify';
import { bindAiModels } from '../../extensions/archive-core/src/node/inference/ai-bindings';
import { AiImageSource } from '../../extensions/archive-core/src/node/inference/ai-image';
import type { CaptionSettings } from '../../extensions/archive-core/src/node/inference/ai-settings';
import { bindCaptionPhase } from '../../extensions/archive-core/src/node/inference/caption/caption-bindings';
import { DefaultModelManager } from '../../extensions/archive-core/src/node/inference/default-model-manager';
import { ModelManager } from '../../extensions/archive-core/src/node/inference/model-manager';
import { OpenAiCaptionerOptions } from '../../extensions/archive-core/src/node/inference/openai/openai-captioner';
import { OpenAiCaptionerOptionsToken } from '../../extensions/archive-core/src/node/inference/openai/openai-captioner-provider';
import { bindOpenAiCaptioner } from '../../extensions/archive-core/src/node/inference/openai/openai-bindings';
import { PreviewImageSource } from '../../extensions/archive-core/src/node/inference/preview-image-source';
import { bindTestAiModels, TestAiSettings } from '../../extensions/archive-core/src/node/test/test-ai-models';
import { EmbeddedJobQueueOptions } from '../../extensions/archive-core/src/node/jobs/embedded-job-queue';
import { PhasePipelineOptions } from '../../extensions/archive-core/src/node/jobs/default-phase-pipeline';
import { createArchiveTestContainer } from '../../extensions/archive-core/src/node/test/archive-test-container';

export interface CaptionArchiveOptions {
    readonly captioner?: OpenAiCaptionerOptions;
    readonly queue?: EmbeddedJobQueueOptions;
}

/**
 * A backend's store, ingester, queue and pipeline over a real archive in
 * `folder`, with the caption phase bound as the backend binds it, the
 * `openai-compatible` provider, the app's AI models (`DefaultAiModels`) on the
 * test's caption settings, and the stored-preview image source.
 */
export function captionContainer(folder: string, settings: CaptionSettings, options: CaptionArchiveOptions = {}): { container: Container; settings: TestAiSettings } {
    const container = createArchiveTestContainer(folder, { threads: 1 });
    const bind = container.bind.bind(container);
    container.bind(PhasePipelineOptions).toConstantValue({ idleMs: 50, reapMs: 200, heartbeatMs: 100 });
    container.bind(EmbeddedJobQueueOptions).toConstantValue({ maxAttempts: 3, backoffBaseMs: 50, backoffMaxMs: 200, ...options.queue });
    container.bind(OpenAiCaptionerOptionsToken).toConstantValue({ retries: 1, backoffBaseMs: 20, backoffMaxMs: 50, ...options.captioner });
    bindOpenAiCaptioner(bind);
    bindAiModels(bind);
    if (!container.isBound(ModelManager)) {
        container.bind(DefaultModelManager).toSelf().inSingletonScope();
        container.bind(ModelManager).toService(DefaultModelManager);
    }
    const aiSettings = bindTestAiModels(container, {}, { caption: settings });
    container.bind(PreviewImageSource).toSelf().inSingletonScope();
    container.bind(AiImageSource).toService(PreviewImageSource);
    bindCaptionPhase(bind);
    return { container, settings: aiSettings };
}

/** The colours the images are drawn in, as the test endpoint names them. */
export const IMAGE_COLOURS: readonly { readonly name: string; readonly ko: string; readonly rgb: readonly [number, number, number] }[] = [
    { name: 'red', ko: '빨강', rgb: [220, 30, 30] },
    { name: 'green', ko: '초록', rgb: [30, 180, 40] },
    { name: 'blue', ko: '파랑', rgb: [30, 50, 220] },
    { name: 'yellow', ko: '노랑', rgb: [235, 220, 30] }
];

/** Writes one flat PNG per colour (a few pixels of noise make each its own content), named `<colour>.png`. */
export async function writeColourImages(folder: string, colours = IMAGE_COLOURS, size = 96): Promise<string[]> {
    fs.mkdirSync(folder, { recursive: true });
    const files: string[] = [];
    for (const [i, colour] of colours.entries()) {
        const pixels = Buffer.alloc(size * size * 3);
        for (let p = 0; p < size * size; p++) {
            pixels.set(colour.rgb, p * 3);
        }
        pixels[0] = i;
        const file = path.join(folder, `${colour.name}.png`);
        await sharp(pixels, { raw: { width: size, height: size, channels: 3 } }).png().toFile(file);
        files.push(file);
    }
    return files;
}
