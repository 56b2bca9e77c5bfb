import * as React from '@theia/core/shared/react';
import { injectable, postConstruct } from '@theia/core/shared/inversify';
import { nls } from '@theia/core/lib/common/nls';
import { codicon } from '@theia/core/lib/browser/widgets/widget';
import { ReactWidget } from '@theia/core/lib/browser/widgets/react-widget';
import { MediaRoutes } from '@imageparser/archive-core/lib/common/media-protocol';
import { AssetLocation } from '@imageparser/archive-core/lib/common/asset-location';
import { enlargeSmallImage } from '@imageparser/archive-core/lib/browser/small-image';
import type { SearchHit } from '@imageparser/archive-core/lib/common/search-protocol';

/**
 * A plain preview of one result (the 1024 px WebP), its path and size, until
 * the viewer extension's lightbox takes over opening results.
 */
@injectable()
export class SearchPreviewWidget extends ReactWidget {

    static readonly ID = 'imageparser-search-preview';

    protected hit: SearchHit | undefined;

    @postConstruct()
    protected init(): void {
        this.id = SearchPreviewWidget.ID;
        this.title.iconClass = codicon('file-media');
        this.title.closable = true;
        this.addClass('imageparser-search-preview');
        this.node.tabIndex = 0;
    }

    showHit(hit: SearchHit): void {
        this.hit = hit;
        this.title.label = hit.name;
        this.title.caption = AssetLocation.display(hit.location);
        this.update();
    }

    protected override onActivateRequest(): void {
        this.node.focus();
    }

    protected render(): React.ReactNode {
        const hit = this.hit;
        if (!hit) {
            return undefined;
        }
        return <div className='imageparser-search-preview-content'>
            <img src={MediaRoutes.url('preview', hit.assetId)} alt={hit.name}
                onLoad={event => enlargeSmallImage(event.currentTarget, event.currentTarget.parentElement ?? undefined)} />
            <div className='imageparser-search-preview-caption'>
                <span>{AssetLocation.display(hit.location)}</span>
                <span>{`${hit.kind.toUpperCase()} · ${hit.width} x ${hit.height}`}</span>
                {hit.missing && <span className='imageparser-search-error'>{nls.localize('imageparser/search-view/fileMissing', 'The file is missing on disk.')}</span>}
            </div>
        </div>;
    }
}
