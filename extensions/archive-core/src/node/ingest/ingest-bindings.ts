import { interfaces } from '@theia/core/shared/inversify';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { ConnectionContainerModule } from '@theia/core/lib/node/messaging/connection-container-module';
import { FileProblemService } from '../../common/file-problem-protocol';
import { INGEST_SERVICE_PATH, IngestClient, IngestService } from '../../common/ingest-protocol';
import { MemoryBudget } from '../memory/memory-budget';
import { ArchiveIngester, DefaultArchiveIngester } from './archive-ingester';
import { FileProblemServiceImpl } from './file-problem-service-impl';
import { IngestServiceImpl } from './ingest-service-impl';
import { ParsePool, ParsePoolOptions, WorkerThreadParsePool } from './parse-pool';

/** The environment variable that sets the backend's parse threads (the number of cores by default). */
export const PARSE_THREADS_ENV = 'IMAGEPARSER_PARSE_THREADS';

/** How a container's ingester parses. */
export interface IngestBindingOptions {
    /**
     * The parse pool's options (the command-line tool's `--threads`, a test's
     * limits). By default the threads come from {@link PARSE_THREADS_ENV}.
     * Either way the pool shares the {@link MemoryBudget} when one is bound.
     */
    readonly parsePool?: ParsePoolOptions;
}

/**
 * The ingest RPC service of each frontend connection, a thin front over the
 * process-wide ingester: it tells its own client the progress of every run,
 * whoever started it. Its upload batches come from the `UploadInbox`
 * bound with the HTTP routes.
 */
export const ingestConnectionModule = ConnectionContainerModule.create(({ bind, bindBackendService }) => {
    bind(IngestServiceImpl).toSelf().inSingletonScope();
    bind(IngestService).toService(IngestServiceImpl);
    bindBackendService<IngestServiceImpl, IngestClient>(INGEST_SERVICE_PATH, IngestServiceImpl, (service, client) => {
        service.setClient(client);
        client.onDidCloseConnection(() => service.dispose());
        return service;
    });
});

/**
 * The ingester with its run queue and parse threads, and the file-problem
 * service over it (process-wide), plus the per-connection ingest service.
 */
export function bindIngest(bind: interfaces.Bind, options: IngestBindingOptions = {}): void {
    bind(ParsePool).toDynamicValue(({ container }) => new WorkerThreadParsePool({
        budget: container.isBound(MemoryBudget) ? container.get<MemoryBudget>(MemoryBudget) : undefined,
        ...(options.parsePool ?? { threads: Number(process.env[PARSE_THREADS_ENV]) || undefined })
    })).inSingletonScope();
    bind(DefaultArchiveIngester).toSelf().inSingletonScope();
    bind(ArchiveIngester).toService(DefaultArchiveIngester);
    bind(BackendApplicationContribution).toService(DefaultArchiveIngester);
    bind(FileProblemServiceImpl).toSelf().inSingletonScope();
    bind(FileProblemService).toService(FileProblemServiceImpl);
    bind(ConnectionContainerModule).toConstantValue(ingestConnectionModule);
}
