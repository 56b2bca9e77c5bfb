import * as fs from 'fs';
import { inject, injectable, named, optional, postConstruct } from '@theia/core/shared/inversify';
import { ContributionProvider } from '@theia/core/lib/common/contribution-provider';
import { Emitter, Event } from '@theia/core/lib/common/event';
import { ILogger } from '@theia/core/lib/common/logger';
import type { AiModelStatus, AiRole } from '../../common/ai-protocol';
import { BUILTIN_VISUAL_PROVIDER } from '../../common/ai-preferences';
import { formatBytes } from '../../common/byte-size';
import type { ModelState, ProviderHealth } from '../../common/job-protocol';
import { VISUAL_DESCRIPTOR_MODEL } from '../ingest/visual-descriptor';
import { ActiveModel, AiModels } from './ai-models';
import { AiServingModels } from './ai-serving-models';
import { AiSettings, CaptionSettings, EmbedderSettings } from './ai-settings';
import { Captioner, CaptionerProvider } from './captioner';
import { ImageEmbedder, ImageEmbedderProvider, ModelFolderInfo } from './image-embedder';
import { ModelManager, ModelSpec } from './model-manager';
import { TextEmbedder, TextEmbedderProvider } from './text-embedder';

/** How often a provider that is down (or still being checked) is checked again. */
export const AI_RECHECK_MS = 30_000;

/** The stable codes of the problems {@link DefaultAiModels} finds itself (the providers answer the others: `folder-missing`, `file-missing`, `endpoint-down`…). */
export namespace AiProblemCodes {
    export const CHECKING = 'checking';
    export const UNKNOWN_PROVIDER = 'unknown-provider';
    export const MODEL_PATH_MISSING = 'model-path-missing';
    export const MODEL_UNREADABLE = 'model-unreadable';
    export const VALIDATION_FAILED = 'validation-failed';
    export const MODEL_TOO_LARGE = 'model-too-large';
}

/** What a family of embedders shares: image and text providers validate, inspect and load a path alike. */
interface EmbedderFamily<M> {
    readonly id: string;
    validate(modelPath: string): Promise<ProviderHealth>;
    inspect(modelPath: string): Promise<ModelFolderInfo>;
    load(modelPath: string): Promise<M>;
}

/** One role as last checked: the settings it was made from, and what they gave. */
interface RoleEntry {
    /** The settings this entry was made from, as JSON; '' for none, undefined before the first check. */
    readonly key: string | undefined;
    readonly provider: string;
    readonly modelId: string;
    readonly health: ProviderHealth;
    readonly captioner?: Captioner;
    readonly active?: ActiveModel<ImageEmbedder> | ActiveModel<TextEmbedder>;
}

/** How one item of a batch weighs and how many go together, per embedding role (the model's own memory is its folder's size). */
const BATCHES: Record<'visual' | 'text', { bytesPerItem: number; maxBatch: number }> = {
    // A 1024-px preview decoded (3 MiB) and its tensors at the model's size.
    visual: { bytesPerItem: 16 * 1024 * 1024, maxBatch: 16 },
    text: { bytesPerItem: 2 * 1024 * 1024, maxBatch: 64 }
};

const ROLES: readonly AiRole[] = ['caption', 'visual', 'text'];

/**
 * The AI models the settings choose. Each role is checked when its settings
 * change and on {@link refresh}: the provider the settings name is looked up
 * among the contributions (`unknown-provider` when none has that id), it
 * validates the folder, file or endpoint, an embedding model is inspected
 * for its id and size before anything is loaded and registered with the
 * {@link ModelManager} (its weights are its resident bytes), and a
 * captioner is created for the endpoint. The previous entry of a role keeps
 * answering until the new one is checked, so a phase never sees a gap; then
 * `onDidChange(role)` fires and only that phase sees a new model id.
 * An endpoint that is down is checked again every {@link AI_RECHECK_MS}.
 */
@injectable()
export class DefaultAiModels implements AiModels {

    @inject(AiSettings)
    protected readonly settings: AiSettings;

    @inject(ContributionProvider) @named(CaptionerProvider)
    protected readonly captionerProviders: ContributionProvider<CaptionerProvider>;

    @inject(ContributionProvider) @named(ImageEmbedderProvider)
    protected readonly imageProviders: ContributionProvider<ImageEmbedderProvider>;

    @inject(ContributionProvider) @named(TextEmbedderProvider)
    protected readonly textProviders: ContributionProvider<TextEmbedderProvider>;

    @inject(ModelManager)
    protected readonly manager: ModelManager;

    @inject(AiServingModels) @optional()
    protected readonly servingModels?: AiServingModels;

    @inject(ILogger) @named('archive-core:AiModels')
    protected readonly logger: ILogger;

    protected readonly onDidChangeEmitter = new Emitter<AiRole>();
    readonly onDidChange: Event<AiRole> = this.onDidChangeEmitter.event;

    protected readonly entries: Record<AiRole, RoleEntry> = {
        caption: checking(), visual: checking(), text: checking()
    };
    /** The latest check of each role; an older check's result is dropped. */
    protected readonly checks: Partial<Record<AiRole, Promise<void>>> = {};
    /** The settings (as JSON) of each role's latest check. */
    protected readonly checkedKeys: Partial<Record<AiRole, string>> = {};
    protected readonly recheckTimers: Partial<Record<AiRole, NodeJS.Timeout>> = {};
    /** Where each registered embedding model loads from now (a model id met again at another path loads from there). */
    protected readonly locations = new Map<string, string>();

    @postConstruct()
    protected init(): void {
        this.settings.onDidChange(role => this.checkSoon(role, false));
        ROLES.forEach(role => this.checkSoon(role, false));
    }

    captioner(): Captioner | undefined {
        return this.entries.caption.captioner;
    }

    visual(): ActiveModel<ImageEmbedder> | undefined {
        return this.entries.visual.active as ActiveModel<ImageEmbedder> | undefined;
    }

    text(): ActiveModel<TextEmbedder> | undefined {
        return this.entries.text.active as ActiveModel<TextEmbedder> | undefined;
    }

    health(role: AiRole): ProviderHealth {
        const entry = this.entries[role];
        if (entry.health.state === 'ready' && entry.captioner) {
            // The captioner's circuit breaker knows when the endpoint went down since.
            return entry.captioner.health();
        }
        return entry.health;
    }

    async status(): Promise<AiModelStatus[]> {
        return Promise.all(ROLES.map(role => this.statusOf(role)));
    }

    async refresh(): Promise<void> {
        await Promise.all(ROLES.map(role => this.check(role, true)));
    }

    /** {@link check} for callers that do not wait: a failure is logged, never left unhandled. */
    protected checkSoon(role: AiRole, force: boolean): void {
        this.check(role, force).catch(error => this.logger.error(`Checking the ${role} model failed: ${messageOf(error)}`));
    }

    /** Checks a role's settings (again when `force`, else only when they changed); settles when its latest check is in place. */
    protected async check(role: AiRole, force: boolean): Promise<void> {
        const settings = this.settingsOf(role);
        const key = settings ? JSON.stringify(settings) : '';
        if (!force && key === (role in this.checkedKeys ? this.checkedKeys[role] : this.entries[role].key)) {
            return this.settled(role);
        }
        this.checkedKeys[role] = key;
        const check = this.entryFor(role, settings, key)
            .catch(error => invalid(AiProblemCodes.VALIDATION_FAILED, `Checking the ${role} model failed: ${messageOf(error)}`, key))
            .then(entry => {
                if (this.checks[role] !== check) {
                    // A newer check replaced this one: its captioner (if new) is not used.
                    if (entry.captioner && entry.captioner !== this.entries[role].captioner) {
                        entry.captioner.dispose();
                    }
                    return;
                }
                this.apply(role, entry);
            });
        this.checks[role] = check;
        return this.settled(role);
    }

    /** Resolves once the latest check of the role (however many replaced each other) is in place. */
    protected async settled(role: AiRole): Promise<void> {
        let check: Promise<void> | undefined;
        while (check !== this.checks[role]) {
            check = this.checks[role];
            await check;
        }
    }

    protected apply(role: AiRole, entry: RoleEntry): void {
        const previous = this.entries[role];
        this.entries[role] = entry;
        if (previous.captioner && previous.captioner !== entry.captioner) {
            previous.captioner.dispose();
        }
        clearTimeout(this.recheckTimers[role]);
        if (entry.health.state === 'down') {
            const timer = setTimeout(() => this.checkSoon(role, true), AI_RECHECK_MS);
            timer.unref();
            this.recheckTimers[role] = timer;
        }
        if (entry.health.state !== 'ready' && entry.health.state !== 'not-configured') {
            this.logger.warn(`The ${role} model is ${entry.health.state} (${entry.health.code ?? ''}): ${entry.health.message ?? ''}`);
        } else if (entry.modelId && entry.modelId !== previous.modelId) {
            this.logger.info(`The ${role} phase runs on ${entry.modelId} (${entry.provider})`);
        }
        if (previous.modelId !== entry.modelId || previous.provider !== entry.provider || previous.health.state !== entry.health.state
            || previous.health.code !== entry.health.code || previous.key !== entry.key) {
            this.onDidChangeEmitter.fire(role);
        }
    }

    protected settingsOf(role: AiRole): CaptionSettings | EmbedderSettings | undefined {
        return role === 'caption' ? this.settings.caption() : role === 'visual' ? this.settings.visual() : this.settings.text();
    }

    protected entryFor(role: AiRole, settings: CaptionSettings | EmbedderSettings | undefined, key: string): Promise<RoleEntry> {
        if (!settings) {
            return Promise.resolve({ key, provider: role === 'visual' ? BUILTIN_VISUAL_PROVIDER : '', modelId: '', health: { state: 'not-configured' } });
        }
        if (role === 'caption') {
            return this.captionEntry(settings as CaptionSettings, key);
        }
        const providers: readonly EmbedderFamily<ImageEmbedder | TextEmbedder>[] = role === 'visual'
            ? this.imageProviders.getContributions() : this.textProviders.getContributions();
        return this.embedderEntry(role, settings as EmbedderSettings, key, providers);
    }

    protected async captionEntry(settings: CaptionSettings, key: string): Promise<RoleEntry> {
        const providers = this.captionerProviders.getContributions();
        const provider = providers.find(each => each.id === settings.provider);
        if (!provider) {
            return unknownProvider('caption', settings.provider, providers, key);
        }
        const health = await provider.validate(settings);
        if (health.state !== 'ready' && health.state !== 'down') {
            return { key, provider: provider.id, modelId: '', health };
        }
        // Valid settings whose endpoint is down still get their captioner: jobs wait for it instead of being dropped.
        const current = this.entries.caption;
        const captioner = current.key === key && current.captioner ? current.captioner : provider.create(settings);
        return {
            key, provider: provider.id, modelId: captioner.modelId, captioner,
            health: health.state === 'down' ? { ...health, retryAt: health.retryAt ?? Date.now() + AI_RECHECK_MS } : health
        };
    }

    protected async embedderEntry<M extends ImageEmbedder | TextEmbedder>(
        role: 'visual' | 'text', settings: EmbedderSettings, key: string, providers: readonly EmbedderFamily<M>[]
    ): Promise<RoleEntry> {
        const provider = providers.find(each => each.id === settings.provider);
        if (!provider) {
            return unknownProvider(role, settings.provider, providers, key);
        }
        if (!settings.modelPath) {
            return invalid(AiProblemCodes.MODEL_PATH_MISSING, role === 'visual'
                ? `The image model provider is ${provider.id} but no model folder is set (imageparser.visual.modelPath or IMAGEPARSER_VISUAL_MODEL).`
                : `The text model provider is ${provider.id} but no model is set (imageparser.text.modelPath or IMAGEPARSER_TEXT_MODEL).`, key, provider.id);
        }
        const health = await provider.validate(settings.modelPath);
        if (health.state !== 'ready') {
            return { key, provider: provider.id, modelId: '', health };
        }
        let info: ModelFolderInfo;
        try {
            info = await provider.inspect(settings.modelPath);
        } catch (error) {
            return invalid(AiProblemCodes.MODEL_UNREADABLE, `The ${role} model at ${settings.modelPath} could not be read: ${messageOf(error)}`, key, provider.id);
        }
        const budget = this.settings.memoryBudgetBytes();
        if (info.bytes + BATCHES[role].bytesPerItem > budget) {
            return invalid(AiProblemCodes.MODEL_TOO_LARGE, `The ${role} model ${info.modelId} needs ${formatBytes(info.bytes)}, more than the models' memory budget `
                + `(${formatBytes(budget)}, imageparser.models.memoryBudgetMB or IMAGEPARSER_MODELS_MEMORY_MB).`, key, provider.id);
        }
        const modelPath = settings.modelPath;
        this.locations.set(info.modelId, modelPath);
        const spec: ModelSpec<M> = {
            id: info.modelId,
            isAvailable: () => fs.existsSync(this.locations.get(info.modelId) ?? modelPath),
            load: () => provider.load(this.locations.get(info.modelId) ?? modelPath),
            unload: model => model.dispose(),
            residentBytes: Math.max(0, info.bytes),
            ...BATCHES[role]
        };
        const active: ActiveModel<M> = {
            role, provider: provider.id, modelId: info.modelId, bytes: Math.max(0, info.bytes),
            managed: this.manager.register(spec),
            health: () => this.health(role)
        };
        return { key, provider: provider.id, modelId: info.modelId, health, active: active as ActiveModel<ImageEmbedder> | ActiveModel<TextEmbedder> };
    }

    protected async statusOf(role: AiRole): Promise<AiModelStatus> {
        const entry = this.entries[role];
        const health = this.health(role);
        const state: ModelState = entry.active ? entry.active.managed.state
            : health.state === 'invalid' ? 'missing' : 'none';
        const base = { role, provider: entry.provider, model: entry.modelId, state, health };
        if (role === 'caption') {
            return base;
        }
        const configured = role === 'visual' ? entry.modelId || VISUAL_DESCRIPTOR_MODEL : entry.modelId || undefined;
        const serving = this.servingModels ? await this.servingModels.serving(role).catch(() => configured) : configured;
        return serving ? { ...base, serving } : base;
    }
}

function checking(): RoleEntry {
    return { key: undefined, provider: '', modelId: '', health: { state: 'down', code: AiProblemCodes.CHECKING, message: 'The settings are being checked.' } };
}

function invalid(code: string, message: string, key: string, provider = ''): RoleEntry {
    return { key, provider, modelId: '', health: { state: 'invalid', code, message } };
}

function unknownProvider(role: AiRole, id: string, providers: readonly { id: string }[], key: string): RoleEntry {
    const known = providers.map(each => each.id).join(', ') || 'none';
    return invalid(AiProblemCodes.UNKNOWN_PROVIDER, `No ${role} provider is called "${id}"; installed: ${known}.`, key, id);
}

function messageOf(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
