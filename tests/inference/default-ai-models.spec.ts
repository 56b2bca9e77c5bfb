import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { AddressInfo } from 'net';
import { Container } from '@theia/core/shared/inversify';
import { bindRootContributionProvider } from '@theia/core/lib/common/contribution-provider';
import { ConnectionContainerModule } from '@theia/core/lib/node/messaging/connection-container-module';
import { PreferenceScope, PreferenceService } from '@theia/core/lib/common/preferences';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AI_SERVICE_PATH, AiRole, AiService } from '../../extensions/archive-core/src/common/ai-protocol';
import {
    CAPTION_ENDPOINT_PREFERENCE, CAPTION_MODEL_PREFERENCE, TEXT_MODEL_PATH_PREFERENCE, TEXT_PROVIDER_PREFERENCE, VISUAL_MODEL_PATH_PREFERENCE,
    VISUAL_PROVIDER_PREFERENCE
} from '../../extensions/archive-core/src/common/ai-preferences';
import { AiModels } from '../../extensions/archive-core/src/node/inference/ai-models';
import { DefaultModelManager } from '../../extensions/archive-core/src/node/inference/default-model-manager';
import { ModelManager } from '../../extensions/archive-core/src/node/inference/model-manager';
import { AiSettingsEnv } from '../../extensions/archive-core/src/node/inference/preference-ai-settings';
import type { PhaseContribution, PhaseInput, PhaseModelRequirement, PhaseOutput } from '../../extensions/archive-core/src/node/jobs/phase-contribution';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { connectTestFrontend } from '../../extensions/archive-core/src/node/test/test-frontend-connection';
import { writeNoisePngs } from '../ingest/generated-images';
import { disposeArchiveTestContainer, ingest, phaseContainer, pipelineOf, rows, value } from '../phases/phase-test-archive';
import { writeTestModel } from './ai-test-providers';
import { bindAi, Providers } from './ai-test-container';

const ENV_NAMES = Object.values(AiSettingsEnv) as string[];
const MIB = 1024 ** 2;
const IMAGES = 5;

/** A phase that embeds through the model the AI models give its role, as the visual and text phases do (only the model is a test double). */
class EmbeddingPhase implements PhaseContribution {
    readonly needs = ['parse'];
    readonly batchSize = 4;
    aiModels!: AiModels;
    readonly executions: { model: string; assetId: number }[] = [];

    constructor(readonly id: 'visual' | 'text') { }

    protected get active() {
        return this.id === 'visual' ? this.aiModels.visual() : this.aiModels.text();
    }

    get model(): PhaseModelRequirement {
        const active = this.active;
        return { id: active?.modelId ?? '', isAvailable: () => active !== undefined, state: () => active?.managed.state ?? 'missing' };
    }

    isEnabled(): boolean {
        return true;
    }

    health() {
        return this.aiModels.health(this.id);
    }

    async process(batch: readonly PhaseInput[]): Promise<PhaseOutput[]> {
        const active = this.active!;
        const work = async (model: { embedTexts?(texts: readonly string[]): Promise<Float32Array[]>; embed?(texts: readonly string[], purpose: 'document'): Promise<Float32Array[]> }, items: readonly PhaseInput[]) => {
            const texts = items.map(item => item.job.contentHash);
            const vectors = model.embedTexts ? await model.embedTexts(texts) : await model.embed!(texts, 'document');
            return vectors.map((vector, i): PhaseOutput => {
                this.executions.push({ model: items[i].job.model, assetId: items[i].job.assetId });
                return { kind: 'done', result: { dimensions: vector.length } };
            });
        };
        return (active.managed.run as (items: readonly PhaseInput[], w: typeof work, lost: (error: Error) => PhaseOutput) => Promise<PhaseOutput[]>)(
            batch, work, error => ({ kind: 'failed', error: { code: 'lost', message: error.message }, retryable: true }));
    }
}

describe('DefaultAiModels: the providers the settings choose', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let endpoint: http.Server;
    let endpointUrl: string;
    let saved: Record<string, string | undefined>;
    let containers: Container[] = [];
    let archives: Container[] = [];

    beforeAll(async () => {
        temp = makeTempFolder();
        endpoint = http.createServer((request, response) => {
            response.writeHead(request.url === '/v1/models' ? 200 : 404, { 'content-type': 'application/json' });
            response.end(JSON.stringify({ data: [{ id: 'qwen2.5vl:7b' }] }));
        });
        await new Promise<void>(resolve => endpoint.listen(0, '127.0.0.1', resolve));
        endpointUrl = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/v1`;
        await writeNoisePngs(path.join(temp.folder, 'art'), IMAGES, 32, 3);
    }, 60_000);
    afterAll(async () => {
        await new Promise(resolve => endpoint.close(resolve));
        temp.remove();
    });
    beforeEach(() => {
        saved = Object.fromEntries(ENV_NAMES.map(name => [name, process.env[name]]));
        ENV_NAMES.forEach(name => delete process.env[name]);
        process.env[AiSettingsEnv.MODELS_MEMORY_MB] = '4096';
    });
    afterEach(async () => {
        for (const container of archives) {
            await disposeArchiveTestContainer(container);
        }
        for (const container of containers) {
            await container.get<ModelManager>(ModelManager).dispose();
        }
        containers = [];
        archives = [];
        for (const [name, value] of Object.entries(saved)) {
            if (value === undefined) {
                delete process.env[name];
            } else {
                process.env[name] = value;
            }
        }
    });

    async function aiContainer(): Promise<{ container: Container; models: AiModels; preferences: PreferenceService; providers: Providers }> {
        const container = new Container();
        bindRootContributionProvider(container, ConnectionContainerModule);
        const providers = bindAi(container);
        containers.push(container);
        const preferences = container.get<PreferenceService>(PreferenceService);
        await preferences.ready;
        const models = container.get<AiModels>(AiModels);
        await models.refresh();
        return { container, models, preferences, providers };
    }

    it('picks the provider the settings name, inspects the model before loading it and registers it with its size', async () => {
        const folder = writeTestModel(path.join(temp.folder, 'models/siglip2'), 'siglip2', 600 * MIB);
        const { container, models, preferences, providers } = await aiContainer();
        expect(models.visual()).toBeUndefined();
        expect(models.health('visual')).toEqual({ state: 'not-configured' });

        await preferences.set(VISUAL_PROVIDER_PREFERENCE, 'transformers', PreferenceScope.Session);
        await preferences.set(VISUAL_MODEL_PATH_PREFERENCE, folder, PreferenceScope.Session);
        await models.refresh();
        const visual = models.visual()!;
        expect(visual).toMatchObject({ role: 'visual', provider: 'transformers', modelId: 'transformers/siglip2', bytes: 600 * MIB });
        expect(new Set(providers.transformers.inspected)).toEqual(new Set([folder]));
        expect(providers.transformers.loads).toEqual([]);
        expect(container.get<ModelManager>(ModelManager).state('transformers/siglip2')).toBe('unloaded');

        // Another family of the same point, named in the environment.
        process.env[AiSettingsEnv.VISUAL_PROVIDER] = 'stripes';
        await models.refresh();
        expect(models.visual()).toMatchObject({ provider: 'stripes', modelId: 'stripes/siglip2' });
        const vectors = await models.visual()!.managed.run(['red'], (model, texts) => model.embedTexts(texts), () => new Float32Array());
        expect(vectors[0]).toHaveLength(8);
        expect(providers.stripes.loads).toEqual([folder]);
        expect(providers.transformers.loads).toEqual([]);
        // Its weights were claimed from the models' memory while it worked.
        expect(container.get(DefaultModelManager).memory.peakBytes).toBeGreaterThanOrEqual(600 * MIB);
    });

    it('answers a clear message with a code for each wrong setting, over the AI service too', async () => {
        const { container, models } = await aiContainer();
        const service = connectTestFrontend(container).proxy<AiService>(AI_SERVICE_PATH);
        const visualProblem = async () => {
            await models.refresh();
            return models.health('visual');
        };

        process.env[AiSettingsEnv.VISUAL_PROVIDER] = 'clip-gpu';
        process.env[AiSettingsEnv.VISUAL_MODEL] = path.join(temp.folder, 'models/clip');
        expect(await visualProblem()).toMatchObject({ state: 'invalid', code: 'unknown-provider', message: expect.stringMatching(/"clip-gpu".*installed: transformers, stripes/) });

        delete process.env[AiSettingsEnv.VISUAL_MODEL];
        process.env[AiSettingsEnv.VISUAL_PROVIDER] = 'transformers';
        expect(await visualProblem()).toMatchObject({ state: 'invalid', code: 'model-path-missing', message: expect.stringContaining('IMAGEPARSER_VISUAL_MODEL') });

        const missing = path.join(temp.folder, 'models/not-there');
        process.env[AiSettingsEnv.VISUAL_MODEL] = missing;
        expect(await visualProblem()).toMatchObject({ state: 'invalid', code: 'folder-missing', message: expect.stringContaining(missing) });

        const empty = path.join(temp.folder, 'models/empty');
        writeTestModel(empty, 'x', 1);
        fs.rmSync(path.join(empty, 'model.json'));
        process.env[AiSettingsEnv.VISUAL_MODEL] = empty;
        expect(await visualProblem()).toMatchObject({ state: 'invalid', code: 'file-missing', message: expect.stringContaining(empty) });

        process.env[AiSettingsEnv.VISUAL_MODEL] = writeTestModel(path.join(temp.folder, 'models/huge'), 'huge', 5000 * MIB);
        expect(await visualProblem()).toMatchObject({ state: 'invalid', code: 'model-too-large', message: expect.stringMatching(/needs 4.9 GiB.*budget \(4 GiB/) });
        expect(models.visual()).toBeUndefined();

        process.env[AiSettingsEnv.CAPTION_ENDPOINT] = 'not a url';
        await models.refresh();
        expect(models.health('caption')).toMatchObject({ state: 'invalid', code: 'invalid-url' });
        expect(models.captioner()).toBeUndefined();

        // A port nothing listens on: the endpoint is down, jobs wait for it.
        const closed = http.createServer();
        await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve));
        const port = (closed.address() as AddressInfo).port;
        await new Promise(resolve => closed.close(resolve));
        process.env[AiSettingsEnv.CAPTION_ENDPOINT] = `http://127.0.0.1:${port}/v1`;
        const statuses = await service.validate();
        expect(statuses.map(status => status.role)).toEqual(['caption', 'visual', 'text']);
        expect(statuses[0]).toMatchObject({ role: 'caption', provider: 'openai-compatible', health: { state: 'down', code: 'endpoint-down' } });
        expect(statuses[0].health.retryAt).toBeGreaterThan(Date.now());
        expect(statuses[1]).toMatchObject({ role: 'visual', provider: 'transformers', model: '', state: 'missing', health: { state: 'invalid', code: 'model-too-large' } });
        expect(statuses[2]).toMatchObject({ role: 'text', provider: '', model: '', state: 'none', health: { state: 'not-configured' } });
        // V still serves the built-in descriptor.
        expect(statuses[1].serving).toBe('builtin-colour-v1');
    });

    it('validates again on demand: a model folder that appears, an endpoint that comes back', async () => {
        const { container, models } = await aiContainer();
        const service = connectTestFrontend(container).proxy<AiService>(AI_SERVICE_PATH);
        const later = path.join(temp.folder, 'models/later');
        process.env[AiSettingsEnv.TEXT_MODEL] = later;
        process.env[AiSettingsEnv.CAPTION_ENDPOINT] = endpointUrl;
        process.env[AiSettingsEnv.CAPTION_MODEL] = 'qwen2.5vl:7b';
        expect((await service.validate())[2].health).toMatchObject({ state: 'invalid', code: 'folder-missing' });
        writeTestModel(later, 'e5-small', 100 * MIB);
        const [caption, , text] = await service.validate();
        expect(text).toMatchObject({ role: 'text', provider: 'transformers', model: 'transformers/e5-small', state: 'unloaded', health: { state: 'ready' }, serving: 'transformers/e5-small' });
        expect(caption).toMatchObject({ provider: 'openai-compatible', model: expect.stringMatching(/^openai-compatible\/127\.0\.0\.1:\d+\/qwen2\.5vl:7b$/), health: { state: 'ready' } });
        expect(await service.models()).toEqual(await service.validate());
        expect(models.text()?.modelId).toBe('transformers/e5-small');
    });

    it('creates the captioner when an endpoint is set and disposes it when its settings change', async () => {
        const { models, preferences, providers } = await aiContainer();
        const fired: AiRole[] = [];
        models.onDidChange(role => fired.push(role));
        expect(models.captioner()).toBeUndefined();
        await preferences.set(CAPTION_ENDPOINT_PREFERENCE, endpointUrl, PreferenceScope.Session);
        await preferences.set(CAPTION_MODEL_PREFERENCE, 'llava', PreferenceScope.Session);
        await expect.poll(() => models.captioner()?.modelId).toMatch(/\/llava$/);
        const first = providers.captions.created.at(-1)!;
        expect(providers.captions.created.filter(each => !each.disposed)).toEqual([first]);

        await preferences.set(CAPTION_MODEL_PREFERENCE, 'qwen2.5vl:7b', PreferenceScope.Session);
        await expect.poll(() => models.captioner()?.modelId).toMatch(/\/qwen2\.5vl:7b$/);
        expect(first.disposed).toBe(true);
        const second = models.captioner()!;

        await preferences.set(CAPTION_ENDPOINT_PREFERENCE, '', PreferenceScope.Session);
        await expect.poll(() => models.captioner()).toBeUndefined();
        expect((second as typeof first).disposed).toBe(true);
        expect(models.health('caption')).toEqual({ state: 'not-configured' });
        expect(providers.captions.created.every(each => each.disposed)).toBe(true);
        expect(new Set(fired)).toEqual(new Set(['caption']));
    });

    it('re-queues only the phase whose model changed, through the real pipeline, queue and store', async () => {
        const visualPhase = new EmbeddingPhase('visual');
        const textPhase = new EmbeddingPhase('text');
        const folder = path.join(temp.folder, 'archive-switch');
        const container = phaseContainer(folder, [visualPhase, textPhase]);
        const providers = bindAi(container);
        containers.push(container);
        archives.push(container);
        const preferences = container.get<PreferenceService>(PreferenceService);
        await preferences.ready;
        const models = container.get<AiModels>(AiModels);
        visualPhase.aiModels = textPhase.aiModels = models;
        const fired: AiRole[] = [];
        models.onDidChange(role => fired.push(role));

        await preferences.set(VISUAL_PROVIDER_PREFERENCE, 'transformers', PreferenceScope.Session);
        await preferences.set(VISUAL_MODEL_PATH_PREFERENCE, writeTestModel(path.join(temp.folder, 'models/clip-a'), 'clip-a', 300 * MIB), PreferenceScope.Session);
        await preferences.set(TEXT_PROVIDER_PREFERENCE, 'transformers', PreferenceScope.Session);
        await preferences.set(TEXT_MODEL_PATH_PREFERENCE, writeTestModel(path.join(temp.folder, 'models/e5'), 'e5', 100 * MIB), PreferenceScope.Session);
        await models.refresh();
        await ingest(container, path.join(temp.folder, 'art'));
        pipelineOf(container).start();
        const done = (phase: string, model: string) =>
            value<number>(folder, "SELECT count(*) FROM phase_states WHERE phase = ? AND model = ? AND state = 'done'", phase, model);
        await expect.poll(() => done('visual', 'transformers/clip-a') + done('text', 'transformers/e5'), { timeout: 20_000 }).toBe(2 * IMAGES);
        fired.length = 0;

        await preferences.set(VISUAL_MODEL_PATH_PREFERENCE, writeTestModel(path.join(temp.folder, 'models/siglip-b'), 'siglip-b', 400 * MIB), PreferenceScope.Session);
        await expect.poll(() => done('visual', 'transformers/siglip-b'), { timeout: 20_000 }).toBe(IMAGES);
        expect(fired).toEqual(['visual']);
        expect(textPhase.executions).toHaveLength(IMAGES);
        expect(visualPhase.executions.filter(each => each.model === 'transformers/siglip-b')).toHaveLength(IMAGES);
        // The old model's results stay; no text job was queued again.
        expect(done('visual', 'transformers/clip-a')).toBe(IMAGES);
        expect(rows(folder, "SELECT phase, model, count(*) AS n FROM phase_jobs WHERE phase IN ('visual', 'text') GROUP BY phase, model ORDER BY phase, model")).toEqual([
            { phase: 'text', model: 'transformers/e5', n: IMAGES },
            { phase: 'visual', model: 'transformers/siglip-b', n: IMAGES }
        ]);
        expect(providers.transformers.loads.map(each => path.basename(each))).toEqual(['clip-a', 'siglip-b']);
    });
});
