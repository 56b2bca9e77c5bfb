import * as os from 'os';
import * as path from 'path';
import { inject, injectable, optional, postConstruct } from '@theia/core/shared/inversify';
import { Emitter, Event } from '@theia/core/lib/common/event';
import { PreferenceService } from '@theia/core/lib/common/preferences';
import type { AiRole, CaptionLanguageSetting } from '../../common/ai-protocol';
import {
    BUILTIN_VISUAL_PROVIDER, CAPTION_API_KEY_PREFERENCE, CAPTION_CONCURRENCY_PREFERENCE, CAPTION_ENDPOINT_PREFERENCE, CAPTION_LANGUAGE_PREFERENCE,
    CAPTION_MODEL_PREFERENCE, CAPTION_PROVIDER_PREFERENCE, CAPTION_TIMEOUT_PREFERENCE, MODELS_MEMORY_BUDGET_PREFERENCE, TEXT_INCLUDE_OCR_PREFERENCE,
    TEXT_MODEL_PATH_PREFERENCE, TEXT_PROVIDER_PREFERENCE, VISUAL_MODEL_PATH_PREFERENCE, VISUAL_PROVIDER_PREFERENCE
} from '../../common/ai-preferences';
import {
    DEFAULT_CAPTION_CONCURRENCY, DEFAULT_CAPTION_TIMEOUT_SECONDS, LLAMA_CPP_PROVIDER, NO_TEXT_PROVIDER, OPENAI_COMPATIBLE_PROVIDER, TRANSFORMERS_PROVIDER
} from '../../common/ai-preference-schema';
import { AiSettings, CaptionSettings, EmbedderSettings, TextEmbedderSettings } from './ai-settings';

/** The environment variables that win over the AI preferences (the command-line tool has no preferences). */
export namespace AiSettingsEnv {
    export const CAPTION_PROVIDER = 'IMAGEPARSER_CAPTION_PROVIDER';
    export const CAPTION_ENDPOINT = 'IMAGEPARSER_CAPTION_ENDPOINT';
    export const CAPTION_MODEL = 'IMAGEPARSER_CAPTION_MODEL';
    export const CAPTION_API_KEY = 'IMAGEPARSER_CAPTION_API_KEY';
    export const CAPTION_LANGUAGE = 'IMAGEPARSER_CAPTION_LANGUAGE';
    export const VISUAL_PROVIDER = 'IMAGEPARSER_VISUAL_PROVIDER';
    export const VISUAL_MODEL = 'IMAGEPARSER_VISUAL_MODEL';
    export const TEXT_PROVIDER = 'IMAGEPARSER_TEXT_PROVIDER';
    export const TEXT_MODEL = 'IMAGEPARSER_TEXT_MODEL';
    export const MODELS_MEMORY_MB = 'IMAGEPARSER_MODELS_MEMORY_MB';
}

/** Which role each AI preference belongs to (the memory budget belongs to none: the model manager reads it as it goes). */
const ROLE_OF_PREFERENCE: Record<string, AiRole> = {
    [CAPTION_PROVIDER_PREFERENCE]: 'caption',
    [CAPTION_ENDPOINT_PREFERENCE]: 'caption',
    [CAPTION_MODEL_PREFERENCE]: 'caption',
    [CAPTION_API_KEY_PREFERENCE]: 'caption',
    [CAPTION_LANGUAGE_PREFERENCE]: 'caption',
    [CAPTION_TIMEOUT_PREFERENCE]: 'caption',
    [CAPTION_CONCURRENCY_PREFERENCE]: 'caption',
    [VISUAL_PROVIDER_PREFERENCE]: 'visual',
    [VISUAL_MODEL_PATH_PREFERENCE]: 'visual',
    [TEXT_PROVIDER_PREFERENCE]: 'text',
    [TEXT_MODEL_PATH_PREFERENCE]: 'text',
    [TEXT_INCLUDE_OCR_PREFERENCE]: 'text'
};

const LANGUAGES: readonly CaptionLanguageSetting[] = ['en', 'ko', 'both'];
const MIB = 1024 * 1024;

/**
 * The AI settings from the user's preferences, with the environment
 * variables of {@link AiSettingsEnv} winning over them (the command-line
 * tool has no preference service: there the variables alone count). Model
 * paths are made absolute (`~` is the home folder, a relative path is taken
 * from the working folder). A model path set without a provider picks the
 * family from the path: a `.gguf` file is `llama-cpp`, a folder `transformers`.
 */
@injectable()
export class PreferenceAiSettings implements AiSettings {

    @inject(PreferenceService) @optional()
    protected readonly preferences?: PreferenceService;

    /** The environment read; the process's own unless a test gives another. */
    protected env: NodeJS.ProcessEnv = process.env;

    protected readonly onDidChangeEmitter = new Emitter<AiRole>();
    readonly onDidChange: Event<AiRole> = this.onDidChangeEmitter.event;

    @postConstruct()
    protected init(): void {
        this.preferences?.onPreferenceChanged(change => {
            const role = ROLE_OF_PREFERENCE[change.preferenceName];
            if (role) {
                this.onDidChangeEmitter.fire(role);
            }
        });
        // Until the preferences are read every getter answers the defaults: tell everyone once they are there.
        this.preferences?.ready.then(() => (['caption', 'visual', 'text'] as const).forEach(role => this.onDidChangeEmitter.fire(role)));
    }

    caption(): CaptionSettings | undefined {
        const endpoint = this.string(AiSettingsEnv.CAPTION_ENDPOINT, CAPTION_ENDPOINT_PREFERENCE);
        if (!endpoint) {
            return undefined;
        }
        const language = this.string(AiSettingsEnv.CAPTION_LANGUAGE, CAPTION_LANGUAGE_PREFERENCE) as CaptionLanguageSetting;
        const apiKey = this.string(AiSettingsEnv.CAPTION_API_KEY, CAPTION_API_KEY_PREFERENCE);
        return {
            provider: this.string(AiSettingsEnv.CAPTION_PROVIDER, CAPTION_PROVIDER_PREFERENCE) || OPENAI_COMPATIBLE_PROVIDER,
            endpoint,
            model: this.string(AiSettingsEnv.CAPTION_MODEL, CAPTION_MODEL_PREFERENCE),
            ...(apiKey ? { apiKey } : {}),
            language: LANGUAGES.includes(language) ? language : 'en',
            timeoutMs: Math.round(this.number(CAPTION_TIMEOUT_PREFERENCE, DEFAULT_CAPTION_TIMEOUT_SECONDS, 1) * 1000),
            concurrency: Math.floor(this.number(CAPTION_CONCURRENCY_PREFERENCE, DEFAULT_CAPTION_CONCURRENCY, 1))
        };
    }

    visual(): EmbedderSettings | undefined {
        const modelPath = this.path(AiSettingsEnv.VISUAL_MODEL, VISUAL_MODEL_PATH_PREFERENCE);
        const fromEnv = this.env[AiSettingsEnv.VISUAL_PROVIDER]?.trim();
        // A model given in the environment alone means the transformers family; in the preferences the provider must be chosen.
        const provider = fromEnv || (this.env[AiSettingsEnv.VISUAL_MODEL]?.trim() ? TRANSFORMERS_PROVIDER : this.preference(VISUAL_PROVIDER_PREFERENCE));
        if (!provider || provider === BUILTIN_VISUAL_PROVIDER) {
            return undefined;
        }
        return { provider, modelPath };
    }

    text(): TextEmbedderSettings | undefined {
        const modelPath = this.path(AiSettingsEnv.TEXT_MODEL, TEXT_MODEL_PATH_PREFERENCE);
        const fromEnv = this.env[AiSettingsEnv.TEXT_PROVIDER]?.trim();
        const provider = fromEnv || (this.env[AiSettingsEnv.TEXT_MODEL]?.trim() ? familyOfPath(modelPath) : this.preference(TEXT_PROVIDER_PREFERENCE));
        if (!provider || provider === NO_TEXT_PROVIDER) {
            return undefined;
        }
        return { provider, modelPath, includeOcr: this.preferences?.get<boolean>(TEXT_INCLUDE_OCR_PREFERENCE) === true };
    }

    memoryBudgetBytes(): number {
        const fromEnv = Number(this.env[AiSettingsEnv.MODELS_MEMORY_MB]);
        if (this.env[AiSettingsEnv.MODELS_MEMORY_MB]?.trim() && Number.isFinite(fromEnv) && fromEnv > 0) {
            return Math.floor(fromEnv * MIB);
        }
        const preferred = this.preferences?.get<number>(MODELS_MEMORY_BUDGET_PREFERENCE);
        if (typeof preferred === 'number' && Number.isFinite(preferred) && preferred > 0) {
            return Math.floor(preferred * MIB);
        }
        return Math.floor(os.totalmem() / 2);
    }

    /** The variable when it is set to something, else the preference; trimmed, '' when neither is set. */
    protected string(variable: string, preference: string): string {
        return this.env[variable]?.trim() || this.preference(preference);
    }

    protected preference(name: string): string {
        const value = this.preferences?.get<unknown>(name);
        return typeof value === 'string' ? value.trim() : '';
    }

    protected number(preference: string, fallback: number, minimum: number): number {
        const value = this.preferences?.get<unknown>(preference);
        return typeof value === 'number' && Number.isFinite(value) && value >= minimum ? value : fallback;
    }

    /** An absolute, normalized path; '' when none is set. */
    protected path(variable: string, preference: string): string {
        const given = this.string(variable, preference);
        return given ? absolutePath(given) : '';
    }
}

/** `~` and `~/…` are the home folder; a relative path is taken from the working folder; `..` and doubled separators are resolved. */
export function absolutePath(given: string): string {
    const home = given === '~' || given.startsWith('~/') || given.startsWith('~\\') ? path.join(os.homedir(), given.slice(1)) : given;
    return path.resolve(home);
}

/** The text-embedder family a model path suggests: `llama-cpp` for a `.gguf` file, else `transformers`. */
export function familyOfPath(modelPath: string): string {
    return /\.gguf$/i.test(modelPath) ? LLAMA_CPP_PROVIDER : TRANSFORMERS_PROVIDER;
}
