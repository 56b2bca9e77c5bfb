import type { ExportOptions, ExportReport, TransferProgress } from '../../common/archive-transfer-protocol';

/** Progress as an exporter or importer reports it (the service adds the operation id). */
export type TransferProgressCallback = (progress: Omit<TransferProgress, 'operationId'>) => void;

export const ArchiveExporter = Symbol('ArchiveExporter');

/**
 * Writes an export file (see `export-format.ts`) of the open archive from
 * one consistent snapshot while the app keeps writing. The file appears
 * under its name only when complete (a temporary file beside it is renamed
 * at the end); an aborted or failed export leaves nothing behind. Throws
 * `TransferErrors.Refused` (`target-exists`, `cancelled`, ...).
 */
export interface ArchiveExporter {
    export(options: ExportOptions, progress: TransferProgressCallback, signal: AbortSignal): Promise<ExportReport>;
}
