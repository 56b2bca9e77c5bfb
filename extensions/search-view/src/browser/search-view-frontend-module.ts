import { ContainerModule } from '@theia/core/shared/inversify';
import { bindRootContributionProvider } from '@theia/core/lib/common/contribution-provider';
import { bindViewContribution, FrontendApplicationContribution, OpenHandler, WidgetFactory } from '@theia/core/lib/browser';
import { builtinFilterContributions } from './builtin-filter-contributions';
import { ImageBrowserLayoutContribution } from './image-browser-layout-contribution';
import { ImageBrowserMenusContribution } from './image-browser-menus-contribution';
import { SearchFilterContribution } from './search-filter-contribution';
import { SearchWidgetSection } from './search-widget-section';
import { SearchResultsScope } from './search-results-scope';
import { SearchHistory } from './search-history';
import { SearchSession } from './search-session';
import { SearchModel } from './search-model';
import { FileProblemsModel } from './file-problems-model';
import { AxisModels } from './axis-models';
import { SearchChangeFollower } from './search-change-follower';
import { SearchPreviewWidget } from './search-preview-widget';
import { SearchPreviewOpenHandler } from './search-preview-open-handler';
import { SearchResultsWidget } from './search-results-widget';
import { SearchViewContribution } from './search-view-contribution';
import { SearchWidget } from './search-widget';
import '../../src/browser/style/search-view.css';

/**
 * The search side bar, the results editor and the search-filter extension
 * point (`SearchFilterContribution`, bound as a root contribution provider
 * so filters bound by any package's module are found; the built-in filters
 * use it too), and `SearchWidgetSection`, the parts other packages add to
 * the search side bar, and `SearchResultsScope`, what names a scope of the
 * results (a collection) above them.
 */
export default new ContainerModule(bind => {
    bindRootContributionProvider(bind, SearchFilterContribution);
    bindRootContributionProvider(bind, SearchWidgetSection);
    bindRootContributionProvider(bind, SearchResultsScope);
    for (const filter of builtinFilterContributions()) {
        bind(SearchFilterContribution).toConstantValue(filter);
    }
    bind(SearchHistory).toSelf().inSingletonScope();
    bind(SearchSession).toSelf().inSingletonScope();
    bind(SearchModel).toSelf().inSingletonScope();
    bind(FileProblemsModel).toSelf().inSingletonScope();
    bind(AxisModels).toSelf().inSingletonScope();
    bind(SearchChangeFollower).toSelf().inSingletonScope();
    bind(FrontendApplicationContribution).toService(SearchChangeFollower);

    bind(SearchWidget).toSelf();
    bind(WidgetFactory).toDynamicValue(ctx => ({ id: SearchWidget.ID, createWidget: () => ctx.container.get(SearchWidget) })).inSingletonScope();
    bind(SearchResultsWidget).toSelf();
    bind(WidgetFactory).toDynamicValue(ctx => ({ id: SearchResultsWidget.ID, createWidget: () => ctx.container.get(SearchResultsWidget) })).inSingletonScope();
    bind(SearchPreviewWidget).toSelf();
    bind(WidgetFactory).toDynamicValue(ctx => ({ id: SearchPreviewWidget.ID, createWidget: () => ctx.container.get(SearchPreviewWidget) })).inSingletonScope();
    bindViewContribution(bind, SearchViewContribution);
    bind(SearchPreviewOpenHandler).toSelf().inSingletonScope();
    bind(OpenHandler).toService(SearchPreviewOpenHandler);
    bind(ImageBrowserLayoutContribution).toSelf().inSingletonScope();
    bind(FrontendApplicationContribution).toService(ImageBrowserLayoutContribution);
    bind(ImageBrowserMenusContribution).toSelf().inSingletonScope();
    bind(FrontendApplicationContribution).toService(ImageBrowserMenusContribution);
});
