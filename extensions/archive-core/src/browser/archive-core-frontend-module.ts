import { ContainerModule } from '@theia/core/shared/inversify';
import { bindViewContribution, FrontendApplicationContribution, LabelProviderContribution, WidgetFactory } from '@theia/core/lib/browser';
import { bindArchivePreferences } from '../common/archive-preferences';
import { bindAiPreferences } from '../common/ai-preference-schema';
import { bindInferencePreferences } from '../common/inference-preferences';
import { bindJobEnginePreferences } from '../common/job-engine-preferences';
import { AiModelsContribution } from './ai-models-contribution';
import { ArchivePreferenceLabelContribution } from './archive-preference-label-contribution';
import { ArchiveStatusBarContribution } from './archive-status-bar-contribution';
import { ArchiveStatusModel } from './archive-status-model';
import { ArchiveWelcomeContribution } from './archive-welcome-contribution';
import { ArchiveWelcomeWidget } from './archive-welcome-widget';
import { CommandContribution } from '@theia/core/lib/common/command';
import { MenuContribution } from '@theia/core/lib/common/menu';
import { IngestFrontendContribution } from './ingest/ingest-frontend-contribution';
import { ArchiveDropContribution } from './ingest/archive-drop-contribution';
import { ArchiveDropHandler } from './ingest/archive-drop-handler';
import { ConnectionTokenRenewal } from './connection-token-renewal';
import { bindArchiveServiceProxies } from './archive-service-proxies';
import '../../src/browser/style/archive-core.css';

export default new ContainerModule(bind => {
    bindArchivePreferences(bind);
    bindInferencePreferences(bind);
    bindJobEnginePreferences(bind);
    bindAiPreferences(bind);
    bind(ArchivePreferenceLabelContribution).toSelf().inSingletonScope();
    bind(LabelProviderContribution).toService(ArchivePreferenceLabelContribution);

    bindArchiveServiceProxies(bind);
    bind(ArchiveStatusModel).toSelf().inSingletonScope();

    bind(IngestFrontendContribution).toSelf().inSingletonScope();
    bind(CommandContribution).toService(IngestFrontendContribution);
    bind(MenuContribution).toService(IngestFrontendContribution);
    bind(ArchiveDropHandler).toSelf().inSingletonScope();
    bind(ArchiveDropContribution).toSelf().inSingletonScope();
    bind(FrontendApplicationContribution).toService(ArchiveDropContribution);

    bind(AiModelsContribution).toSelf().inSingletonScope();
    bind(FrontendApplicationContribution).toService(AiModelsContribution);
    bind(CommandContribution).toService(AiModelsContribution);

    bind(ConnectionTokenRenewal).toSelf().inSingletonScope();
    bind(FrontendApplicationContribution).toService(ConnectionTokenRenewal);

    bind(ArchiveStatusBarContribution).toSelf().inSingletonScope();
    bind(FrontendApplicationContribution).toService(ArchiveStatusBarContribution);

    bind(ArchiveWelcomeWidget).toSelf();
    bind(WidgetFactory).toDynamicValue(ctx => ({
        id: ArchiveWelcomeWidget.ID,
        createWidget: () => ctx.container.get(ArchiveWelcomeWidget)
    })).inSingletonScope();
    bindViewContribution(bind, ArchiveWelcomeContribution);
    bind(FrontendApplicationContribution).toService(ArchiveWelcomeContribution);
});
