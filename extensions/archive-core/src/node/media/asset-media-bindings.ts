import { interfaces } from '@theia/core/shared/inversify';
import { AssetFileRepository, SqliteAssetFileRepository } from '../store/asset-file-repository';
import { AssetMediaService, DefaultAssetMediaService } from './asset-media-service';

/** The service the media routes resolve asset ids through, and the repository behind it. */
export function bindAssetMedia(bind: interfaces.Bind): void {
    bind(SqliteAssetFileRepository).toSelf().inSingletonScope();
    bind(AssetFileRepository).toService(SqliteAssetFileRepository);
    bind(DefaultAssetMediaService).toSelf().inSingletonScope();
    bind(AssetMediaService).toService(DefaultAssetMediaService);
}
