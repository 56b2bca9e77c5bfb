import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { Container } from '@theia/core/shared/inversify';
import { Emitter } from '@theia/core/lib/common/event';
import type { AiModelStatus, AiRole } from '../../extensions/archive-core/src/common/ai-protocol';
import type { ProviderHealth } from '../../extensions/archive-core/src/common/job-protocol';
import { AiImageSource } from '../../extensions/archive-core/src/node/inference/ai-image';
import { ActiveModel, AiModels } from '../../extensions/archive-core/src/node/inference/ai-models';
import { AiSettings, CaptionSettings, EmbedderSettings, TextEmbedderSettings } from '../../extensions/archive-core/src/node/inference/ai-settings';
import { bindCaptionPhase } from '../../extensions/archive-core/src/node/inference/caption/caption-bindings';
import { Captioner } from '../../extensions/archive-core/src/node/inference/captioner';
import type { ImageEmbedder } from '../../extensions/archive-core/src/node/inference/image-embedder';
import { OpenAiCaptionerOptions } from '../../extensions/archive-core/src/node/inference/openai/openai-captioner';
import { OpenAiCaptionerOptionsToken, OpenAiCaptionerProvider } from '../../extensions/archive-core/src/node/inference/openai/openai-captioner-provider';
import { bindOpenAiCaptioner } from '../../extensions/archive-core/src/node/inference/openai/openai-bindings';
import { PreviewImageSource } from '../../extensions/archive-core/src/node/inference/preview-image-source';
import type { TextEmbedder } from '../../extensions/archive-core/src/node/inference/text-embedder';
import { EmbeddedJobQueueOptions } from '../../extensions/archive-core/src/node/jobs/embedded-job-queue';
import { PhasePipelineOptions } from '../../extensions/archive-core/src/node/jobs/default-phase-pipeline';
import { createArchiveTestContainer } from '../../extensions/archive-core/src/node/test/archive-test-container';

/** Caption settings a test can change while the archive runs. */
export class TestAiSettings implements AiSettings {
    protected readonly onDidChangeEmitter = new Emitter<AiRole>();
    readonly onDidChange = this.onDidChangeEmitter.event;

    constructor(public captionSettings: CaptionSettings | undefined) { }

    caption(): CaptionSettings | undefined {
        return this.captionSettings;
    }
    visual(): EmbedderSettings | undefined {
        return undefined;
    }
    text(): TextEmbedderSettings | undefined {
        return undefined;
    }
    memoryBudgetBytes(): number {
        return 0;
    }
}

/**
 * A small AiModels for the caption tests (the real one is another part's):
 * it makes the captioner through the bound `openai-compatible` provider from
 * the settings, once, and answers it while captions are configured.
 */
export class TestAiModels implements AiModels {
    protected readonly onDidChangeEmitter = new Emitter<AiRole>();
    readonly onDidChange = this.onDidChangeEmitter.event;
    protected made: { settings: CaptionSettings; captioner: Captioner } | undefined;

    constructor(protected readonly settings: AiSettings, protected readonly provider: OpenAiCaptionerProvider) { }

    captioner(): Captioner | undefined {
        const settings = this.settings.caption();
        if (!settings) {
            return undefined;
        }
        if (this.made?.settings !== settings) {
            this.made?.captioner.dispose();
            this.made = { settings, captioner: this.provider.create(settings) };
        }
        return this.made.captioner;
    }
    visual(): ActiveModel<ImageEmbedder> | undefined {
        return undefined;
    }
    text(): ActiveModel<TextEmbedder> | undefined {
        return undefined;
    }
    health(role: AiRole): ProviderHealth {
        const captioner = role === 'caption' ? this.captioner() : undefined;
        return captioner ? captioner.health() : { state: 'not-configured', code: 'not-configured' };
    }
    async status(): Promise<AiModelStatus[]> {
        return [];
    }
    async refresh(): Promise<void> { }
    dispose(): void {
        this.made?.captioner.dispose();
    }
}

export interface CaptionArchiveOptions {
    readonly captioner?: OpenAiCaptionerOptions;
    readonly queue?: EmbeddedJobQueueOptions;
}

/**
 * A backend's store, ingester, queue and pipeline over a real archive in
 * `folder`, with the caption phase bound as the backend binds it, the
 * `openai-compatible` provider, the stored-preview image source, and the
 * test's settings and models.
 */
export function captionContainer(folder: string, settings: TestAiSettings, options: CaptionArchiveOptions = {}): Container {
    const container = createArchiveTestContainer(folder, { threads: 1 });
    const bind = container.bind.bind(container);
    container.bind(PhasePipelineOptions).toConstantValue({ idleMs: 50, reapMs: 200, heartbeatMs: 100 });
    container.bind(EmbeddedJobQueueOptions).toConstantValue({ maxAttempts: 3, backoffBaseMs: 50, backoffMaxMs: 200, ...options.queue });
    container.bind(OpenAiCaptionerOptionsToken).toConstantValue({ retries: 1, backoffBaseMs: 20, backoffMaxMs: 50, ...options.captioner });
    bindOpenAiCaptioner(bind);
    container.bind(AiSettings).toConstantValue(settings);
    container.bind(AiModels).toDynamicValue(ctx => new TestAiModels(settings, ctx.container.get(OpenAiCaptionerProvider))).inSingletonScope();
    container.bind(PreviewImageSource).toSelf().inSingletonScope();
    container.bind(AiImageSource).toService(PreviewImageSource);
    bindCaptionPhase(bind);
    return container;
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
