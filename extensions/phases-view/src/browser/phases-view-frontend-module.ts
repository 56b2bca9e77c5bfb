import { ContainerModule } from '@theia/core/shared/inversify';
import { bindViewContribution, FrontendApplicationContribution, WidgetFactory } from '@theia/core/lib/browser';
import { PhasesModel } from './phases-model';
import { PhasesSelection, SearchResultsSelection } from './phases-selection';
import { PhasesStatusBarContribution } from './phases-status-bar-contribution';
import { PhasesViewContribution } from './phases-view-contribution';
import { PhasesWidget } from './phases-widget';
import '../../src/browser/style/phases-view.css';

/** The Phases view, its commands and the status-bar item of work in progress. */
export default new ContainerModule(bind => {
    bind(SearchResultsSelection).toSelf().inSingletonScope();
    bind(PhasesSelection).toService(SearchResultsSelection);
    bind(PhasesModel).toSelf().inSingletonScope();

    bind(PhasesWidget).toSelf();
    bind(WidgetFactory).toDynamicValue(ctx => ({ id: PhasesWidget.ID, createWidget: () => ctx.container.get(PhasesWidget) })).inSingletonScope();
    bindViewContribution(bind, PhasesViewContribution);
    bind(PhasesStatusBarContribution).toSelf().inSingletonScope();
    bind(FrontendApplicationContribution).toService(PhasesStatusBarContribution);
});
