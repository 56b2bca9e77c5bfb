import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Container } from '@theia/core/shared/inversify';
import { ILogger } from '@theia/core/lib/common/logger';
import { MockLogger } from '@theia/core/lib/common/test/mock-logger';
import { ArchiveServiceImpl } from '../archive-service-impl';
import { ArchiveService } from '../../common/archive-protocol';
import { ArchiveLocationProvider } from '../store/archive-location-provider';
import { ArchiveStore, DefaultArchiveStore } from '../store/archive-store';
import { AssetRepository, SqliteAssetRepository } from '../store/asset-repository';
import { SqliteVectorIndexRepository, VectorIndexRepository } from '../store/vector-index-repository';
import { ArchiveIngester, DefaultArchiveIngester } from '../ingest/archive-ingester';
import { ParsePool, ParsePoolOptions, WorkerThreadParsePool } from '../ingest/parse-pool';
import { bindSearch } from '../search/search-bindings';
import { bindAssetMedia } from '../media/asset-media-bindings';
import { FileProblemService } from '../../common/file-problem-protocol';
import { FileProblemServiceImpl } from '../ingest/file-problem-service-impl';
import { bindAnnotations } from '../annotation-bindings';
import { bindPhasePipeline } from '../jobs/phase-bindings';
import { DefaultPhasePipeline } from '../jobs/default-phase-pipeline';

/** A fresh temporary folder; removed by the returned function. */
export function makeTempFolder(prefix = 'imageparser-test-'): { folder: string; remove: () => void } {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    return { folder, remove: () => fs.rmSync(folder, { recursive: true, force: true }) };
}

/**
 * A container with archive-core's real store, repositories, status service,
 * ingester, file-problem service, search engine, asset media service and phase pipeline (not
 * started) over a real archive in `folder`; only the location provider is fixed.
 */
export function createArchiveTestContainer(folder: string, poolOptions: ParsePoolOptions = { threads: 2 }): Container {
    const container = new Container();
    container.bind(ILogger).to(MockLogger).inSingletonScope();
    container.bind(ArchiveLocationProvider).toConstantValue({ resolve: async () => ({ folder, source: 'environment' as const }) });
    container.bind(DefaultArchiveStore).toSelf().inSingletonScope();
    container.bind(ArchiveStore).toService(DefaultArchiveStore);
    container.bind(SqliteAssetRepository).toSelf().inSingletonScope();
    container.bind(AssetRepository).toService(SqliteAssetRepository);
    container.bind(SqliteVectorIndexRepository).toSelf().inSingletonScope();
    container.bind(VectorIndexRepository).toService(SqliteVectorIndexRepository);
    container.bind(ArchiveServiceImpl).toSelf().inSingletonScope();
    container.bind(ArchiveService).toService(ArchiveServiceImpl);
    container.bind(ParsePool).toDynamicValue(() => new WorkerThreadParsePool(poolOptions)).inSingletonScope();
    container.bind(DefaultArchiveIngester).toSelf().inSingletonScope();
    container.bind(ArchiveIngester).toService(DefaultArchiveIngester);
    container.bind(FileProblemServiceImpl).toSelf().inSingletonScope();
    container.bind(FileProblemService).toService(FileProblemServiceImpl);
    bindSearch(container.bind.bind(container));
    bindAssetMedia(container.bind.bind(container));
    bindAnnotations(container.bind.bind(container));
    bindPhasePipeline(container.bind.bind(container));
    return container;
}

/** Stops the container's phase workers and parse pool and closes its archive. */
export async function disposeArchiveTestContainer(container: Container): Promise<void> {
    await container.get(DefaultPhasePipeline).stop();
    await container.get(DefaultArchiveIngester).onStop();
    container.get<ArchiveStore>(ArchiveStore).close();
}
