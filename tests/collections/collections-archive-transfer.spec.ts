import * as fs from 'fs';
import * as path from 'path';
import { Container } from '@theia/core/shared/inversify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveExporter } from '../../extensions/archive-core/src/node/transfer/archive-exporter';
import { bindArchiveExport } from '../../extensions/archive-core/src/node/transfer/archive-export-bindings';
import { ArchiveImporter } from '../../extensions/archive-core/src/node/transfer/archive-importer';
import { bindArchiveImport } from '../../extensions/archive-core/src/node/transfer/archive-import-bindings';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { writeDistinctPngs } from '../../extensions/archive-core/src/node/test/distinct-images';
import { CollectionsTestArchive, openCollectionsTestArchive } from './collections-test-archive';

const withTransfer = (container: Container) => {
    bindArchiveExport(container.bind.bind(container));
    bindArchiveImport(container.bind.bind(container));
};

/**
 * A smart collection that arrives with an archive import is live in the
 * importing archive: its members are computed there (by its own search over
 * its own assets) and follow its changes.
 */
describe('smart collections arriving with an archive import', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let archiveA: CollectionsTestArchive;
    let archiveB: CollectionsTestArchive;

    beforeAll(async () => {
        temp = makeTempFolder();
        const imagesA = path.join(temp.folder, 'A');
        const imagesB = path.join(temp.folder, '다른 곳');
        await writeDistinctPngs(imagesA, 4, '별');
        fs.mkdirSync(imagesB);
        for (const name of fs.readdirSync(imagesA)) {
            fs.copyFileSync(path.join(imagesA, name), path.join(imagesB, name));
        }
        archiveA = await openCollectionsTestArchive(path.join(temp.folder, 'archive-a'), imagesA, withTransfer);
        archiveB = await openCollectionsTestArchive(path.join(temp.folder, 'archive-b'), imagesB, withTransfer);
    }, 90_000);

    afterAll(async () => {
        await archiveA?.dispose();
        await archiveB?.dispose();
        temp?.remove();
    });

    it('computes the imported smart collection in B, which then follows B\'s ratings', async () => {
        await archiveA.annotations.setRating([archiveA.idOf.get('별-001.png')!], 5);
        const smart = await archiveA.collections.create('smart', '별점 4 이상', { query: { filters: [{ kind: 'rating', min: 4 }], sort: { by: 'name', direction: 'asc' } } });
        expect(smart.count).toBe(1);
        const file = path.join(temp.folder, 'a.ipexport');
        await archiveA.container.get<ArchiveExporter>(ArchiveExporter).export({ scope: { kind: 'archive' }, file, includeMedia: false, includePaths: true }, () => undefined, new AbortController().signal);
        await archiveB.container.get<ArchiveImporter>(ArchiveImporter).import({ file }, () => undefined, new AbortController().signal);

        const smartB = () => archiveB.collections.list().then(list => list.find(collection => collection.uid === smart.uid));
        expect(await smartB()).toBeDefined();
        await expect.poll(async () => archiveB.collections.members((await smartB())!.id)).toEqual([archiveB.idOf.get('별-001.png')]);
        await archiveB.annotations.setRating([archiveB.idOf.get('별-003.png')!], 4);
        await expect.poll(async () => archiveB.collections.members((await smartB())!.id)).toEqual([archiveB.idOf.get('별-001.png'), archiveB.idOf.get('별-003.png')]);
    });
});

/**
 * Collections written by an archive import reach every connected client:
 * the Collections view is told they changed, as for a change made there.
 */
describe('collections arriving with an archive import', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let archiveA: CollectionsTestArchive;
    let archiveC: CollectionsTestArchive;

    beforeAll(async () => {
        temp = makeTempFolder();
        const imagesA = path.join(temp.folder, 'A');
        const imagesC = path.join(temp.folder, 'C');
        await writeDistinctPngs(imagesA, 2, '달');
        fs.cpSync(imagesA, imagesC, { recursive: true });
        archiveA = await openCollectionsTestArchive(path.join(temp.folder, 'archive-a'), imagesA, withTransfer);
        archiveC = await openCollectionsTestArchive(path.join(temp.folder, 'archive-c'), imagesC, withTransfer);
    }, 90_000);

    afterAll(async () => {
        await archiveA?.dispose();
        await archiveC?.dispose();
        temp?.remove();
    });

    it('tells a connected client that collections changed once an import that added collections commits', async () => {
        const manual = await archiveA.collections.create('manual', '받은 모음', { assetIds: [archiveA.idOf.get('달-001.png')!] });
        const file = path.join(temp.folder, 'a.ipexport');
        await archiveA.container.get<ArchiveExporter>(ArchiveExporter).export({ scope: { kind: 'archive' }, file, includeMedia: false, includePaths: true }, () => undefined, new AbortController().signal);
        // The client holds the list C had before the import.
        expect(await archiveC.collections.list()).toEqual([]);
        const importer = archiveC.container.get<ArchiveImporter>(ArchiveImporter);
        const dryRun = await importer.import({ file, dryRun: true }, () => undefined, new AbortController().signal);
        expect(dryRun.collectionsAdded).toBe(1);
        const report = await importer.import({ file }, () => undefined, new AbortController().signal);
        expect(report.collectionsAdded).toBe(1);
        await expect.poll(() => archiveC.notices()).toBeGreaterThan(0);
        console.log(`collections notices after a dry run and an import adding ${report.collectionsAdded} collection: ${archiveC.notices()}`);
        const listed = await archiveC.collections.list();
        expect(listed.map(collection => collection.uid)).toEqual([manual.uid]);
    });
});
