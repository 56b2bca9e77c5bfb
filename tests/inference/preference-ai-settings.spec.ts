import * as os from 'os';
import * as path from 'path';
import { Container } from '@theia/core/shared/inversify';
import { PreferenceScope, PreferenceService } from '@theia/core/lib/common/preferences';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AiRole } from '../../extensions/archive-core/src/common/ai-protocol';
import * as aiPreferences from '../../extensions/archive-core/src/common/ai-preferences';
import { AiPreferenceSchema, bindAiPreferences } from '../../extensions/archive-core/src/common/ai-preference-schema';
import {
    CAPTION_CONCURRENCY_PREFERENCE, CAPTION_ENDPOINT_PREFERENCE, CAPTION_LANGUAGE_PREFERENCE, CAPTION_MODEL_PREFERENCE, CAPTION_TIMEOUT_PREFERENCE,
    MODELS_MEMORY_BUDGET_PREFERENCE, TEXT_INCLUDE_OCR_PREFERENCE, TEXT_MODEL_PATH_PREFERENCE, TEXT_PROVIDER_PREFERENCE, VISUAL_MODEL_PATH_PREFERENCE,
    VISUAL_PROVIDER_PREFERENCE
} from '../../extensions/archive-core/src/common/ai-preferences';
import { AiSettings } from '../../extensions/archive-core/src/node/inference/ai-settings';
import { AiSettingsEnv, PreferenceAiSettings } from '../../extensions/archive-core/src/node/inference/preference-ai-settings';
import { bindTestPreferences } from './preference-test-service';

const ENV_NAMES = Object.values(AiSettingsEnv) as string[];

/** The AI settings read from Theia's real preference service with the AI schema, and the environment variables that win over them. */
describe('AI settings from preferences and environment variables', () => {
    let saved: Record<string, string | undefined>;

    beforeEach(() => {
        saved = Object.fromEntries(ENV_NAMES.map(name => [name, process.env[name]]));
        ENV_NAMES.forEach(name => delete process.env[name]);
    });
    afterEach(() => {
        for (const [name, value] of Object.entries(saved)) {
            if (value === undefined) {
                delete process.env[name];
            } else {
                process.env[name] = value;
            }
        }
    });

    async function withPreferences(): Promise<{ settings: AiSettings; preferences: PreferenceService }> {
        const container = new Container();
        bindTestPreferences(container.bind.bind(container));
        bindAiPreferences(container.bind.bind(container));
        container.bind(AiSettings).to(PreferenceAiSettings).inSingletonScope();
        const preferences = container.get<PreferenceService>(PreferenceService);
        await preferences.ready;
        return { settings: container.get<AiSettings>(AiSettings), preferences };
    }

    it('has a schema entry for every AI preference name, enums with a description each, and the built-in provider ids', async () => {
        const names = Object.entries(aiPreferences).filter(([constant]) => constant.endsWith('_PREFERENCE')).map(([, name]) => name as string);
        expect(names.length).toBeGreaterThanOrEqual(13);
        expect(Object.keys(AiPreferenceSchema.properties).sort()).toEqual([...names].sort());
        for (const [name, property] of Object.entries(AiPreferenceSchema.properties)) {
            expect(property.markdownDescription ?? property.description, name).toBeTruthy();
            expect(property.default, name).toBeDefined();
            if (property.enum) {
                expect(property.enumDescriptions, name).toHaveLength(property.enum.length);
                expect(property.enum, name).toContain(property.default);
            }
        }
        expect(AiPreferenceSchema.properties[aiPreferences.CAPTION_PROVIDER_PREFERENCE].enum).toEqual(['openai-compatible']);
        expect(AiPreferenceSchema.properties[VISUAL_PROVIDER_PREFERENCE].enum).toEqual(['builtin', 'transformers']);
        expect(AiPreferenceSchema.properties[TEXT_PROVIDER_PREFERENCE].enum).toEqual(['none', 'transformers', 'llama-cpp']);
        // Theia's preference service knows them: an unset one answers its default.
        const { preferences } = await withPreferences();
        expect(preferences.get(VISUAL_PROVIDER_PREFERENCE)).toBe('builtin');
        expect(preferences.get(CAPTION_TIMEOUT_PREFERENCE)).toBe(120);
    });

    it('answers nothing configured by default: no captions, the built-in V, no M, half the machine for the models', async () => {
        const { settings } = await withPreferences();
        expect(settings.caption()).toBeUndefined();
        expect(settings.visual()).toBeUndefined();
        expect(settings.text()).toBeUndefined();
        expect(settings.memoryBudgetBytes()).toBe(Math.floor(os.totalmem() / 2));
    });

    it('reads the preferences, with model paths made absolute and normalized', async () => {
        const { settings, preferences } = await withPreferences();
        await preferences.set(CAPTION_ENDPOINT_PREFERENCE, ' http://127.0.0.1:11434/v1 ', PreferenceScope.Session);
        await preferences.set(CAPTION_MODEL_PREFERENCE, 'qwen2.5vl:7b', PreferenceScope.Session);
        await preferences.set(CAPTION_LANGUAGE_PREFERENCE, 'both', PreferenceScope.Session);
        await preferences.set(CAPTION_TIMEOUT_PREFERENCE, 30, PreferenceScope.Session);
        await preferences.set(CAPTION_CONCURRENCY_PREFERENCE, 4, PreferenceScope.Session);
        await preferences.set(VISUAL_PROVIDER_PREFERENCE, 'transformers', PreferenceScope.Session);
        await preferences.set(VISUAL_MODEL_PATH_PREFERENCE, 'models/../models/siglip2//', PreferenceScope.Session);
        await preferences.set(TEXT_PROVIDER_PREFERENCE, 'llama-cpp', PreferenceScope.Session);
        await preferences.set(TEXT_MODEL_PATH_PREFERENCE, '~/models/e5.gguf', PreferenceScope.Session);
        await preferences.set(TEXT_INCLUDE_OCR_PREFERENCE, true, PreferenceScope.Session);
        await preferences.set(MODELS_MEMORY_BUDGET_PREFERENCE, 6144, PreferenceScope.Session);

        expect(settings.caption()).toEqual({
            provider: 'openai-compatible', endpoint: 'http://127.0.0.1:11434/v1', model: 'qwen2.5vl:7b', language: 'both', timeoutMs: 30_000, concurrency: 4
        });
        expect(settings.visual()).toEqual({ provider: 'transformers', modelPath: path.resolve('models/siglip2') });
        expect(settings.text()).toEqual({ provider: 'llama-cpp', modelPath: path.join(os.homedir(), 'models/e5.gguf'), includeOcr: true });
        expect(settings.memoryBudgetBytes()).toBe(6 * 1024 ** 3);
    });

    it('lets the environment variables win over the preferences', async () => {
        const { settings, preferences } = await withPreferences();
        await preferences.set(CAPTION_ENDPOINT_PREFERENCE, 'http://127.0.0.1:1/v1', PreferenceScope.Session);
        await preferences.set(VISUAL_PROVIDER_PREFERENCE, 'transformers', PreferenceScope.Session);
        await preferences.set(VISUAL_MODEL_PATH_PREFERENCE, '/models/clip', PreferenceScope.Session);
        await preferences.set(MODELS_MEMORY_BUDGET_PREFERENCE, 6144, PreferenceScope.Session);
        process.env[AiSettingsEnv.CAPTION_ENDPOINT] = 'http://10.0.0.2:8080/v1';
        process.env[AiSettingsEnv.CAPTION_MODEL] = 'llava';
        process.env[AiSettingsEnv.CAPTION_LANGUAGE] = 'ko';
        process.env[AiSettingsEnv.CAPTION_API_KEY] = 'secret';
        process.env[AiSettingsEnv.VISUAL_MODEL] = '/models/siglip2';
        process.env[AiSettingsEnv.TEXT_MODEL] = '/models/qwen3-embedding-0.6b-q8_0.GGUF';
        process.env[AiSettingsEnv.MODELS_MEMORY_MB] = '3072';

        expect(settings.caption()).toMatchObject({ endpoint: 'http://10.0.0.2:8080/v1', model: 'llava', language: 'ko', apiKey: 'secret' });
        expect(settings.visual()).toEqual({ provider: 'transformers', modelPath: '/models/siglip2' });
        // A model given alone in the environment names its family by its file.
        expect(settings.text()).toMatchObject({ provider: 'llama-cpp', modelPath: '/models/qwen3-embedding-0.6b-q8_0.GGUF' });
        expect(settings.memoryBudgetBytes()).toBe(3 * 1024 ** 3);

        process.env[AiSettingsEnv.VISUAL_PROVIDER] = 'builtin';
        process.env[AiSettingsEnv.TEXT_PROVIDER] = 'none';
        expect(settings.visual()).toBeUndefined();
        expect(settings.text()).toBeUndefined();
        process.env[AiSettingsEnv.TEXT_PROVIDER] = 'transformers';
        process.env[AiSettingsEnv.TEXT_MODEL] = 'relative/e5';
        expect(settings.text()).toMatchObject({ provider: 'transformers', modelPath: path.resolve('relative/e5') });
    });

    it('runs on the environment alone without a preference service (the command-line tool)', () => {
        const settings = new Container();
        settings.bind(AiSettings).to(PreferenceAiSettings).inSingletonScope();
        const cli = settings.get<AiSettings>(AiSettings);
        expect(cli.caption()).toBeUndefined();
        process.env[AiSettingsEnv.CAPTION_ENDPOINT] = 'http://127.0.0.1:11434/v1';
        process.env[AiSettingsEnv.VISUAL_MODEL] = 'siglip2';
        process.env[AiSettingsEnv.TEXT_MODEL] = '/models/e5';
        expect(cli.caption()).toMatchObject({ provider: 'openai-compatible', endpoint: 'http://127.0.0.1:11434/v1', model: '', language: 'en', timeoutMs: 120_000, concurrency: 1 });
        expect(cli.visual()).toEqual({ provider: 'transformers', modelPath: path.resolve('siglip2') });
        expect(cli.text()).toEqual({ provider: 'transformers', modelPath: '/models/e5', includeOcr: false });
    });

    it('tells which role changed when a preference changes', async () => {
        const { settings, preferences } = await withPreferences();
        const fired: AiRole[] = [];
        settings.onDidChange(role => fired.push(role));
        await preferences.set(VISUAL_MODEL_PATH_PREFERENCE, '/models/siglip2', PreferenceScope.Session);
        await preferences.set(CAPTION_LANGUAGE_PREFERENCE, 'ko', PreferenceScope.Session);
        await preferences.set(TEXT_INCLUDE_OCR_PREFERENCE, true, PreferenceScope.Session);
        await preferences.set(MODELS_MEMORY_BUDGET_PREFERENCE, 2048, PreferenceScope.Session);
        await expect.poll(() => fired).toEqual(['visual', 'caption', 'text']);
    });
});
