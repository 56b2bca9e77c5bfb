import { Container } from '@theia/core/shared/inversify';
import { ILogger } from '@theia/core/lib/common/logger';
import { MockLogger } from '@theia/core/lib/common/test/mock-logger';
import { bindRootContributionProvider } from '@theia/core/lib/common/contribution-provider';
import { ConnectionContainerModule } from '@theia/core/lib/node/messaging/connection-container-module';
import { ArchiveStore } from '../store/archive-store';
import { bindArchiveStore } from '../store/store-bindings';
import { DefaultArchiveIngester } from '../ingest/archive-ingester';
import { bindIngest } from '../ingest/ingest-bindings';
import { ParsePoolOptions } from '../ingest/parse-pool';
import { bindSearch } from '../search/search-bindings';
import { bindAssetMedia } from '../media/asset-media-bindings';
import { bindAnnotations } from '../annotation-bindings';
import { bindCollections } from '../collections/collection-bindings';
import { bindPhasePipeline } from '../jobs/phase-bindings';
import { DefaultPhasePipeline } from '../jobs/default-phase-pipeline';
import { BullmqJobQueue } from '../jobs/bullmq/bullmq-job-queue';
import { bindCurrentUser } from '../user/user-bindings';

export { makeTempFolder } from './temp-folder';

/**
 * A container with archive-core's real store and repositories, status and
 * change services, ingester, file-problem service, search engine, asset
 * media service, collections (repositories, smart collection updater), phase
 * pipeline (not started) and per-connection modules, bound by the same
 * functions as the backend's, over a real archive in `folder`. The HTTP
 * routes, render threads, memory budget, OCR and preferences are left out:
 * a test binds those it needs.
 */
export function createArchiveTestContainer(folder: string, poolOptions: ParsePoolOptions = { threads: 2 }): Container {
    const container = new Container();
    const bind = container.bind.bind(container);
    container.bind(ILogger).to(MockLogger).inSingletonScope();
    bindRootContributionProvider(bind, ConnectionContainerModule);
    bindCurrentUser(bind);
    bindArchiveStore(bind, { location: { folder, source: 'environment' } });
    bindIngest(bind, { parsePool: poolOptions });
    bindSearch(bind);
    bindAssetMedia(bind);
    bindAnnotations(bind);
    bindCollections(bind);
    bindPhasePipeline(bind);
    return container;
}

/** Stops the container's phase workers and parse pool and closes its archive. */
export async function disposeArchiveTestContainer(container: Container): Promise<void> {
    await container.get(DefaultPhasePipeline).stop();
    await container.get(BullmqJobQueue).close();
    await container.get(DefaultArchiveIngester).onStop();
    container.get<ArchiveStore>(ArchiveStore).close();
}
