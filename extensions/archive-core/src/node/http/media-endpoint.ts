import { inject, injectable, named } from '@theia/core/shared/inversify';
import { Application, Request, Response, Router } from '@theia/core/shared/express';
import { ILogger } from '@theia/core/lib/common/logger';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { HttpConnectionValidator } from '@theia/core/lib/node';
import { connectionGuard } from './connection-guard';
import { MediaRoutes } from '../../common/media-protocol';
import { AssetMediaService } from '../media/asset-media-service';

/**
 * Serves media bytes over HTTP, guarded by the same connection-token check
 * Theia puts on its own file endpoints: a request without the page's
 * connection cookie gets 403. Files are found through asset ids only; no path
 * from the client ever reaches the file system.
 */
@injectable()
export class MediaEndpoint implements BackendApplicationContribution {

    @inject(HttpConnectionValidator)
    protected readonly connectionValidator: HttpConnectionValidator;

    @inject(AssetMediaService)
    protected readonly media: AssetMediaService;

    @inject(ILogger) @named('archive-core:MediaEndpoint')
    protected readonly logger: ILogger;

    configure(app: Application): void {
        const guard = connectionGuard(this.connectionValidator);
        const router = Router();
        router.get('/thumbnail/:assetId', (request, response) => this.serveMedia(request, response, 'thumbnail'));
        router.get('/preview/:assetId', (request, response) => this.serveMedia(request, response, 'preview'));
        app.use(MediaRoutes.ROOT, guard, router);
    }

    protected async serveMedia(request: Request, response: Response, kind: MediaRoutes.Kind): Promise<void> {
        const assetId = parseAssetId(request.params.assetId);
        if (assetId === undefined) {
            response.status(400).send('The asset id must be a positive whole number.');
            return;
        }
        try {
            const stored = await this.media.storedMedia(assetId, kind);
            if (!stored) {
                response.status(404).send(`No such asset ${kind}.`);
                return;
            }
            response.setHeader('Cache-Control', 'private, no-cache');
            response.setHeader('X-Content-Type-Options', 'nosniff');
            response.type(stored.mime);
            response.sendFile(stored.file, { etag: true, lastModified: false });
        } catch (error) {
            this.logger.error(`Serving the ${kind} of asset ${assetId} failed`, error);
            response.status(503).send('The archive is not available.');
        }
    }
}

/** A positive, safe whole number from a route parameter, or undefined. */
export function parseAssetId(value: string | undefined): number | undefined {
    if (!value || !/^[1-9][0-9]{0,15}$/.test(value)) {
        return undefined;
    }
    const id = Number(value);
    return Number.isSafeInteger(id) ? id : undefined;
}
