import { inject, injectable, named } from '@theia/core/shared/inversify';
import { Application, Response } from '@theia/core/shared/express';
import { ILogger } from '@theia/core/lib/common/logger';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { renderAppIconIco } from './app-icon';

/** Where the icon is served: browsers ask for it there by themselves. */
export const APP_ICON_ROUTE = '/favicon.ico';

/**
 * Serves the app's icon, so the browser tab and bookmarks show ImageParser's
 * icon (and `/favicon.ico` is not a 404). The icon is public, like the page.
 */
@injectable()
export class AppIconEndpoint implements BackendApplicationContribution {

    @inject(ILogger) @named('archive-core:AppIconEndpoint')
    protected readonly logger: ILogger;

    protected ico: Promise<Buffer> | undefined;

    configure(app: Application): void {
        app.get(APP_ICON_ROUTE, (_request, response) => this.serveIco(response));
    }

    protected async serveIco(response: Response): Promise<void> {
        try {
            this.ico ??= renderAppIconIco();
            const ico = await this.ico;
            response.setHeader('Cache-Control', 'public, max-age=86400');
            response.setHeader('X-Content-Type-Options', 'nosniff');
            response.type('image/x-icon').send(ico);
        } catch (error) {
            this.ico = undefined;
            this.logger.error('Rendering the app icon failed', error);
            response.status(500).send('The icon could not be rendered.');
        }
    }
}
