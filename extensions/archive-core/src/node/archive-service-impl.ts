import * as path from 'path';
import { inject, injectable, optional } from '@theia/core/shared/inversify';
import { ArchiveErrors, ArchiveService, ArchiveStatus } from '../common/archive-protocol';
import { ArchiveOpenError } from './store/archive-open-error';
import { ArchiveStore, OpenArchive } from './store/archive-store';
import { AssetRepository } from './store/asset-repository';
import { LocalPathPolicy } from './files/local-path-policy';

/** Answers the frontend's archive status questions from the open store. */
@injectable()
export class ArchiveServiceImpl implements ArchiveService {

    @inject(ArchiveStore)
    protected readonly store: ArchiveStore;

    @inject(AssetRepository)
    protected readonly assets: AssetRepository;

    /** Whether the archive's folder is told as its OS path; a container without a policy (tests, tools on this machine) tells it. */
    @inject(LocalPathPolicy) @optional()
    protected readonly localPaths?: LocalPathPolicy;

    async getStatus(): Promise<ArchiveStatus> {
        const { location, database, readOnly } = await this.openStore();
        return {
            location: this.localPaths && !this.localPaths.allowsLocalPaths() ? path.basename(location.folder) || location.folder : location.folder,
            locationSource: location.source,
            schemaVersion: database.schemaVersion,
            assetCount: await this.assets.count(),
            sqliteVersion: database.sqliteVersion(),
            sqliteVecVersion: database.sqliteVecVersion(),
            readOnly
        };
    }

    /** Opens the store, turning an unusable archive file into the error the frontend can explain. */
    protected async openStore(): Promise<OpenArchive> {
        try {
            return await this.store.open();
        } catch (error) {
            if (error instanceof ArchiveOpenError) {
                throw ArchiveErrors.Unavailable({ reason: error.code, file: error.file, detail: error.detail });
            }
            throw error;
        }
    }
}
