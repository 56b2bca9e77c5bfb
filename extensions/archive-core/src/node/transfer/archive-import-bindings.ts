import { interfaces } from '@theia/core/shared/inversify';
import { ArchiveImportRepository, SqliteArchiveImportRepository } from '../store/archive-import-repository';
import { ArchiveImporter } from './archive-importer';
import { DefaultArchiveImporter } from './default-archive-importer';

/** The archive importer and its repository (needs the archive store bound), for the backend, the command-line tool and tests. */
export function bindArchiveImport(bind: interfaces.Bind): void {
    bind(SqliteArchiveImportRepository).toSelf().inSingletonScope();
    bind(ArchiveImportRepository).toService(SqliteArchiveImportRepository);
    bind(DefaultArchiveImporter).toSelf().inSingletonScope();
    bind(ArchiveImporter).toService(DefaultArchiveImporter);
}
