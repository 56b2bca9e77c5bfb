import { interfaces } from '@theia/core/shared/inversify';
import { AssetMediaService, DefaultAssetMediaService } from './asset-media-service';

/** The service the media routes resolve asset ids to files through (its repository is the store's). */
export function bindAssetMedia(bind: interfaces.Bind): void {
    bind(DefaultAssetMediaService).toSelf().inSingletonScope();
    bind(AssetMediaService).toService(DefaultAssetMediaService);
}
