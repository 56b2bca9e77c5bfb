import { inject, injectable } from '@theia/core/shared/inversify';
import { ArchiveStore } from './archive-store';
import { ArchiveExportWriter } from './archive-export-writer';
import { MediaStore } from './media-store';

export const ArchiveExportRepository = Symbol('ArchiveExportRepository');

/**
 * The SQL side of archive export: opens an {@link ArchiveExportWriter} that
 * reads the open archive through its own connection (one read transaction,
 * so one consistent snapshot while the app keeps writing) and writes a new
 * export file.
 */
export interface ArchiveExportRepository {
    /** A writer creating `file` (which must not exist) from the open archive, and the archive's media store. */
    openWriter(file: string, includePaths: boolean): Promise<{ readonly writer: ArchiveExportWriter; readonly media: MediaStore }>;
}

@injectable()
export class SqliteArchiveExportRepository implements ArchiveExportRepository {

    @inject(ArchiveStore)
    protected readonly store: ArchiveStore;

    async openWriter(file: string, includePaths: boolean): Promise<{ readonly writer: ArchiveExportWriter; readonly media: MediaStore }> {
        const { database, media } = await this.store.open();
        // The file SQLite has open: a read-only archive is read from its readable copy.
        const archiveFile = database.writer.name;
        return { writer: new ArchiveExportWriter({ archiveFile, file, includePaths }), media };
    }
}
