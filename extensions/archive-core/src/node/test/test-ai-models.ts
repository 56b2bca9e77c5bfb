import { Emitter } from '@theia/core/lib/common/event';
import type { AiModelStatus, AiRole } from '../../common/ai-protocol';
import type { ProviderHealth } from '../../common/job-protocol';
import { ActiveModel, AiModels } from '../inference/ai-models';
import { AiSettings, CaptionSettings, EmbedderSettings, TextEmbedderSettings } from '../inference/ai-settings';
import type { Captioner } from '../inference/captioner';
import type { ImageEmbedder, ImageEmbedderProvider } from '../inference/image-embedder';
import { ModelManager } from '../inference/model-manager';
import type { interfaces } from '@theia/core/shared/inversify';
import type { TextEmbedder, TextEmbedderProvider } from '../inference/text-embedder';

/** AI settings a test sets directly (the app reads preferences, the command-line tool environment variables). */
export class TestAiSettings implements AiSettings {
    protected readonly onDidChangeEmitter = new Emitter<AiRole>();
    readonly onDidChange = this.onDidChangeEmitter.event;

    protected values: { caption?: CaptionSettings; visual?: EmbedderSettings; text?: TextEmbedderSettings } = {};

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
        return 1 << 30;
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

/** The embedder families a {@link SimpleAiModels} picks from. */
export interface TestAiProviders {
    readonly image: readonly ImageEmbedderProvider[];
    readonly text: readonly TextEmbedderProvider[];
}

/**
 * A small `AiModels` after the contract, for specs of what runs on the
 * models (phases, axes): reads `AiSettings`, picks the provider the settings
 * name, validates and inspects the folder, registers the model with the real
 * `ModelManager`, and fires `onDidChange` with the role whose model changed.
 * No captioner. The app's `DefaultAiModels` takes its place where it is bound
 * (this file sits with the test helpers, which are compiled without decorators:
 * it is made by hand, see {@link bindSimpleAiModels}).
 */
export class SimpleAiModels implements AiModels {

    protected readonly onDidChangeEmitter = new Emitter<AiRole>();
    readonly onDidChange = this.onDidChangeEmitter.event;

    protected visualModel: ActiveModel<ImageEmbedder> | undefined;
    protected textModel: ActiveModel<TextEmbedder> | undefined;
    protected readonly healths: Record<AiRole, ProviderHealth> = {
        caption: { state: 'not-configured' }, visual: { state: 'not-configured' }, text: { state: 'not-configured' }
    };

    constructor(protected readonly settings: AiSettings, protected readonly manager: ModelManager, protected readonly providers: TestAiProviders) {
        this.settings.onDidChange(() => this.refresh());
    }

    captioner(): Captioner | undefined {
        return undefined;
    }

    visual(): ActiveModel<ImageEmbedder> | undefined {
        return this.visualModel;
    }

    text(): ActiveModel<TextEmbedder> | undefined {
        return this.textModel;
    }

    health(role: AiRole): ProviderHealth {
        return this.healths[role];
    }

    async status(): Promise<AiModelStatus[]> {
        return (['caption', 'visual', 'text'] as const).map(role => {
            const model = role === 'visual' ? this.visualModel : role === 'text' ? this.textModel : undefined;
            return { role, provider: model?.provider ?? '', model: model?.modelId ?? '', state: model?.managed.state ?? 'none', health: this.healths[role] };
        });
    }

    async refresh(): Promise<void> {
        const visual = await this.activate('visual', this.settings.visual(), this.providers.image);
        if (visual?.modelId !== this.visualModel?.modelId) {
            this.visualModel = visual;
            this.onDidChangeEmitter.fire('visual');
        }
        const text = await this.activate('text', this.settings.text(), this.providers.text);
        if (text?.modelId !== this.textModel?.modelId) {
            this.textModel = text;
            this.onDidChangeEmitter.fire('text');
        }
    }

    protected async activate<M extends { dispose(): Promise<void> }>(role: AiRole, settings: EmbedderSettings | undefined,
        providers: readonly { id: string; validate(path: string): Promise<ProviderHealth>; inspect(path: string): Promise<{ modelId: string; bytes: number }>; load(path: string): Promise<M> }[]
    ): Promise<ActiveModel<M> | undefined> {
        if (!settings) {
            this.healths[role] = { state: 'not-configured' };
            return undefined;
        }
        const provider = providers.find(each => each.id === settings.provider);
        const health = provider ? await provider.validate(settings.modelPath)
            : { state: 'invalid' as const, code: 'provider-missing', message: `No ${role} provider named ${settings.provider} is installed.` };
        this.healths[role] = health;
        if (!provider || health.state !== 'ready') {
            return undefined;
        }
        const info = await provider.inspect(settings.modelPath);
        const managed = this.manager.register<M>({
            id: info.modelId, isAvailable: () => true, load: () => provider.load(settings.modelPath), unload: model => model.dispose(),
            bytesPerItem: 1 << 20, maxBatch: 8, residentBytes: info.bytes
        });
        return { role, provider: provider.id, modelId: info.modelId, bytes: info.bytes, managed, health: () => this.healths[role] };
    }
}

/**
 * Binds `AiSettings` to a {@link TestAiSettings} and `AiModels` to a
 * {@link SimpleAiModels} over these providers and the container's
 * `ModelManager`; answers the settings to change.
 */
export function bindSimpleAiModels(bind: interfaces.Bind, providers: TestAiProviders): TestAiSettings {
    const settings = new TestAiSettings();
    bind(AiSettings).toConstantValue(settings);
    bind(AiModels).toDynamicValue(({ container }) => new SimpleAiModels(settings, container.get<ModelManager>(ModelManager), providers)).inSingletonScope();
    return settings;
}
