import { inject, injectable } from '@theia/core/shared/inversify';
import URI from '@theia/core/lib/common/uri';
import { AssetUri } from '../../common/asset-uri';
import { LocalPathErrors, LocalPathService } from '../../common/local-path-protocol';
import { ArchiveStore } from '../store/archive-store';
import { LocalPathRepository } from '../store/local-path-repository';
import { LocalPathPolicy } from './local-path-policy';

/** Resolves asset files to OS paths where {@link LocalPathPolicy} allows it, and refuses everywhere else. */
@injectable()
export class LocalPathServiceImpl implements LocalPathService {

    @inject(LocalPathPolicy)
    protected readonly policy: LocalPathPolicy;

    @inject(ArchiveStore)
    protected readonly store: ArchiveStore;

    async isAvailable(): Promise<boolean> {
        return this.policy.allowsLocalPaths();
    }

    async resolveLocalPath(assetUri: string, fileId?: number): Promise<string | undefined> {
        if (!this.policy.allowsLocalPaths()) {
            throw LocalPathErrors.NotLocal();
        }
        // Both arguments come over RPC: anything but an asset URI and a file id names nothing.
        const assetId = typeof assetUri === 'string' ? AssetUri.assetIdOf(new URI(assetUri)) : undefined;
        if (assetId === undefined || (fileId !== undefined && fileId !== null && !Number.isSafeInteger(fileId))) {
            return undefined;
        }
        const { database } = await this.store.open();
        return LocalPathRepository.filePath(database.reader, assetId, fileId ?? undefined);
    }
}
