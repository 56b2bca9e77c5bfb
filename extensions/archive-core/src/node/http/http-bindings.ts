import { interfaces } from '@theia/core/shared/inversify';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { CliContribution } from '@theia/core/lib/node/cli';
import { WsRequestValidatorContribution } from '@theia/core/lib/node/ws-request-validators';
import { DefaultUploadInbox, UploadInbox } from '../upload/upload-inbox';
import { AppIconEndpoint } from './app-icon-endpoint';
import { HttpSafetyContribution } from './http-safety-contribution';
import { CliHttpSafetyOptions, HttpSafetyOptions } from './http-safety-options';
import { MediaEndpoint } from './media-endpoint';
import { UploadEndpoint } from './upload-endpoint';
import { ViewerMediaEndpoint } from './viewer-media-endpoint';

/**
 * The backend's HTTP side: the safety checks every request and websocket
 * passes (with their command-line options), the media, viewer, icon and
 * upload routes, and the inbox uploads land in before they are ingested.
 */
export function bindHttp(bind: interfaces.Bind): void {
    bind(CliHttpSafetyOptions).toSelf().inSingletonScope();
    bind(HttpSafetyOptions).toService(CliHttpSafetyOptions);
    bind(CliContribution).toService(CliHttpSafetyOptions);
    bind(HttpSafetyContribution).toSelf().inSingletonScope();
    bind(BackendApplicationContribution).toService(HttpSafetyContribution);
    bind(WsRequestValidatorContribution).toService(HttpSafetyContribution);

    bind(ViewerMediaEndpoint).toSelf().inSingletonScope();
    bind(BackendApplicationContribution).toService(ViewerMediaEndpoint);
    bind(MediaEndpoint).toSelf().inSingletonScope();
    bind(BackendApplicationContribution).toService(MediaEndpoint);
    bind(AppIconEndpoint).toSelf().inSingletonScope();
    bind(BackendApplicationContribution).toService(AppIconEndpoint);
    bind(DefaultUploadInbox).toSelf().inSingletonScope();
    bind(UploadInbox).toService(DefaultUploadInbox);
    bind(UploadEndpoint).toSelf().inSingletonScope();
    bind(BackendApplicationContribution).toService(UploadEndpoint);
}
