import { ContainerModule } from '@theia/core/shared/inversify';
import { CommandContribution } from '@theia/core/lib/common/command';
import { MenuContribution } from '@theia/core/lib/common/menu';
import { KeybindingContribution } from '@theia/core/lib/browser/keybinding';
import { OpenHandler } from '@theia/core/lib/browser/opener-service';
import { WidgetFactory } from '@theia/core/lib/browser/widget-manager';
import { AnnotationModel } from './annotation-model';
import { CompareWidget } from './compare-widget';
import { ViewerContribution } from './viewer-contribution';
import { ViewerOpenHandler } from './viewer-open-handler';
import { ViewerWidget } from './viewer-widget';
import '../../src/browser/style/viewer.css';
import { ViewerFileActions } from './viewer-file-actions';

/**
 * The lightbox, compare view, PSD layer explorer and the metadata, tag,
 * rating and comment panels, over archive-core's annotation, asset-details
 * and media routes. Assets open here through the OpenerService.
 */
export default new ContainerModule(bind => {
    bind(AnnotationModel).toSelf().inSingletonScope();
    bind(ViewerFileActions).toSelf().inSingletonScope();
    bind(ViewerWidget).toSelf();
    bind(WidgetFactory).toDynamicValue(ctx => ({ id: ViewerWidget.ID, createWidget: () => ctx.container.get(ViewerWidget) })).inSingletonScope();
    bind(CompareWidget).toSelf();
    bind(WidgetFactory).toDynamicValue(ctx => ({ id: CompareWidget.ID, createWidget: () => ctx.container.get(CompareWidget) })).inSingletonScope();
    bind(ViewerOpenHandler).toSelf().inSingletonScope();
    bind(OpenHandler).toService(ViewerOpenHandler);
    bind(ViewerContribution).toSelf().inSingletonScope();
    for (const contribution of [CommandContribution, KeybindingContribution, MenuContribution]) {
        bind(contribution).toService(ViewerContribution);
    }
});
