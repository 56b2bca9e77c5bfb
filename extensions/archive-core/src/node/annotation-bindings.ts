import { interfaces } from '@theia/core/shared/inversify';
import { AnnotationService } from '../common/annotation-protocol';
import { AssetDetailsService } from '../common/asset-details-protocol';
import { AnnotationAuthor, AnnotationServiceImpl, OsUserAnnotationAuthor } from './annotation-service-impl';
import { SqliteAssetDetailsRepository } from './store/asset-details-repository';
import { CommentRepository, SqliteCommentRepository } from './store/comment-repository';
import { EditJournal, SqliteEditJournal } from './store/edit-journal';
import { FileVersionRepository, SqliteFileVersionRepository } from './store/file-version-repository';
import { RatingRepository, SqliteRatingRepository } from './store/rating-repository';

/** Ratings, comments, the edit journal, asset details, file versions and the annotation service over them (tags are bound with search). */
export function bindAnnotations(bind: interfaces.Bind): void {
    bind(SqliteRatingRepository).toSelf().inSingletonScope();
    bind(RatingRepository).toService(SqliteRatingRepository);
    bind(SqliteCommentRepository).toSelf().inSingletonScope();
    bind(CommentRepository).toService(SqliteCommentRepository);
    bind(SqliteEditJournal).toSelf().inSingletonScope();
    bind(EditJournal).toService(SqliteEditJournal);
    bind(SqliteFileVersionRepository).toSelf().inSingletonScope();
    bind(FileVersionRepository).toService(SqliteFileVersionRepository);
    bind(SqliteAssetDetailsRepository).toSelf().inSingletonScope();
    bind(AssetDetailsService).toService(SqliteAssetDetailsRepository);
    bind(OsUserAnnotationAuthor).toSelf().inSingletonScope();
    bind(AnnotationAuthor).toService(OsUserAnnotationAuthor);
    bind(AnnotationServiceImpl).toSelf().inSingletonScope();
    bind(AnnotationService).toService(AnnotationServiceImpl);
}
