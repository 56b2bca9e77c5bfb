import { ContainerModule } from '@theia/core/shared/inversify';
import { bindViewContribution, FrontendApplicationContribution, LabelProviderContribution, WidgetFactory } from '@theia/core/lib/browser';
import { RemoteConnectionProvider, ServiceConnectionProvider } from '@theia/core/lib/browser/messaging/service-connection-provider';
import { ARCHIVE_SERVICE_PATH, ArchiveService } from '../common/archive-protocol';
import { bindArchivePreferences } from '../common/archive-preferences';
import { bindInferencePreferences } from '../common/inference-preferences';
import { ArchivePreferenceLabelContribution } from './archive-preference-label-contribution';
import { ArchiveStatusBarContribution } from './archive-status-bar-contribution';
import { ArchiveStatusModel } from './archive-status-model';
import { ArchiveWelcomeContribution } from './archive-welcome-contribution';
import { ArchiveWelcomeWidget } from './archive-welcome-widget';
import { CommandContribution } from '@theia/core/lib/common/command';
import { MenuContribution } from '@theia/core/lib/common/menu';
import { INGEST_SERVICE_PATH, IngestService } from '../common/ingest-protocol';
import { IngestFrontendContribution } from './ingest/ingest-frontend-contribution';
import { IngestProgressReporter } from './ingest/ingest-progress-reporter';
import { ArchiveDropContribution } from './ingest/archive-drop-contribution';
import { ArchiveDropHandler } from './ingest/archive-drop-handler';
import { ARCHIVE_CHANGE_SERVICE_PATH, ArchiveChangeService } from '../common/archive-change-protocol';
import { FILE_PROBLEM_SERVICE_PATH, FileProblemService } from '../common/file-problem-protocol';
import { LOCAL_PATH_SERVICE_PATH, LocalPathService } from '../common/local-path-protocol';
import { ArchiveChangeEvents } from './archive-change-events';
import { ConnectionTokenRenewal } from './connection-token-renewal';
import '../../src/browser/style/archive-core.css';

export default new ContainerModule(bind => {
    bindArchivePreferences(bind);
    bindInferencePreferences(bind);
    bind(ArchivePreferenceLabelContribution).toSelf().inSingletonScope();
    bind(LabelProviderContribution).toService(ArchivePreferenceLabelContribution);

    bind(ArchiveService).toDynamicValue(ctx =>
        ctx.container.get<ServiceConnectionProvider>(RemoteConnectionProvider).createProxy<ArchiveService>(ARCHIVE_SERVICE_PATH)
    ).inSingletonScope();
    bind(ArchiveStatusModel).toSelf().inSingletonScope();
    bind(ArchiveChangeEvents).toSelf().inSingletonScope();
    bind(ArchiveChangeService).toDynamicValue(ctx =>
        ctx.container.get<ServiceConnectionProvider>(RemoteConnectionProvider)
            .createProxy<ArchiveChangeService>(ARCHIVE_CHANGE_SERVICE_PATH, ctx.container.get(ArchiveChangeEvents))
    ).inSingletonScope();
    bind(FileProblemService).toDynamicValue(ctx =>
        ctx.container.get<ServiceConnectionProvider>(RemoteConnectionProvider).createProxy<FileProblemService>(FILE_PROBLEM_SERVICE_PATH)
    ).inSingletonScope();
    bind(LocalPathService).toDynamicValue(ctx =>
        ctx.container.get<ServiceConnectionProvider>(RemoteConnectionProvider).createProxy<LocalPathService>(LOCAL_PATH_SERVICE_PATH)
    ).inSingletonScope();

    bind(IngestProgressReporter).toSelf().inSingletonScope();
    bind(IngestService).toDynamicValue(ctx => {
        const reporter = ctx.container.get(IngestProgressReporter);
        const service = ctx.container.get<ServiceConnectionProvider>(RemoteConnectionProvider).createProxy<IngestService>(INGEST_SERVICE_PATH, reporter);
        reporter.ingestService = service;
        return service;
    }).inSingletonScope();
    bind(IngestFrontendContribution).toSelf().inSingletonScope();
    bind(CommandContribution).toService(IngestFrontendContribution);
    bind(MenuContribution).toService(IngestFrontendContribution);
    bind(ArchiveDropHandler).toSelf().inSingletonScope();
    bind(ArchiveDropContribution).toSelf().inSingletonScope();
    bind(FrontendApplicationContribution).toService(ArchiveDropContribution);

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
