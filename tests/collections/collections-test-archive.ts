import * as fs from 'fs';
import * as path from 'path';
import { Container } from '@theia/core/shared/inversify';
import { COLLECTION_SERVICE_PATH, CollectionClient, CollectionService } from '../../extensions/archive-core/src/common/collection-protocol';
import { AnnotationService } from '../../extensions/archive-core/src/common/annotation-protocol';
import { SearchService } from '../../extensions/archive-core/src/common/search-protocol';
import { ArchiveIngester } from '../../extensions/archive-core/src/node/ingest/archive-ingester';
import { ArchiveStore } from '../../extensions/archive-core/src/node/store/archive-store';
import { ArchiveLocation } from '../../extensions/archive-core/src/node/store/archive-location';
import { PollingArchiveChangeWatcher } from '../../extensions/archive-core/src/node/store/archive-change-watcher';
import { createArchiveTestContainer, disposeArchiveTestContainer } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { connectTestFrontend, TestFrontendConnection } from '../../extensions/archive-core/src/node/test/test-frontend-connection';
import collectionsBackendModule from '../../extensions/collections/src/node/collections-backend-module';

/** A real archive over a folder of images, with the collections package loaded as the app loads it, and a frontend connected over RPC. */
export interface CollectionsTestArchive {
    readonly container: Container;
    readonly connection: TestFrontendConnection;
    /** The collections service as a frontend reaches it (RPC); its client counts change notices. */
    readonly collections: CollectionService;
    readonly annotations: AnnotationService;
    readonly search: SearchService;
    /** How many times the client was told collections changed. */
    notices(): number;
    /** Asset id by file name. */
    readonly idOf: ReadonlyMap<string, number>;
    /** The archive's database file. */
    readonly databaseFile: string;
    dispose(): Promise<void>;
}

/**
 * Ingests `imageFolder` into a fresh archive in `archiveFolder` (every image
 * must be indexed) and starts the change watcher, as the backend does;
 * `configure` binds more into the container first.
 */
export async function openCollectionsTestArchive(archiveFolder: string, imageFolder: string,
    configure: (container: Container) => void = () => undefined): Promise<CollectionsTestArchive> {
    const container = createArchiveTestContainer(archiveFolder, { threads: 1 });
    container.load(collectionsBackendModule);
    configure(container);
    const ingester = container.get<ArchiveIngester>(ArchiveIngester);
    const run = await ingester.finished(await ingester.start(imageFolder));
    const expected = fs.readdirSync(imageFolder).length;
    if (run.indexed !== expected) {
        throw new Error(`Indexed ${run.indexed} of ${expected} images`);
    }
    const { database, location } = await container.get<ArchiveStore>(ArchiveStore).open();
    const idOf = new Map<string, number>();
    for (const row of database.reader.prepare("SELECT path, asset_id FROM files WHERE state = 'indexed'").all() as { path: string; asset_id: number }[]) {
        idOf.set(path.basename(row.path), row.asset_id);
    }
    const watcher = container.get(PollingArchiveChangeWatcher);
    watcher.onStart();
    const connection = connectTestFrontend(container);
    let notices = 0;
    const client: CollectionClient = { onCollectionsChanged: () => notices++ };
    return {
        container,
        connection,
        collections: connection.proxy<CollectionService>(COLLECTION_SERVICE_PATH, client),
        annotations: connection.container.get<AnnotationService>(AnnotationService),
        search: container.get<SearchService>(SearchService),
        notices: () => notices,
        idOf,
        databaseFile: ArchiveLocation.databaseFile(location),
        dispose: async () => {
            watcher.onStop();
            await connection.close();
            await disposeArchiveTestContainer(container);
        }
    };
}
