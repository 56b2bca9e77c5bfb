import { ContainerModule } from '@theia/core/shared/inversify';
import { ConnectionHandler, RpcConnectionHandler } from '@theia/core/lib/common/messaging';
import { ARCHIVE_SERVICE_PATH, ArchiveService } from '../common/archive-protocol';
import { bindArchivePreferences } from '../common/archive-preferences';
import { bindJobEnginePreferences } from '../common/job-engine-preferences';
import { ARCHIVE_CHANGE_SERVICE_PATH, ArchiveChangeClient } from '../common/archive-change-protocol';
import { ASSET_DETAILS_SERVICE_PATH, AssetDetailsService } from '../common/asset-details-protocol';
import { FILE_PROBLEM_SERVICE_PATH, FileProblemService } from '../common/file-problem-protocol';
import { PHASE_SERVICE_PATH, PhaseClient } from '../common/job-protocol';
import { LOCAL_PATH_SERVICE_PATH, LocalPathService } from '../common/local-path-protocol';
import { SEARCH_SERVICE_PATH, SearchService } from '../common/search-protocol';
import { bindAiServiceHandler } from './ai-service-bindings';
import { bindAnnotations } from './annotation-bindings';
import { bindCollections } from './collections/collection-bindings';
import { ArchiveChangeServiceImpl } from './archive-change-service-impl';
import { bindLocalPaths } from './files/local-path-bindings';
import { bindHttp } from './http/http-bindings';
import { bindLocalization } from './i18n/i18n-bindings';
import { bindInference } from './inference/inference-bindings';
import { bindIngest } from './ingest/ingest-bindings';
import { bindPhasePipeline } from './jobs/phase-bindings';
import { PhaseServiceImpl } from './jobs/phase-service-impl';
import { bindMedia } from './media/media-bindings';
import { bindMemoryBudget } from './memory/memory-bindings';
import { bindSearch } from './search/search-bindings';
import { bindArchiveStore } from './store/store-bindings';
import { bindArchiveExport } from './transfer/archive-export-bindings';
import { bindArchiveImport } from './transfer/archive-import-bindings';
import { bindArchiveTransferService } from './transfer/transfer-bindings';
import { bindCurrentUser } from './user/user-bindings';

/**
 * archive-core's backend: each area's bindings (the same functions the
 * command-line tool and the tests use) and the RPC handlers of its
 * process-wide services. The services that act for a user (annotations,
 * ingest) are bound per frontend connection by their areas, with their
 * handlers, through `ConnectionContainerModule`s.
 */
export default new ContainerModule(bind => {
    bindArchivePreferences(bind);
    bindJobEnginePreferences(bind);
    bindCurrentUser(bind);
    bindArchiveStore(bind);
    bindMemoryBudget(bind);
    bindIngest(bind);
    bindPhasePipeline(bind);
    bindInference(bind);
    bindSearch(bind);
    bindAnnotations(bind);
    bindCollections(bind);
    bindMedia(bind);
    bindHttp(bind);
    bindLocalization(bind);
    bindLocalPaths(bind);
    bindArchiveExport(bind);
    bindArchiveImport(bind);
    bindArchiveTransferService(bind);

    bind(ConnectionHandler).toDynamicValue(ctx =>
        new RpcConnectionHandler(ARCHIVE_SERVICE_PATH, () => ctx.container.get<ArchiveService>(ArchiveService))
    ).inSingletonScope();
    bind(ConnectionHandler).toDynamicValue(ctx =>
        new RpcConnectionHandler<ArchiveChangeClient>(ARCHIVE_CHANGE_SERVICE_PATH, client => {
            const service = ctx.container.get(ArchiveChangeServiceImpl);
            service.setClient(client);
            client.onDidCloseConnection(() => service.dispose());
            return service;
        })
    ).inSingletonScope();
    bind(ConnectionHandler).toDynamicValue(ctx =>
        new RpcConnectionHandler(FILE_PROBLEM_SERVICE_PATH, () => ctx.container.get<FileProblemService>(FileProblemService))
    ).inSingletonScope();
    bind(ConnectionHandler).toDynamicValue(ctx =>
        new RpcConnectionHandler(LOCAL_PATH_SERVICE_PATH, () => ctx.container.get<LocalPathService>(LocalPathService))
    ).inSingletonScope();
    bind(ConnectionHandler).toDynamicValue(ctx =>
        new RpcConnectionHandler<PhaseClient>(PHASE_SERVICE_PATH, client => {
            const service = ctx.container.get(PhaseServiceImpl);
            service.setClient(client);
            client.onDidCloseConnection(() => service.dispose());
            return service;
        })
    ).inSingletonScope();
    bind(ConnectionHandler).toDynamicValue(ctx =>
        new RpcConnectionHandler(SEARCH_SERVICE_PATH, () => ctx.container.get<SearchService>(SearchService))
    ).inSingletonScope();
    bind(ConnectionHandler).toDynamicValue(ctx =>
        new RpcConnectionHandler(ASSET_DETAILS_SERVICE_PATH, () => ctx.container.get<AssetDetailsService>(AssetDetailsService))
    ).inSingletonScope();
    bindAiServiceHandler(bind);
});
