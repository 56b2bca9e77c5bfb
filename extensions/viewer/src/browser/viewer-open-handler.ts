import { inject, injectable } from '@theia/core/shared/inversify';
import URI from '@theia/core/lib/common/uri';
import { OpenHandler, OpenerOptions } from '@theia/core/lib/browser/opener-service';
import { ApplicationShell } from '@theia/core/lib/browser/shell/application-shell';
import { WidgetManager } from '@theia/core/lib/browser/widget-manager';
import { AssetOpenerOptions, AssetUri } from '@imageparser/archive-core/lib/common/asset-uri';
import { ViewerWidget } from './viewer-widget';

/** Opens assets (`imageparser-asset:/<id>`) in the lightbox, ahead of search-view's plain preview. */
@injectable()
export class ViewerOpenHandler implements OpenHandler {
    readonly id = 'imageparser-viewer-opener';

    @inject(WidgetManager) protected readonly widgets: WidgetManager;
    @inject(ApplicationShell) protected readonly shell: ApplicationShell;

    canHandle(uri: URI): number {
        return AssetUri.assetIdOf(uri) !== undefined ? 500 : 0;
    }

    async open(uri: URI, options?: OpenerOptions & AssetOpenerOptions): Promise<ViewerWidget> {
        const widget = await this.widgets.getOrCreateWidget<ViewerWidget>(ViewerWidget.ID);
        if (!widget.isAttached) {
            await this.shell.addWidget(widget, { area: 'main' });
        }
        await this.shell.activateWidget(widget.id);
        await widget.openAsset(AssetUri.assetIdOf(uri)!, options?.resultIndex);
        return widget;
    }
}
