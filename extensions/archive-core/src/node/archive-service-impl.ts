import { inject, injectable } from '@theia/core/shared/inversify';
import { ArchiveService, ArchiveStatus } from '../common/archive-protocol';
import { ArchiveStore } from './store/archive-store';
import { AssetRepository } from './store/asset-repository';

/** Answers the frontend's archive status questions from the open store. */
@injectable()
export class ArchiveServiceImpl implements ArchiveService {

    @inject(ArchiveStore)
    protected readonly store: ArchiveStore;

    @inject(AssetRepository)
    protected readonly assets: AssetRepository;

    async getStatus(): Promise<ArchiveStatus> {
        const { location, database } = await this.store.open();
        return {
            location: location.folder,
            locationSource: location.source,
            schemaVersion: database.schemaVersion,
            assetCount: await this.assets.count(),
            sqliteVersion: database.sqliteVersion(),
            sqliteVecVersion: database.sqliteVecVersion()
        };
    }
}
