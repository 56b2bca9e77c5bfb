import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { Container } from '@theia/core/shared/inversify';
import { ILogger } from '@theia/core/lib/common/logger';
import { MockLogger } from '@theia/core/lib/common/test/mock-logger';
import {
    ExportInspection, ExportOptions, ExportReport, ImportOptions, ImportReport, TransferErrorData, TransferErrors, TransferProgress
} from '../../extensions/archive-core/src/common/archive-transfer-protocol';
import { ArchiveExporter, TransferProgressCallback } from '../../extensions/archive-core/src/node/transfer/archive-exporter';
import { ArchiveImporter } from '../../extensions/archive-core/src/node/transfer/archive-importer';
import { ArchiveTransferOperations } from '../../extensions/archive-core/src/node/transfer/archive-transfer-operations';
import { ArchiveTransferServiceImpl } from '../../extensions/archive-core/src/node/transfer/archive-transfer-service-impl';

/**
 * The transfer service's own promises, over an exporter and importer that
 * the test drives step by step (they stand in for the dependencies, not the
 * service): one operation at a time across connections, cancel by id,
 * throttled progress, arguments checked before anything runs.
 */

const FILE = path.join(os.tmpdir(), 'transfer-service-spec.imageparser');

/** An exporter/importer whose work the test releases; it reports progress and honours the signal. */
class SteppedTransfer implements ArchiveExporter, ArchiveImporter {
    calls: Array<ExportOptions | ImportOptions> = [];
    protected release: (() => void) | undefined;
    bursts = 0;

    finish(): void {
        this.release?.();
    }

    async export(options: ExportOptions, progress: TransferProgressCallback, signal: AbortSignal): Promise<ExportReport> {
        this.calls.push(options);
        await this.work(progress, signal);
        return { file: options.file, assets: 3, media: 0, vectors: 0, collections: 0, bytes: 1, tookMs: 1 };
    }

    async inspect(file: string): Promise<ExportInspection> {
        throw TransferErrors.Refused({ reason: 'not-an-export', file });
    }

    async import(options: ImportOptions, progress: TransferProgressCallback, signal: AbortSignal): Promise<ImportReport> {
        this.calls.push(options);
        await this.work(progress, signal);
        return {
            file: options.file, dryRun: !!options.dryRun, assetsAdded: 0, assetsMerged: 0, filesAdded: 0, tagsAdded: 0, ratingsSet: 0,
            commentsAdded: 0, revisionsAdded: 0, captionsAdded: 0, vectorsAdded: 0, mediaAdded: 0, collectionsAdded: 0,
            collectionsMerged: 0, filesFound: 0, filesNotFound: 0, conflicts: [], unchanged: true, tookMs: 1
        };
    }

    protected async work(progress: TransferProgressCallback, signal: AbortSignal): Promise<void> {
        for (let done = 1; done <= this.bursts; done++) {
            progress({ step: 'merge', done, total: this.bursts });
        }
        await new Promise<void>((resolve, reject) => {
            this.release = resolve;
            signal.addEventListener('abort', () => reject(new Error('aborted somewhere deep')));
        });
    }
}

function connection(container: Container): { service: ArchiveTransferServiceImpl; progress: TransferProgress[] } {
    // Each frontend connection gets its own service over the process-wide lock, as the connection module binds it.
    const child = container.createChild();
    child.bind(ArchiveTransferServiceImpl).toSelf().inSingletonScope();
    const service = child.get(ArchiveTransferServiceImpl);
    const progress: TransferProgress[] = [];
    service.setClient({ onTransferProgress: p => progress.push(p) });
    return { service, progress };
}

function setUp(): { container: Container; transfer: SteppedTransfer } {
    const container = new Container();
    const transfer = new SteppedTransfer();
    container.bind(ILogger).to(MockLogger).inSingletonScope();
    container.bind(ArchiveTransferOperations).toSelf().inSingletonScope();
    container.bind(ArchiveExporter).toConstantValue(transfer);
    container.bind(ArchiveImporter).toConstantValue(transfer);
    return { container, transfer };
}

async function refusal(promise: Promise<unknown>): Promise<TransferErrorData> {
    const error = await promise.then(() => undefined, e => e);
    expect(error && TransferErrors.Refused.is(error), String(error)).toBe(true);
    return (error as { data: TransferErrorData }).data;
}

describe('the archive transfer service', () => {

    it('refuses a second export or import as busy while one runs, from any connection, and runs the next once it ended', async () => {
        const { container, transfer } = setUp();
        const first = connection(container);
        const second = connection(container);
        const running = first.service.exportArchive({ file: FILE, scope: { kind: 'archive' } }, 'op-1');
        const busy = await refusal(second.service.importArchive({ file: FILE }, 'op-2'));
        expect(busy.reason).toBe('busy');
        expect(busy.detail).toContain('export');
        expect((await refusal(first.service.exportArchive({ file: FILE, scope: { kind: 'archive' } }, 'op-3'))).reason).toBe('busy');
        transfer.finish();
        expect((await running).assets).toBe(3);
        const next = second.service.importArchive({ file: FILE, dryRun: true }, 'op-2');
        await new Promise(resolve => setTimeout(resolve, 10));
        transfer.finish();
        expect((await next).dryRun).toBe(true);
        expect(transfer.calls).toHaveLength(2);
    });

    it('cancels the operation with that id (another id changes nothing) and reports it as cancelled, after which the archive is free', async () => {
        const { container, transfer } = setUp();
        const { service } = connection(container);
        const running = service.importArchive({ file: FILE, rootMap: { '/old/art': '/new/art' } }, 'op-cancel');
        await service.cancel('some-other-op');
        await new Promise(resolve => setTimeout(resolve, 20));
        expect(container.get(ArchiveTransferOperations).running()?.operationId).toBe('op-cancel');
        await service.cancel('op-cancel');
        const data = await refusal(running);
        expect(data.reason).toBe('cancelled');
        expect(data.file).toBe(FILE);
        expect(container.get(ArchiveTransferOperations).running()).toBeUndefined();
        const again = service.exportArchive({ file: FILE, scope: { kind: 'folder', path: '/art' } }, 'op-cancel');
        await new Promise(resolve => setTimeout(resolve, 10));
        transfer.finish();
        expect((await again).file).toBe(FILE);
    });

    it('tells only the starting connection the progress, a burst thinned out but ending on the last count', async () => {
        const { container, transfer } = setUp();
        transfer.bursts = 5000;
        const starter = connection(container);
        const other = connection(container);
        const running = starter.service.exportArchive({ file: FILE, scope: { kind: 'archive' } }, 'op-progress');
        await new Promise(resolve => setTimeout(resolve, 20));
        transfer.finish();
        await running;
        console.log(`${transfer.bursts} progress callbacks → ${starter.progress.length} notices`);
        expect(starter.progress.length).toBeGreaterThan(0);
        expect(starter.progress.length).toBeLessThan(10);
        expect(starter.progress.every(p => p.operationId === 'op-progress')).toBe(true);
        expect(starter.progress.at(-1)).toEqual({ operationId: 'op-progress', step: 'merge', done: 5000, total: 5000 });
        expect(other.progress).toEqual([]);
    });

    it('refuses malformed requests with a readable message before anything runs', async () => {
        const { container, transfer } = setUp();
        const { service } = connection(container);
        const bad: Array<[() => Promise<unknown>, RegExp]> = [
            [() => service.exportArchive({ file: 'relative.imageparser', scope: { kind: 'archive' } }, 'op'), /absolute path/],
            [() => service.exportArchive({ file: FILE, scope: { kind: 'everything' } } as never, 'op'), /Unknown export scope/],
            [() => service.exportArchive({ file: FILE, scope: { kind: 'collection', collectionId: -1 } }, 'op'), /collection id/],
            [() => service.exportArchive({ file: FILE, scope: { kind: 'assets', assetIds: [] } }, 'op'), /asset ids/],
            [() => service.exportArchive({ file: FILE, scope: { kind: 'archive' }, includeMedia: 'yes' } as never, 'op'), /includeMedia/],
            [() => service.exportArchive({ file: `${FILE}\0x`, scope: { kind: 'archive' } }, 'op'), /not a usable path/],
            [() => service.importArchive({ file: FILE, rootMap: { '/old': 'new' } }, 'op'), /absolute path/],
            [() => service.importArchive({ file: FILE }, '../../x y'), /operation id/],
            [() => service.inspect(42 as never), /must be a path/]
        ];
        for (const [call, message] of bad) {
            await expect(call()).rejects.toThrow(message);
        }
        expect(transfer.calls).toEqual([]);
        expect(container.get(ArchiveTransferOperations).running()).toBeUndefined();
    });

    it('keeps a root named __proto__ as a root in the map it passes on', async () => {
        const { container, transfer } = setUp();
        const { service } = connection(container);
        const rootMap = JSON.parse('{"__proto__": "/new/art", "/old": "/x/../y"}') as Record<string, string>;
        const running = service.importArchive({ file: FILE, rootMap }, 'op-proto');
        await new Promise(resolve => setTimeout(resolve, 10));
        transfer.finish();
        await running;
        const passed = (transfer.calls[0] as ImportOptions).rootMap!;
        expect(Object.keys(passed)).toEqual(['__proto__', '/old']);
        expect(passed['/old']).toBe('/y');
        expect(Object.getPrototypeOf(passed)).toBe(Object.prototype);
    });
});
