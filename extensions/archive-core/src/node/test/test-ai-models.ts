import { Emitter } from '@theia/core/lib/common/event';
import type { interfaces } from '@theia/core/shared/inversify';
import type { AiRole } from '../../common/ai-protocol';
import { AiSettings, CaptionSettings, EmbedderSettings, TextEmbedderSettings } from '../inference/ai-settings';
import { CaptionerProvider } from '../inference/captioner';
import { ImageEmbedderProvider } from '../inference/image-embedder';
import { TextEmbedderProvider } from '../inference/text-embedder';

/** What a test sets: each role's settings (undefined: off) and the models' memory budget. */
export interface TestAiValues {
    readonly caption?: CaptionSettings;
    readonly visual?: EmbedderSettings;
    readonly text?: TextEmbedderSettings;
    readonly memoryBudgetBytes?: number;
}

/**
 * AI settings a test sets directly, as a user changes preferences (the app
 * reads preferences, the command-line tool environment variables): each
 * change fires `onDidChange` with its role, as the app's settings do.
 */
export class TestAiSettings implements AiSettings {
    protected readonly onDidChangeEmitter = new Emitter<AiRole>();
    readonly onDidChange = this.onDidChangeEmitter.event;

    constructor(protected values: TestAiValues = {}) { }

    caption(): CaptionSettings | undefined {
        return this.values.caption;
    }

    visual(): EmbedderSettings | undefined {
        return this.values.visual;
    }

    text(): TextEmbedderSettings | undefined {
        return this.values.text;
    }

    memoryBudgetBytes(): number {
        return this.values.memoryBudgetBytes ?? 1 << 30;
    }

    setCaption(settings: CaptionSettings | undefined): void {
        this.values = { ...this.values, caption: settings };
        this.onDidChangeEmitter.fire('caption');
    }

    setVisual(settings: EmbedderSettings | undefined): void {
        this.values = { ...this.values, visual: settings };
        this.onDidChangeEmitter.fire('visual');
    }

    setText(settings: TextEmbedderSettings | undefined): void {
        this.values = { ...this.values, text: settings };
        this.onDidChangeEmitter.fire('text');
    }
}

/** Model families a test adds beside the built-in ones (model test doubles). */
export interface TestAiProviders {
    readonly image?: readonly ImageEmbedderProvider[];
    readonly text?: readonly TextEmbedderProvider[];
    readonly captioner?: readonly CaptionerProvider[];
}

/**
 * Runs the app's own AI models (`DefaultAiModels`, bound by `bindAiModels`
 * or `bindInference`, which must be bound already) on settings the test
 * sets: `AiSettings` becomes a {@link TestAiSettings}, and each provider is
 * contributed as a third-party package contributes a model family. Answers
 * the settings to change.
 */
export function bindTestAiModels(container: interfaces.Container, providers: TestAiProviders = {}, values: TestAiValues = {}): TestAiSettings {
    const settings = new TestAiSettings(values);
    container.rebind(AiSettings).toConstantValue(settings);
    providers.image?.forEach(provider => container.bind(ImageEmbedderProvider).toConstantValue(provider));
    providers.text?.forEach(provider => container.bind(TextEmbedderProvider).toConstantValue(provider));
    providers.captioner?.forEach(provider => container.bind(CaptionerProvider).toConstantValue(provider));
    return settings;
}
