import type { ExportInspection, ImportOptions, ImportReport } from '../../common/archive-transfer-protocol';
import type { TransferProgressCallback } from './archive-exporter';

export const ArchiveImporter = Symbol('ArchiveImporter');

/**
 * Reads export files (see `export-format.ts`) into the open archive, merged
 * by content hash. Every check runs before anything is written; the merge
 * is one transaction and media files are moved in after it commits, so a
 * refused, failed or aborted import changes nothing. Throws
 * `TransferErrors.Refused` with the reason.
 */
export interface ArchiveImporter {
    /** Reads the manifest and checks the whole file as an import would, writing nothing. */
    inspect(file: string): Promise<ExportInspection>;
    import(options: ImportOptions, progress: TransferProgressCallback, signal: AbortSignal): Promise<ImportReport>;
}
