import { ContainerModule } from '@theia/core/shared/inversify';
import { ConnectionHandler, RpcConnectionHandler } from '@theia/core/lib/common/messaging';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { CliContribution } from '@theia/core/lib/node/cli';
import { WsRequestValidatorContribution } from '@theia/core/lib/node/ws-request-validators';
import { LocalizationContribution } from '@theia/core/lib/node/i18n/localization-contribution';
import { ARCHIVE_SERVICE_PATH, ArchiveService } from '../common/archive-protocol';
import { bindArchivePreferences } from '../common/archive-preferences';
import { ArchiveServiceImpl } from './archive-service-impl';
import { ANNOTATION_SERVICE_PATH, AnnotationService } from '../common/annotation-protocol';
import { ASSET_DETAILS_SERVICE_PATH, AssetDetailsService } from '../common/asset-details-protocol';
import { bindAnnotations } from './annotation-bindings';
import { AppIconEndpoint } from './http/app-icon-endpoint';
import { MediaEndpoint } from './http/media-endpoint';
import { ViewerMediaEndpoint } from './http/viewer-media-endpoint';
import { RenderPool, WorkerThreadRenderPool } from './media/render-pool';
import { UploadEndpoint } from './http/upload-endpoint';
import { DefaultUploadInbox, UploadInbox } from './upload/upload-inbox';
import { HttpSafetyContribution } from './http/http-safety-contribution';
import { CliHttpSafetyOptions, HttpSafetyOptions } from './http/http-safety-options';
import { ArchiveLocalizationContribution } from './i18n/archive-localization-contribution';
import { ArchiveLocationProvider, PreferenceArchiveLocationProvider } from './store/archive-location-provider';
import { ArchiveStore, DefaultArchiveStore } from './store/archive-store';
import { AssetRepository, SqliteAssetRepository } from './store/asset-repository';
import { SqliteVectorIndexRepository, VectorIndexRepository } from './store/vector-index-repository';
import { INGEST_SERVICE_PATH, IngestClient } from '../common/ingest-protocol';
import { ArchiveIngester, DefaultArchiveIngester } from './ingest/archive-ingester';
import { IngestServiceImpl } from './ingest/ingest-service-impl';
import { ARCHIVE_CHANGE_SERVICE_PATH, ArchiveChangeClient } from '../common/archive-change-protocol';
import { ArchiveChangeServiceImpl } from './archive-change-service-impl';
import { ArchiveChangeWatcher, PollingArchiveChangeWatcher } from './store/archive-change-watcher';
import { FILE_PROBLEM_SERVICE_PATH, FileProblemService } from '../common/file-problem-protocol';
import { FileProblemServiceImpl } from './ingest/file-problem-service-impl';
import { ParsePool, WorkerThreadParsePool } from './ingest/parse-pool';
import { MemoryBudget } from './memory/memory-budget';
import { PreferenceMemoryBudget } from './memory/preference-memory-budget';
import { SEARCH_SERVICE_PATH, SearchService } from '../common/search-protocol';
import { bindSearch } from './search/search-bindings';
import { bindPhasePipeline, bindPhasePipelineLifecycle } from './jobs/phase-bindings';
import { PHASE_SERVICE_PATH, PhaseClient } from '../common/job-protocol';
import { PhaseServiceImpl } from './jobs/phase-service-impl';
import { bindInference } from './inference/inference-bindings';
import { LOCAL_PATH_SERVICE_PATH, LocalPathService } from '../common/local-path-protocol';
import { BackendLocalPathPolicy, LocalPathPolicy } from './files/local-path-policy';
import { LocalPathServiceImpl } from './files/local-path-service-impl';

export default new ContainerModule(bind => {
    bindArchivePreferences(bind);

    bind(PreferenceArchiveLocationProvider).toSelf().inSingletonScope();
    bind(ArchiveLocationProvider).toService(PreferenceArchiveLocationProvider);
    bind(DefaultArchiveStore).toSelf().inSingletonScope();
    bind(ArchiveStore).toService(DefaultArchiveStore);
    bind(BackendApplicationContribution).toService(DefaultArchiveStore);

    bind(SqliteAssetRepository).toSelf().inSingletonScope();
    bind(AssetRepository).toService(SqliteAssetRepository);
    bind(SqliteVectorIndexRepository).toSelf().inSingletonScope();
    bind(VectorIndexRepository).toService(SqliteVectorIndexRepository);

    bind(ArchiveServiceImpl).toSelf().inSingletonScope();
    bind(ArchiveService).toService(ArchiveServiceImpl);
    bind(ConnectionHandler).toDynamicValue(ctx =>
        new RpcConnectionHandler(ARCHIVE_SERVICE_PATH, () => ctx.container.get<ArchiveService>(ArchiveService))
    ).inSingletonScope();

    bind(PollingArchiveChangeWatcher).toSelf().inSingletonScope();
    bind(ArchiveChangeWatcher).toService(PollingArchiveChangeWatcher);
    bind(BackendApplicationContribution).toService(PollingArchiveChangeWatcher);
    bind(ArchiveChangeServiceImpl).toSelf();
    bind(ConnectionHandler).toDynamicValue(ctx =>
        new RpcConnectionHandler<ArchiveChangeClient>(ARCHIVE_CHANGE_SERVICE_PATH, client => {
            const service = ctx.container.get(ArchiveChangeServiceImpl);
            service.setClient(client);
            client.onDidCloseConnection(() => service.dispose());
            return service;
        })
    ).inSingletonScope();

    bind(PreferenceMemoryBudget).toSelf().inSingletonScope();
    bind(MemoryBudget).toService(PreferenceMemoryBudget);
    bind(ParsePool).toDynamicValue(ctx => new WorkerThreadParsePool({
        threads: Number(process.env.IMAGEPARSER_PARSE_THREADS) || undefined,
        budget: ctx.container.get<MemoryBudget>(MemoryBudget)
    })).inSingletonScope();
    bind(DefaultArchiveIngester).toSelf().inSingletonScope();
    bind(ArchiveIngester).toService(DefaultArchiveIngester);
    bind(BackendApplicationContribution).toService(DefaultArchiveIngester);
    bind(IngestServiceImpl).toSelf();
    bind(ConnectionHandler).toDynamicValue(ctx =>
        new RpcConnectionHandler<IngestClient>(INGEST_SERVICE_PATH, client => {
            const service = ctx.container.get(IngestServiceImpl);
            service.setClient(client);
            client.onDidCloseConnection(() => service.dispose());
            return service;
        })
    ).inSingletonScope();

    bindPhasePipeline(bind);
    bindPhasePipelineLifecycle(bind);

    bind(FileProblemServiceImpl).toSelf().inSingletonScope();
    bind(FileProblemService).toService(FileProblemServiceImpl);
    bind(ConnectionHandler).toDynamicValue(ctx =>
        new RpcConnectionHandler(FILE_PROBLEM_SERVICE_PATH, () => ctx.container.get<FileProblemService>(FileProblemService))
    ).inSingletonScope();

    // The one call that answers OS paths, for desktop actions; refused in a team deployment.
    bind(BackendLocalPathPolicy).toSelf().inSingletonScope();
    bind(LocalPathPolicy).toService(BackendLocalPathPolicy);
    bind(LocalPathServiceImpl).toSelf().inSingletonScope();
    bind(LocalPathService).toService(LocalPathServiceImpl);
    bind(ConnectionHandler).toDynamicValue(ctx =>
        new RpcConnectionHandler(LOCAL_PATH_SERVICE_PATH, () => ctx.container.get<LocalPathService>(LocalPathService))
    ).inSingletonScope();

    // The Phases view's RPC service, one per connection, over the PhasePipeline.
    bind(PhaseServiceImpl).toSelf();
    bind(ConnectionHandler).toDynamicValue(ctx =>
        new RpcConnectionHandler<PhaseClient>(PHASE_SERVICE_PATH, client => {
            const service = ctx.container.get(PhaseServiceImpl);
            service.setClient(client);
            client.onDidCloseConnection(() => service.dispose());
            return service;
        })
    ).inSingletonScope();

    bindSearch(bind);
    bindAnnotations(bind);
    bind(ConnectionHandler).toDynamicValue(ctx =>
        new RpcConnectionHandler(ANNOTATION_SERVICE_PATH, () => ctx.container.get<AnnotationService>(AnnotationService))
    ).inSingletonScope();
    bind(ConnectionHandler).toDynamicValue(ctx =>
        new RpcConnectionHandler(ASSET_DETAILS_SERVICE_PATH, () => ctx.container.get<AssetDetailsService>(AssetDetailsService))
    ).inSingletonScope();
    bind(ConnectionHandler).toDynamicValue(ctx =>
        new RpcConnectionHandler(SEARCH_SERVICE_PATH, () => ctx.container.get<SearchService>(SearchService))
    ).inSingletonScope();

    bind(CliHttpSafetyOptions).toSelf().inSingletonScope();
    bind(HttpSafetyOptions).toService(CliHttpSafetyOptions);
    bind(CliContribution).toService(CliHttpSafetyOptions);
    bind(HttpSafetyContribution).toSelf().inSingletonScope();
    bind(BackendApplicationContribution).toService(HttpSafetyContribution);
    bind(WsRequestValidatorContribution).toService(HttpSafetyContribution);

    bind(MediaEndpoint).toSelf().inSingletonScope();
    bind(RenderPool).toDynamicValue(ctx => new WorkerThreadRenderPool({ budget: ctx.container.get<MemoryBudget>(MemoryBudget) })).inSingletonScope();
    bind(ViewerMediaEndpoint).toSelf().inSingletonScope();
    bind(BackendApplicationContribution).toService(ViewerMediaEndpoint);
    bind(BackendApplicationContribution).toService(MediaEndpoint);
    bind(DefaultUploadInbox).toSelf().inSingletonScope();
    bind(UploadInbox).toService(DefaultUploadInbox);
    bind(AppIconEndpoint).toSelf().inSingletonScope();
    bind(BackendApplicationContribution).toService(AppIconEndpoint);
    bind(UploadEndpoint).toSelf().inSingletonScope();
    bind(BackendApplicationContribution).toService(UploadEndpoint);

    bind(ArchiveLocalizationContribution).toSelf().inSingletonScope();
    bind(LocalizationContribution).toService(ArchiveLocalizationContribution);

    // Models and the OCR phase (a PhaseContribution; the phase pipeline binds the contribution provider).
    bindInference(bind);
});
