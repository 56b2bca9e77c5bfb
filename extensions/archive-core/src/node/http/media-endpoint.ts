import { inject, injectable, named } from '@theia/core/shared/inversify';
import { Application, Request, Response, Router } from '@theia/core/shared/express';
import { ILogger } from '@theia/core/lib/common/logger';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { HttpConnectionValidator } from '@theia/core/lib/node';
import { connectionGuard } from './connection-guard';
import { MediaRoutes } from '../../common/media-protocol';
import { ArchiveStore } from '../store/archive-store';
import { AssetRepository } from '../store/asset-repository';

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

    @inject(ArchiveStore)
    protected readonly store: ArchiveStore;

    @inject(AssetRepository)
    protected readonly assets: AssetRepository;

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
            const asset = await this.assets.get(assetId);
            const { media } = await this.store.open();
            const hash = kind === 'thumbnail' ? asset?.thumbnailHash : asset?.previewHash;
            if (!hash || !media.has(hash)) {
                response.status(404).send(`No such asset ${kind}.`);
                return;
            }
            response.setHeader('Cache-Control', 'private, no-cache');
            response.setHeader('X-Content-Type-Options', 'nosniff');
            response.type((kind === 'thumbnail' ? asset?.thumbnailMime : undefined) ?? 'image/webp');
            response.sendFile(media.pathOf(hash), { etag: true, lastModified: false });
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
