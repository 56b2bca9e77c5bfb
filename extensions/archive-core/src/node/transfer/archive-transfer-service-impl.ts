import { inject, injectable, named, optional } from '@theia/core/shared/inversify';
import { Disposable } from '@theia/core/lib/common/disposable';
import { ILogger } from '@theia/core/lib/common/logger';
import {
    ArchiveTransferClient, ArchiveTransferService, ExportFolder, ExportInspection, ExportOptions, ExportReport, ImportOptions, ImportReport,
    TransferErrors, TransferProgress
} from '../../common/archive-transfer-protocol';
import { ArchiveExportRepository } from '../store/archive-export-repository';
import { ArchiveExporter, TransferProgressCallback } from './archive-exporter';
import { ArchiveImporter } from './archive-importer';
import { ArchiveTransferOperations } from './archive-transfer-operations';
import { checkExportOptions, checkImportOptions, checkOperationId, checkTransferFile } from './archive-transfer-arguments';

/**
 * The archive transfer RPC service of one frontend connection: checks what
 * its client sends, runs the export or import through the process-wide
 * {@link ArchiveTransferOperations} (one at a time, cancel by id) with the
 * bound {@link ArchiveExporter} / {@link ArchiveImporter}, and tells its
 * client the progress of its own operations, at most once per
 * {@link ArchiveTransferServiceImpl.PROGRESS_INTERVAL_MS} (a new step and
 * the last count always arrive).
 */
@injectable()
export class ArchiveTransferServiceImpl implements ArchiveTransferService, Disposable {

    static readonly PROGRESS_INTERVAL_MS = 200;

    @inject(ArchiveTransferOperations)
    protected readonly operations: ArchiveTransferOperations;

    @inject(ArchiveExporter) @optional()
    protected readonly exporterBound: ArchiveExporter | undefined;

    @inject(ArchiveImporter) @optional()
    protected readonly importerBound: ArchiveImporter | undefined;

    @inject(ArchiveExportRepository) @optional()
    protected readonly exportRepository: ArchiveExportRepository | undefined;

    @inject(ILogger) @named('archive-core:ArchiveTransferService')
    protected readonly logger: ILogger;

    protected client: ArchiveTransferClient | undefined;

    setClient(client: ArchiveTransferClient | undefined): void {
        this.client = client;
    }

    dispose(): void {
        this.client = undefined;
    }

    async exportArchive(options: ExportOptions, operationId: string): Promise<ExportReport> {
        checkOperationId(operationId);
        const checked = checkExportOptions(options);
        return this.operations.run({ operationId, kind: 'export', file: checked.file }, async signal => {
            this.logger.info(`Export ${operationId} to ${checked.file} (${checked.scope.kind})`);
            const progress = this.progressTo(operationId);
            try {
                const report = await this.exporter().export(checked, progress.callback, signal);
                this.logger.info(`Export ${operationId}: ${report.assets} assets, ${report.bytes} bytes in ${report.tookMs} ms`);
                return report;
            } catch (error) {
                throw this.failed('Export', operationId, checked.file, error, signal);
            } finally {
                progress.flush();
            }
        });
    }

    async exportFolders(): Promise<ExportFolder[]> {
        return this.exportRepository ? this.exportRepository.folders() : [];
    }

    async inspect(file: string): Promise<ExportInspection> {
        return this.importer().inspect(checkTransferFile(file));
    }

    async importArchive(options: ImportOptions, operationId: string): Promise<ImportReport> {
        checkOperationId(operationId);
        const checked = checkImportOptions(options);
        return this.operations.run({ operationId, kind: 'import', file: checked.file }, async signal => {
            this.logger.info(`Import ${operationId} of ${checked.file}${checked.dryRun ? ' (dry run)' : ''}`);
            const progress = this.progressTo(operationId);
            try {
                const report = await this.importer().import(checked, progress.callback, signal);
                this.logger.info(`Import ${operationId}: ${report.assetsAdded} assets added, ${report.assetsMerged} merged, ${report.conflicts.length} conflicts in ${report.tookMs} ms`);
                return report;
            } catch (error) {
                throw this.failed('Import', operationId, checked.file, error, signal);
            } finally {
                progress.flush();
            }
        });
    }

    async cancel(operationId: string): Promise<void> {
        checkOperationId(operationId);
        if (this.operations.cancel(operationId)) {
            this.logger.info(`Transfer ${operationId} cancelled`);
        }
    }

    protected exporter(): ArchiveExporter {
        if (!this.exporterBound) {
            throw new Error('This backend has no archive exporter');
        }
        return this.exporterBound;
    }

    protected importer(): ArchiveImporter {
        if (!this.importerBound) {
            throw new Error('This backend has no archive importer');
        }
        return this.importerBound;
    }

    /** An error as the client should see it: an abort reads as `cancelled`, whatever the exporter or importer threw on it. */
    protected failed(what: string, operationId: string, file: string, error: unknown, signal: AbortSignal): unknown {
        if (TransferErrors.Refused.is(error as Error)) {
            this.logger.info(`${what} ${operationId} refused: ${(error as Error).message}`);
            return error;
        }
        if (signal.aborted) {
            return TransferErrors.Refused({ reason: 'cancelled', file });
        }
        this.logger.error(`${what} ${operationId} of ${file} failed`, error);
        return error;
    }

    /** A progress callback that forwards to this connection's client, throttled; `flush` sends the last one held back. */
    protected progressTo(operationId: string): { callback: TransferProgressCallback; flush: () => void } {
        let lastSentAt = 0;
        let lastStep: string | undefined;
        let pending: TransferProgress | undefined;
        let timer: ReturnType<typeof setTimeout> | undefined;
        const send = () => {
            clearTimeout(timer);
            timer = undefined;
            if (pending) {
                const progress = pending;
                pending = undefined;
                lastSentAt = Date.now();
                lastStep = progress.step;
                try {
                    this.client?.onTransferProgress(progress);
                } catch (error) {
                    this.logger.warn(`Transfer ${operationId}: the client did not take a progress notice`, error);
                }
            }
        };
        const callback: TransferProgressCallback = progress => {
            pending = { operationId, step: progress.step, done: progress.done, total: progress.total };
            const wait = ArchiveTransferServiceImpl.PROGRESS_INTERVAL_MS - (Date.now() - lastSentAt);
            if (progress.step !== lastStep || wait <= 0) {
                send();
            } else if (!timer) {
                timer = setTimeout(send, wait);
            }
        };
        return { callback, flush: send };
    }
}
