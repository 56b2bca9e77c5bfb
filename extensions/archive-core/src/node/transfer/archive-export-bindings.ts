import { interfaces } from '@theia/core/shared/inversify';
import { ArchiveExportRepository, SqliteArchiveExportRepository } from '../store/archive-export-repository';
import { ArchiveExporter } from './archive-exporter';
import { DefaultArchiveExporter } from './default-archive-exporter';

/** The archive exporter and its repository (needs the archive store and the search service bound). */
export function bindArchiveExport(bind: interfaces.Bind): void {
    bind(SqliteArchiveExportRepository).toSelf().inSingletonScope();
    bind(ArchiveExportRepository).toService(SqliteArchiveExportRepository);
    bind(DefaultArchiveExporter).toSelf().inSingletonScope();
    bind(ArchiveExporter).toService(DefaultArchiveExporter);
}
