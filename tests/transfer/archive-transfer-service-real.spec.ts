import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Container } from '@theia/core/shared/inversify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransferErrorData, TransferErrors, TransferProgress } from '../../extensions/archive-core/src/common/archive-transfer-protocol';
import { ArchiveIngester } from '../../extensions/archive-core/src/node/ingest/archive-ingester';
import { ArchiveStore } from '../../extensions/archive-core/src/node/store/archive-store';
import { createArchiveTestContainer, disposeArchiveTestContainer, makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { bindArchiveExport } from '../../extensions/archive-core/src/node/transfer/archive-export-bindings';
import { bindArchiveImport } from '../../extensions/archive-core/src/node/transfer/archive-import-bindings';
import { ArchiveTransferOperations } from '../../extensions/archive-core/src/node/transfer/archive-transfer-operations';
import { ArchiveTransferServiceImpl } from '../../extensions/archive-core/src/node/transfer/archive-transfer-service-impl';
import { writeNoisePngs } from '../ingest/generated-images';

/**
 * The transfer RPC service over the real exporter and importer and real
 * archives, as a frontend connection uses it: progress to its client,
 * inspect, import with a root mapped, and a cancel that arrives at once
 * leaving no file and an unchanged archive.
 */

const IMAGES = 8;

function archiveContainer(folder: string): Container {
    const container = createArchiveTestContainer(folder, { threads: 1 });
    const bind = container.bind.bind(container);
    bindArchiveExport(bind);
    bindArchiveImport(bind);
    container.bind(ArchiveTransferOperations).toSelf().inSingletonScope();
    return container;
}

function connect(container: Container): { service: ArchiveTransferServiceImpl; progress: TransferProgress[] } {
    const child = container.createChild();
    child.bind(ArchiveTransferServiceImpl).toSelf().inSingletonScope();
    const service = child.get(ArchiveTransferServiceImpl);
    const progress: TransferProgress[] = [];
    service.setClient({ onTransferProgress: p => progress.push(p) });
    return { service, progress };
}

async function refusal(promise: Promise<unknown>): Promise<TransferErrorData> {
    const error = await promise.then(() => undefined, e => e);
    expect(error && TransferErrors.Refused.is(error), String(error)).toBe(true);
    return (error as { data: TransferErrorData }).data;
}

describe('the archive transfer service over the real exporter and importer', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let art: string;
    let copy: string;
    let exports: string;
    let a: Container;
    let b: Container;
    let databaseB: string;

    const hashOf = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

    beforeAll(async () => {
        temp = makeTempFolder('imageparser-transfer-service-');
        art = path.join(temp.folder, '원본', 'art');
        copy = path.join(temp.folder, '사본', 'art');
        exports = path.join(temp.folder, 'exports');
        fs.mkdirSync(exports);
        await writeNoisePngs(art, IMAGES, 96, 5, '그림');
        fs.cpSync(art, copy, { recursive: true });
        a = archiveContainer(path.join(temp.folder, 'archive-a'));
        b = archiveContainer(path.join(temp.folder, 'archive-b'));
        const ingester = a.get<ArchiveIngester>(ArchiveIngester);
        await ingester.finished(await ingester.start(art));
        databaseB = (await b.get<ArchiveStore>(ArchiveStore).open()).database.file;
    }, 120_000);

    afterAll(async () => {
        await Promise.all([a && disposeArchiveTestContainer(a), b && disposeArchiveTestContainer(b)]);
        temp?.remove();
    });

    it('offers the archive\'s folders with their image counts for a folder export, and that export holds their images', async () => {
        const { service } = connect(a);
        expect(await service.exportFolders()).toEqual([{ path: art, assets: IMAGES }]);
        expect(await connect(b).service.exportFolders()).toEqual([]);
        const file = path.join(exports, '폴더.imageparser-export');
        const [folder] = await service.exportFolders();
        expect((await service.exportArchive({ file, scope: { kind: 'folder', path: folder.path } }, 'folder')).assets).toBe(IMAGES);
        fs.rmSync(file);
    }, 60_000);

    it('a cancel that arrives as the operation starts leaves no file, and an import cancelled so changes nothing', async () => {
        const { service } = connect(a);
        const file = path.join(exports, 'cancelled.imageparser-export');
        const exporting = service.exportArchive({ file, scope: { kind: 'archive' } }, 'cancel-export');
        await service.cancel('cancel-export');
        expect((await refusal(exporting)).reason).toBe('cancelled');
        expect(fs.readdirSync(exports)).toEqual([]);

        const whole = path.join(exports, 'whole.imageparser-export');
        await service.exportArchive({ file: whole, scope: { kind: 'archive' } }, 'whole');
        const before = hashOf(databaseB);
        const target = connect(b).service;
        const importing = target.importArchive({ file: whole, rootMap: { [art]: copy } }, 'cancel-import');
        await target.cancel('cancel-import');
        expect((await refusal(importing)).reason).toBe('cancelled');
        expect(hashOf(databaseB)).toBe(before);
        const { database } = await b.get<ArchiveStore>(ArchiveStore).open();
        expect(database.reader.prepare('SELECT count(*) FROM assets').pluck().get()).toBe(0);
        fs.rmSync(whole);
    }, 60_000);

    it('announces the merge (one write no later cancel reaches) before it starts; a cancel sent on that notice still lands, nothing changed', async () => {
        const whole = path.join(exports, 'merge-cancel.imageparser-export');
        await connect(a).service.exportArchive({ file: whole, scope: { kind: 'archive' } }, 'merge-cancel-export');
        const before = hashOf(databaseB);
        const target = connect(b);
        const steps: string[] = [];
        target.service.setClient({
            onTransferProgress: p => {
                steps.push(p.step);
                if (p.step === 'merge' && p.done === 0) {
                    // As a frontend's Cancel arrives: in a later turn of the backend's event loop, not inside the notice.
                    setImmediate(() => target.service.cancel('merge-cancel').catch(() => undefined));
                }
            }
        });
        const importing = target.service.importArchive({ file: whole, rootMap: { [art]: copy } }, 'merge-cancel');
        expect((await refusal(importing)).reason).toBe('cancelled');
        expect(steps).toContain('merge');
        expect(steps.indexOf('check')).toBeLessThan(steps.indexOf('merge'));
        expect(hashOf(databaseB)).toBe(before);
        const { database } = await b.get<ArchiveStore>(ArchiveStore).open();
        expect(database.reader.prepare('SELECT count(*) FROM assets').pluck().get()).toBe(0);
        fs.rmSync(whole);
    }, 60_000);

    it('exports with progress to its client, inspects, and imports with the root mapped to where the copy lies', async () => {
        const source = connect(a);
        const file = path.join(exports, '전부.imageparser-export');
        const exported = await source.service.exportArchive({ file, scope: { kind: 'archive' }, includeMedia: true }, 'export-1');
        expect(exported.assets).toBe(IMAGES);
        expect(source.progress.length).toBeGreaterThan(0);
        expect(source.progress.every(p => p.operationId === 'export-1' && p.done <= p.total)).toBe(true);

        const target = connect(b);
        const inspection = await target.service.inspect(file);
        expect(inspection.assets).toBe(IMAGES);
        expect(inspection.roots).toEqual([{ path: art, assets: IMAGES }]);
        const report = await target.service.importArchive({ file, rootMap: { [art]: copy } }, 'import-1');
        console.log(`export: ${source.progress.length} progress notices; import: ${target.progress.length}; ${report.assetsAdded} assets added`);
        expect(report.assetsAdded).toBe(IMAGES);
        expect(report.filesAdded).toBe(IMAGES);
        expect(target.progress.length).toBeGreaterThan(0);
        const { database } = await b.get<ArchiveStore>(ArchiveStore).open();
        expect(database.reader.prepare('SELECT path FROM roots').pluck().all()).toEqual([copy]);

        const again = await target.service.importArchive({ file, rootMap: { [art]: copy } }, 'import-2');
        expect(again.unchanged).toBe(true);
    }, 60_000);
});
