import { inject, injectable } from '@theia/core/shared/inversify';
import type { CollectionsImportReport } from '../../common/collection-protocol';
import { COLLECTIONS_JSON_FORMAT, COLLECTIONS_JSON_VERSION, CollectionsJson } from '../../common/collections-json';
import { CollectionsJsonRepository } from '../store/collections-json-repository';
import { readCollectionsJson } from './collections-json-reader';
import { SmartCollectionUpdater } from './smart-collection-updater';

/** Names the program in the files it writes. */
export const COLLECTIONS_JSON_GENERATOR = 'ImageParser';

export const CollectionsJsonTransfer = Symbol('CollectionsJsonTransfer');

/**
 * Collections JSON out of and into this archive (schema:
 * `collections-json.ts`, docs/collections-json.md).
 */
export interface CollectionsJsonTransfer {
    /** The given collections (a folder with all it holds; undefined: all) and, when asked, the filter presets. */
    exportJson(ids: readonly number[] | undefined, includePresets: boolean): Promise<CollectionsJson>;
    /**
     * Checks the whole file first (a readable Error and nothing written when it
     * is not collections JSON, of a newer version or malformed), then merges
     * it in one transaction and recomputes the smart collections it added.
     * Importing the same file again adds nothing.
     */
    importJson(json: unknown): Promise<CollectionsImportReport>;
}

@injectable()
export class DefaultCollectionsJsonTransfer implements CollectionsJsonTransfer {

    @inject(CollectionsJsonRepository) protected readonly repository: CollectionsJsonRepository;
    @inject(SmartCollectionUpdater) protected readonly smart: SmartCollectionUpdater;

    async exportJson(ids: readonly number[] | undefined, includePresets: boolean): Promise<CollectionsJson> {
        return {
            format: COLLECTIONS_JSON_FORMAT,
            version: COLLECTIONS_JSON_VERSION,
            exportedAt: new Date().toISOString(),
            generator: COLLECTIONS_JSON_GENERATOR,
            collections: await this.repository.exportCollections(ids),
            presets: includePresets ? await this.repository.exportPresets() : []
        };
    }

    async importJson(json: unknown): Promise<CollectionsImportReport> {
        const file = readCollectionsJson(json);
        const { report, addedSmart } = await this.repository.importCollections(file);
        for (const id of addedSmart) {
            await this.smart.refresh(id);
        }
        return report;
    }
}
