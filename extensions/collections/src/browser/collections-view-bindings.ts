import { interfaces } from '@theia/core/shared/inversify';
import { bindViewContribution, FrontendApplicationContribution, WidgetFactory } from '@theia/core/lib/browser';
import { SearchFilterContribution } from '@imageparser/search-view/lib/browser/search-filter-contribution';
import { CollectionAddToMenu } from './collection-add-to-menu';
import { CollectionDrops } from './collection-drops';
import { CollectionFilterContribution } from './collection-filter-contribution';
import { CollectionNameDialog } from './collection-name-dialog';
import { CollectionResultsActions } from './collection-results-actions';
import { CollectionUndo } from './collection-undo';
import { CollectionsModel } from './collections-model';
import { CollectionsViewContribution } from './collections-view-contribution';
import { CollectionsWidget } from './collections-widget';

/**
 * The Collections view (its model, drops, undo, commands and menus), the
 * reorder of a manual collection by dragging results, and the collection
 * filter's panel half, bound as any third-party filter is. The
 * `CollectionService` proxy comes from archive-core's proxies.
 */
export function bindCollectionsView(bind: interfaces.Bind): void {
    bind(CollectionUndo).toSelf().inSingletonScope();
    bind(CollectionsModel).toSelf().inSingletonScope();
    bind(CollectionDrops).toSelf().inSingletonScope();
    bind(CollectionNameDialog).toSelf().inSingletonScope();
    bind(CollectionsWidget).toSelf();
    bind(WidgetFactory).toDynamicValue(ctx => ({ id: CollectionsWidget.ID, createWidget: () => ctx.container.get(CollectionsWidget) })).inSingletonScope();
    bindViewContribution(bind, CollectionsViewContribution);
    bind(FrontendApplicationContribution).toService(CollectionsViewContribution);
    bind(CollectionResultsActions).toSelf().inSingletonScope();
    bind(FrontendApplicationContribution).toService(CollectionResultsActions);
    bind(CollectionAddToMenu).toSelf().inSingletonScope();
    bind(FrontendApplicationContribution).toService(CollectionAddToMenu);
    bind(CollectionFilterContribution).toSelf().inSingletonScope();
    bind(SearchFilterContribution).toService(CollectionFilterContribution);
}
