import { interfaces } from '@theia/core/shared/inversify';
import { ServiceConnectionProvider } from '@theia/core/lib/browser/messaging/service-connection-provider';
import { AI_SERVICE_PATH, AiService } from '../common/ai-protocol';
import { ANNOTATION_SERVICE_PATH, AnnotationService } from '../common/annotation-protocol';
import { ARCHIVE_CHANGE_SERVICE_PATH, ArchiveChangeService } from '../common/archive-change-protocol';
import { ARCHIVE_SERVICE_PATH, ArchiveService } from '../common/archive-protocol';
import { ARCHIVE_TRANSFER_SERVICE_PATH, ArchiveTransferService } from '../common/archive-transfer-protocol';
import { COLLECTION_SERVICE_PATH, CollectionService } from '../common/collection-protocol';
import { ASSET_DETAILS_SERVICE_PATH, AssetDetailsService } from '../common/asset-details-protocol';
import { FILE_PROBLEM_SERVICE_PATH, FileProblemService } from '../common/file-problem-protocol';
import { INGEST_SERVICE_PATH, IngestService } from '../common/ingest-protocol';
import { PHASE_SERVICE_PATH, PhaseService } from '../common/job-protocol';
import { LOCAL_PATH_SERVICE_PATH, LocalPathService } from '../common/local-path-protocol';
import { SEARCH_SERVICE_PATH, SearchService } from '../common/search-protocol';
import { ArchiveChangeEvents } from './archive-change-events';
import { CollectionChangeEvents } from './collection-change-events';
import { IngestProgressReporter } from './ingest/ingest-progress-reporter';
import { PhaseProgressEvents } from './phase-progress-events';
import { TransferProgressEvents } from './transfer-progress-events';

/**
 * The frontend's proxy of every archive-core RPC service, each bound once
 * here (other packages inject them), with the client objects that receive
 * the backend's notices: {@link ArchiveChangeEvents},
 * {@link IngestProgressReporter}, {@link PhaseProgressEvents},
 * {@link TransferProgressEvents} and {@link CollectionChangeEvents}.
 */
export function bindArchiveServiceProxies(bind: interfaces.Bind): void {
    bindProxy(bind, ArchiveService, ARCHIVE_SERVICE_PATH);
    bind(ArchiveChangeEvents).toSelf().inSingletonScope();
    bindProxy(bind, ArchiveChangeService, ARCHIVE_CHANGE_SERVICE_PATH, ArchiveChangeEvents);
    bindProxy(bind, FileProblemService, FILE_PROBLEM_SERVICE_PATH);
    bind(IngestProgressReporter).toSelf().inSingletonScope();
    bind(IngestService).toDynamicValue(({ container }) => {
        const reporter = container.get(IngestProgressReporter);
        const service = ServiceConnectionProvider.createProxy<IngestService>(container, INGEST_SERVICE_PATH, reporter);
        reporter.ingestService = service;
        return service;
    }).inSingletonScope();
    bind(PhaseProgressEvents).toSelf().inSingletonScope();
    bindProxy(bind, PhaseService, PHASE_SERVICE_PATH, PhaseProgressEvents);
    bindProxy(bind, SearchService, SEARCH_SERVICE_PATH);
    bindProxy(bind, AnnotationService, ANNOTATION_SERVICE_PATH);
    bindProxy(bind, AssetDetailsService, ASSET_DETAILS_SERVICE_PATH);
    bindProxy(bind, LocalPathService, LOCAL_PATH_SERVICE_PATH);
    bindProxy(bind, AiService, AI_SERVICE_PATH);
    bind(TransferProgressEvents).toSelf().inSingletonScope();
    bindProxy(bind, ArchiveTransferService, ARCHIVE_TRANSFER_SERVICE_PATH, TransferProgressEvents);
    bind(CollectionChangeEvents).toSelf().inSingletonScope();
    bindProxy(bind, CollectionService, COLLECTION_SERVICE_PATH, CollectionChangeEvents);
}

/** Binds `id` to one proxy of the backend service at `path`, whose notices go to the `client` bound under that id. */
function bindProxy<T extends object>(bind: interfaces.Bind, id: interfaces.ServiceIdentifier<T>, path: string, client?: interfaces.ServiceIdentifier<object>): void {
    bind(id).toDynamicValue(({ container }) =>
        ServiceConnectionProvider.createProxy<T>(container, path, client ? container.get(client) : undefined)
    ).inSingletonScope();
}
