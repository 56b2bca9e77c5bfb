import { interfaces } from '@theia/core/shared/inversify';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { ArchiveService } from '../../common/archive-protocol';
import { ArchiveServiceImpl } from '../archive-service-impl';
import { ArchiveChangeServiceImpl } from '../archive-change-service-impl';
import { ArchiveChangeWatcher, PollingArchiveChangeWatcher } from './archive-change-watcher';
import { ArchiveLocation } from './archive-location';
import { ArchiveLocationProvider, PreferenceArchiveLocationProvider } from './archive-location-provider';
import { AiTagRepository, SqliteAiTagRepository } from './ai-tag-repository';
import { ArchiveStore, DefaultArchiveStore } from './archive-store';
import { SqliteAssetDetailsRepository } from './asset-details-repository';
import { AssetRepository, SqliteAssetRepository } from './asset-repository';
import { CommentRepository, SqliteCommentRepository } from './comment-repository';
import { EditJournal, SqliteEditJournal } from './edit-journal';
import { FileVersionRepository, SqliteFileVersionRepository } from './file-version-repository';
import { OcrTextRepository, SqliteOcrTextRepository } from './ocr-text-repository';
import { RatingRepository, SqliteRatingRepository } from './rating-repository';
import { AssetFileRepository, SqliteAssetFileRepository } from './asset-file-repository';
import { SearchIndexRepository, SqliteSearchIndexRepository } from './search-index-repository';
import { SqliteTagRepository, TagRepository } from './tag-repository';
import { SqliteVectorIndexRepository, VectorIndexRepository } from './vector-index-repository';

/** How a container finds its archive. */
export interface ArchiveStoreBindingOptions {
    /**
     * A fixed archive folder (the command-line tool's `--archive`, a test's
     * temporary folder). By default the folder comes from `IMAGEPARSER_HOME`,
     * the `imageparser.archive.location` preference, portable mode or
     * `~/.imageparser`, which needs archive-core's preferences bound.
     */
    readonly location?: ArchiveLocation;
}

/**
 * The archive store and every repository over it, process-wide singletons
 * for the backend, the command-line tool and tests alike; with the store's
 * status service and its change watcher (polled once the backend starts).
 */
export function bindArchiveStore(bind: interfaces.Bind, options: ArchiveStoreBindingOptions = {}): void {
    const location = options.location;
    if (location) {
        bind(ArchiveLocationProvider).toConstantValue({ resolve: async () => location });
    } else {
        bind(PreferenceArchiveLocationProvider).toSelf().inSingletonScope();
        bind(ArchiveLocationProvider).toService(PreferenceArchiveLocationProvider);
    }
    bind(DefaultArchiveStore).toSelf().inSingletonScope();
    bind(ArchiveStore).toService(DefaultArchiveStore);
    bind(BackendApplicationContribution).toService(DefaultArchiveStore);

    bind(SqliteAssetRepository).toSelf().inSingletonScope();
    bind(AssetRepository).toService(SqliteAssetRepository);
    bind(SqliteVectorIndexRepository).toSelf().inSingletonScope();
    bind(VectorIndexRepository).toService(SqliteVectorIndexRepository);
    bind(SqliteTagRepository).toSelf().inSingletonScope();
    bind(TagRepository).toService(SqliteTagRepository);
    bind(SqliteAiTagRepository).toSelf().inSingletonScope();
    bind(AiTagRepository).toService(SqliteAiTagRepository);
    bind(SqliteRatingRepository).toSelf().inSingletonScope();
    bind(RatingRepository).toService(SqliteRatingRepository);
    bind(SqliteCommentRepository).toSelf().inSingletonScope();
    bind(CommentRepository).toService(SqliteCommentRepository);
    bind(SqliteEditJournal).toSelf().inSingletonScope();
    bind(EditJournal).toService(SqliteEditJournal);
    bind(SqliteFileVersionRepository).toSelf().inSingletonScope();
    bind(FileVersionRepository).toService(SqliteFileVersionRepository);
    bind(SqliteAssetDetailsRepository).toSelf().inSingletonScope();
    bind(SqliteOcrTextRepository).toSelf().inSingletonScope();
    bind(OcrTextRepository).toService(SqliteOcrTextRepository);
    bind(SqliteSearchIndexRepository).toSelf().inSingletonScope();
    bind(SearchIndexRepository).toService(SqliteSearchIndexRepository);
    bind(SqliteAssetFileRepository).toSelf().inSingletonScope();
    bind(AssetFileRepository).toService(SqliteAssetFileRepository);

    bind(ArchiveServiceImpl).toSelf().inSingletonScope();
    bind(ArchiveService).toService(ArchiveServiceImpl);
    bind(PollingArchiveChangeWatcher).toSelf().inSingletonScope();
    bind(ArchiveChangeWatcher).toService(PollingArchiveChangeWatcher);
    bind(BackendApplicationContribution).toService(PollingArchiveChangeWatcher);
    // One per RPC channel: each forwards the watcher's events to its own client.
    bind(ArchiveChangeServiceImpl).toSelf();
}
