import * as http from 'http';
import type { AddressInfo } from 'net';
import { createRequire } from 'module';
import * as path from 'path';
import express from '@theia/core/shared/express';
import { Container } from '@theia/core/shared/inversify';
import { Emitter } from '@theia/core/lib/common/event';
import { ILogger } from '@theia/core/lib/common/logger';
import { MockLogger } from '@theia/core/lib/common/test/mock-logger';
import { bindRootContributionProvider } from '@theia/core/lib/common/contribution-provider';
import { ConnectionContainerModule } from '@theia/core/lib/node/messaging/connection-container-module';
import type { AiRole } from '../../extensions/archive-core/src/common/ai-protocol';
import type { AiSettings, CaptionSettings, EmbedderSettings, TextEmbedderSettings } from '../../extensions/archive-core/src/node/inference/ai-settings';
import type { WorkerRegistry } from '../../extensions/workers/src/node/server/worker-registry';
import type { WorkerTokenService } from '../../extensions/workers/src/node/server/worker-token-service';
import {
    aiImage, archiveStore, assetMediaBindings, embeddedQueue, fleetApiEndpoint, fleetServerBindings, fleetServerOptions, ingestBindings, ingestModule,
    phaseBindings, pipelineModule, previewImageSource, storeBindings, userBindings, workerRegistry, workerTokenService
} from './fleet-compiled';

// archive-core's compiled AI modules (see fleet-compiled.ts: one copy of each module in the test process).
const load = createRequire(__filename);
const inference = (file: string) => load(path.resolve(__dirname, '../../extensions/archive-core/lib/node/inference', file));
const aiBindings = inference('ai-bindings') as typeof import('../../extensions/archive-core/src/node/inference/ai-bindings');
const aiModels = inference('ai-models') as typeof import('../../extensions/archive-core/src/node/inference/ai-models');
const aiSettings = inference('ai-settings') as typeof import('../../extensions/archive-core/src/node/inference/ai-settings');
const modelManager = inference('model-manager') as typeof import('../../extensions/archive-core/src/node/inference/model-manager');
const defaultModelManager = inference('default-model-manager') as typeof import('../../extensions/archive-core/src/node/inference/default-model-manager');
const transformersBindings = inference('transformers/transformers-bindings') as typeof import('../../extensions/archive-core/src/node/inference/transformers/transformers-bindings');
const openAiBindings = inference('openai/openai-bindings') as typeof import('../../extensions/archive-core/src/node/inference/openai/openai-bindings');
const captionBindings = inference('caption/caption-bindings') as typeof import('../../extensions/archive-core/src/node/inference/caption/caption-bindings');
const visualBindings = inference('visual/visual-bindings') as typeof import('../../extensions/archive-core/src/node/inference/visual/visual-bindings');
const textBindings = inference('text/text-bindings') as typeof import('../../extensions/archive-core/src/node/inference/text/text-bindings');

/** The AI settings the server runs with, as a user set them (the app reads preferences; a worker reads the same values from its environment). */
export interface ServerAiValues {
    readonly caption?: CaptionSettings;
    readonly visual?: EmbedderSettings;
    readonly text?: TextEmbedderSettings;
}

class FixedAiSettings implements AiSettings {
    protected readonly emitter = new Emitter<AiRole>();
    readonly onDidChange = this.emitter.event;
    constructor(protected readonly values: ServerAiValues) { }
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
}

/** An archive's server with the real AI phases (caption, visual, text) whose jobs only workers do, and the worker API on a real port. */
export interface AiFleetServer {
    readonly container: Container;
    readonly base: string;
    readonly registry: WorkerRegistry;
    readonly folder: string;
    issueToken(label: string): Promise<string>;
    /** Indexes a folder (parse runs here) and queues the AI phases' jobs. */
    ingest(folder: string): Promise<void>;
    close(): Promise<void>;
}

/**
 * The container an app's backend (or `imageparser serve` with
 * `IMAGEPARSER_LOCAL_PHASES=none`) has for a fleet: archive-core's store,
 * ingester, previews, its caption, visual and text phases on the given AI
 * settings and the fleet server, in this process; its own phase workers are
 * not started, so every AI job is done by a worker over HTTP. `port` 0
 * picks a free one; a restarted server takes its old one again.
 */
export async function startAiFleetServer(folder: string, values: ServerAiValues, heartbeatMs: number, port = 0): Promise<AiFleetServer> {
    const container = new Container();
    const bind = container.bind.bind(container);
    container.bind(ILogger).to(MockLogger).inSingletonScope();
    bindRootContributionProvider(bind, ConnectionContainerModule);
    userBindings.bindCurrentUser(bind);
    storeBindings.bindArchiveStore(bind, { location: { folder, source: 'environment' } });
    ingestBindings.bindIngest(bind, { parsePool: { threads: 1 } });
    assetMediaBindings.bindAssetMedia(bind);
    phaseBindings.bindPhasePipeline(bind);
    container.bind(previewImageSource.PreviewImageSource).toSelf().inSingletonScope();
    container.bind(aiImage.AiImageSource).toService(previewImageSource.PreviewImageSource);
    container.bind(defaultModelManager.DefaultModelManager).toSelf().inSingletonScope();
    container.bind(modelManager.ModelManager).toService(defaultModelManager.DefaultModelManager);
    transformersBindings.bindTransformersProviders(bind);
    openAiBindings.bindOpenAiCaptioner(bind);
    aiBindings.bindAiModels(bind);
    container.rebind(aiSettings.AiSettings).toConstantValue(new FixedAiSettings(values));
    captionBindings.bindCaptionPhase(bind);
    visualBindings.bindVisualPhase(bind);
    textBindings.bindTextPhase(bind);
    const leaseMs = 30_000;
    container.bind(embeddedQueue.EmbeddedJobQueueOptions).toConstantValue({ leaseMs, maxAttempts: 5, backoffBaseMs: 50, backoffMaxMs: 100 });
    container.bind(pipelineModule.PhasePipelineOptions).toConstantValue({ idleMs: 50, reapMs: 200, heartbeatMs: 100 });
    fleetServerBindings.bindFleetServer(bind);
    container.bind(fleetServerOptions.FleetServerOptions).toConstantValue({ leaseMs, heartbeatMs });

    const app = express();
    container.get(fleetApiEndpoint.FleetApiEndpoint).configure(app);
    const server = http.createServer(app);
    await new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve));
    const registry = container.get<WorkerRegistry>(workerRegistry.WorkerRegistry);
    return {
        container, registry, folder,
        base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        issueToken: async label => (await container.get<WorkerTokenService>(workerTokenService.WorkerTokenService).issue(label)).secret,
        ingest: async source => {
            // The models' settings are checked before the sweep, so it queues every AI phase's jobs.
            await container.get<import('../../extensions/archive-core/src/node/inference/ai-models').AiModels>(aiModels.AiModels).refresh();
            const ingester = container.get(ingestModule.ArchiveIngester) as import('../../extensions/archive-core/src/node/ingest/archive-ingester').ArchiveIngester;
            await ingester.finished(await ingester.start(source));
            await container.get(pipelineModule.DefaultPhasePipeline).sweep();
        },
        close: async () => {
            await new Promise<void>(resolve => {
                server.close(() => resolve());
                server.closeAllConnections();
            });
            registry.dispose();
            await container.get(pipelineModule.DefaultPhasePipeline).stop();
            await container.get(ingestModule.DefaultArchiveIngester).onStop();
            container.get<import('../../extensions/archive-core/src/node/store/archive-store').ArchiveStore>(archiveStore.ArchiveStore).close();
        }
    };
}
