import * as path from 'path';
import { Container } from '@theia/core/shared/inversify';
import { SearchService } from '../../common/search-protocol';
import { ArchiveIngester } from '../ingest/archive-ingester';
import { createArchiveTestContainer, disposeArchiveTestContainer, makeTempFolder } from './archive-test-container';
import { writeDistinctPngs } from './distinct-images';

/** A real archive of distinct images, ingested, with its backend services. */
export interface DistinctImagesArchive {
    /** The test archive container (`createArchiveTestContainer`) over the archive. */
    readonly backend: Container;
    /** Asset ids in name order, as one big request to the search engine answers them. */
    readonly byName: number[];
    /** Stops the container and removes the temporary folder. */
    dispose(): Promise<void>;
}

/**
 * Writes `count` distinct PNGs (`writeDistinctPngs`) into a temporary
 * folder, ingests them into a fresh archive there and lists their asset
 * ids by name (the search engine answers 1000 at most). Throws, leaving
 * nothing behind, unless every image was indexed.
 */
export async function createDistinctImagesArchive(count: number): Promise<DistinctImagesArchive> {
    const temp = makeTempFolder();
    const backend = createArchiveTestContainer(path.join(temp.folder, 'archive'), { threads: 2 });
    const dispose = async () => {
        await disposeArchiveTestContainer(backend);
        temp.remove();
    };
    try {
        const art = path.join(temp.folder, 'art');
        await writeDistinctPngs(art, count);
        const ingester = backend.get<ArchiveIngester>(ArchiveIngester);
        const run = await ingester.finished(await ingester.start(art));
        if (run.indexed !== count) {
            throw new Error(`Indexed ${run.indexed} of the ${count} images`);
        }
        const { hits } = await backend.get<SearchService>(SearchService).search({ sort: { by: 'name', direction: 'asc' }, offset: 0, limit: count });
        return { backend, byName: hits.map(hit => hit.assetId), dispose };
    } catch (error) {
        await dispose();
        throw error;
    }
}
