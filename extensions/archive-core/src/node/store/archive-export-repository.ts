import { inject, injectable } from '@theia/core/shared/inversify';
import type { ExportFolder } from '../../common/archive-transfer-protocol';
import { ArchiveStore } from './archive-store';
import { ArchiveExportWriter } from './archive-export-writer';
import { prepared } from './database';
import { MediaStore } from './media-store';

export interface OpenedExportWriter {
    readonly writer: ArchiveExportWriter;
    readonly media: MediaStore;
    /** The archive's database file (where it lives, also for a read-only archive read from a copy). */
    readonly archiveFile: string;
}

export const ArchiveExportRepository = Symbol('ArchiveExportRepository');

/**
 * The SQL side of archive export: opens an {@link ArchiveExportWriter} that
 * reads the open archive through its own connection (one read transaction,
 * so one consistent snapshot while the app keeps writing) and writes a new
 * export file.
 */
export interface ArchiveExportRepository {
    /** A writer creating `file` (which must not exist) from the open archive, the archive's media store and its database file. */
    openWriter(file: string, includePaths: boolean): Promise<OpenedExportWriter>;
    /** The archive's root folders that hold images, with how many assets have a file below each, in path order. */
    folders(): Promise<ExportFolder[]>;
}

@injectable()
export class SqliteArchiveExportRepository implements ArchiveExportRepository {

    @inject(ArchiveStore)
    protected readonly store: ArchiveStore;

    async openWriter(file: string, includePaths: boolean): Promise<OpenedExportWriter> {
        const { database, media } = await this.store.open();
        // The file SQLite has open: a read-only archive is read from its readable copy.
        const archiveFile = database.writer.name;
        return { writer: new ArchiveExportWriter({ archiveFile, file, includePaths }), media, archiveFile: database.file };
    }

    async folders(): Promise<ExportFolder[]> {
        const { database } = await this.store.open();
        return prepared(database.reader, `SELECT r.path AS path, count(DISTINCT f.asset_id) AS assets
            FROM roots r JOIN files f ON f.root_id = r.id AND f.asset_id IS NOT NULL
            GROUP BY r.id ORDER BY r.path`).all() as ExportFolder[];
    }
}
