import { ContainerModule } from '@theia/core/shared/inversify';
import { bindViewContribution, FrontendApplicationContribution, WidgetFactory } from '@theia/core/lib/browser';
import { SearchFilterContribution } from '@imageparser/search-view/lib/browser/search-filter-contribution';
import { bindCollectionServiceProxy } from './collection-service-proxy';
import { CollectionDrops } from './collection-drops';
import { CollectionFilterContribution } from './collection-filter-contribution';
import { CollectionNamePrompt } from './collection-name-prompt';
import { CollectionResultsReorder } from './collection-results-reorder';
import { CollectionUndo } from './collection-undo';
import { CollectionsModel } from './collections-model';
import { CollectionsViewContribution } from './collections-view-contribution';
import { CollectionsWidget } from './collections-widget';
import '../../src/browser/style/collections.css';

/**
 * The Collections view in the search side bar, filter presets, the
 * collection search filter's panel half (a `SearchFilterContribution`, as a
 * third party would add one) and the archive export and import commands.
 */
export default new ContainerModule(bind => {
    bindCollectionServiceProxy(bind);
    bind(CollectionUndo).toSelf().inSingletonScope();
    bind(CollectionsModel).toSelf().inSingletonScope();
    bind(CollectionDrops).toSelf().inSingletonScope();
    bind(CollectionNamePrompt).toSelf().inSingletonScope();
    bind(CollectionsWidget).toSelf();
    bind(WidgetFactory).toDynamicValue(ctx => ({ id: CollectionsWidget.ID, createWidget: () => ctx.container.get(CollectionsWidget) })).inSingletonScope();
    bindViewContribution(bind, CollectionsViewContribution);
    bind(FrontendApplicationContribution).toService(CollectionsViewContribution);
    bind(CollectionResultsReorder).toSelf().inSingletonScope();
    bind(FrontendApplicationContribution).toService(CollectionResultsReorder);
    bind(CollectionFilterContribution).toSelf().inSingletonScope();
    bind(SearchFilterContribution).toService(CollectionFilterContribution);
});
