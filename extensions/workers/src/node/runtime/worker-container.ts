import { Container, interfaces } from '@theia/core/shared/inversify';
import { bindRootContributionProvider } from '@theia/core/lib/common/contribution-provider';
import { ILogger } from '@theia/core/lib/common/logger';
import { createCliLogger } from '@imageparser/archive-core/lib/node/cli/cli-logger';
import { bindAiModels } from '@imageparser/archive-core/lib/node/inference/ai-bindings';
import { AiImageSource } from '@imageparser/archive-core/lib/node/inference/ai-image';
import { CaptionPhaseContribution } from '@imageparser/archive-core/lib/node/inference/caption/caption-phase-contribution';
import { bindLlamaCppProviders } from '@imageparser/archive-core/lib/node/inference/llama-cpp/llama-cpp-bindings';
import { ModelManager } from '@imageparser/archive-core/lib/node/inference/model-manager';
import { bindOpenAiCaptioner } from '@imageparser/archive-core/lib/node/inference/openai/openai-bindings';
import { TextDocumentSource } from '@imageparser/archive-core/lib/node/inference/text/text-document-source';
import { TextPhaseContribution } from '@imageparser/archive-core/lib/node/inference/text/text-phase-contribution';
import { bindTransformersProviders } from '@imageparser/archive-core/lib/node/inference/transformers/transformers-bindings';
import { VisualPhaseContribution } from '@imageparser/archive-core/lib/node/inference/visual/visual-phase-contribution';
import { PhaseContribution } from '@imageparser/archive-core/lib/node/jobs/phase-contribution';
import { FleetHttpClient, FleetHttpOptions } from './fleet-http-client';
import { RemoteAiImageSource, RemoteTextDocumentSource } from './remote-sources';
import { bindWorkerGovernor } from './worker-governor-bindings';
import { WorkerModelManager } from './worker-model-manager';
import { WorkerRuntime, WorkerRuntimeOptions } from './worker-runtime';

/**
 * The services of a worker machine: archive-core's AI models and providers
 * (chosen by the same settings: the `IMAGEPARSER_CAPTION_*`,
 * `IMAGEPARSER_VISUAL_*` and `IMAGEPARSER_TEXT_*` variables), its caption,
 * visual and text phases unchanged, with their sources read from the
 * server (previews and text by asset id) instead of an archive; the counting
 * model manager, the governor and the runtime over the worker API. No
 * archive, store or SQLite is opened on a worker.
 */
export function bindWorkerRuntime(bind: interfaces.Bind, http: FleetHttpOptions, options: WorkerRuntimeOptions): void {
    bind(FleetHttpClient).toConstantValue(new FleetHttpClient(http));
    bind(WorkerRuntimeOptions).toConstantValue(options);
    bind(WorkerModelManager).toSelf().inSingletonScope();
    bind(ModelManager).toService(WorkerModelManager);
    bindTransformersProviders(bind);
    bindLlamaCppProviders(bind);
    bindOpenAiCaptioner(bind);
    bindAiModels(bind);
    bind(RemoteAiImageSource).toSelf().inSingletonScope();
    bind(AiImageSource).toService(RemoteAiImageSource);
    bind(RemoteTextDocumentSource).toSelf().inSingletonScope();
    bind(TextDocumentSource).toService(RemoteTextDocumentSource);
    bindRootContributionProvider(bind, PhaseContribution);
    for (const phase of [CaptionPhaseContribution, VisualPhaseContribution, TextPhaseContribution]) {
        bind(phase).toSelf().inSingletonScope();
        bind(PhaseContribution).toService(phase);
    }
    bindWorkerGovernor(bind);
    bind(WorkerRuntime).toSelf().inSingletonScope();
}

/** A worker's container for the command line: {@link bindWorkerRuntime} with the command-line logger. */
export function createWorkerContainer(http: FleetHttpOptions, options: WorkerRuntimeOptions): Container {
    const container = new Container();
    container.bind(ILogger).toConstantValue(createCliLogger());
    bindWorkerRuntime(container.bind.bind(container), http, options);
    return container;
}
