import { inject, injectable } from '@theia/core/shared/inversify';
import URI from '@theia/core/lib/common/uri';
import { OpenHandler } from '@theia/core/lib/browser/opener-service';
import { AssetUri } from '@imageparser/archive-core/lib/common/asset-uri';
import { SearchViewContribution } from './search-view-contribution';

/** Opens assets in the plain preview when no better opener (the viewer) is installed. */
@injectable()
export class SearchPreviewOpenHandler implements OpenHandler {
    readonly id = 'imageparser-search-preview-opener';

    @inject(SearchViewContribution)
    protected readonly contribution: SearchViewContribution;

    canHandle(uri: URI): number {
        return AssetUri.assetIdOf(uri) !== undefined ? 1 : 0;
    }

    async open(uri: URI): Promise<object | undefined> {
        return this.contribution.showPreview(AssetUri.assetIdOf(uri)!);
    }
}
