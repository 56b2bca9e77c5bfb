import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { inject, injectable, named } from '@theia/core/shared/inversify';
import { Application, Request, Response, Router } from '@theia/core/shared/express';
import { ILogger } from '@theia/core/lib/common/logger';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { HttpConnectionValidator } from '@theia/core/lib/node';
import { MediaRoutes } from '../../common/media-protocol';
import { DEFAULT_PARSE_LIMITS } from '@imageparser/psd';
import { RenderPool } from '../media/render-pool';
import { RenderFailureCache } from '../media/render-failure-cache';
import type { RenderOutcome } from '../media/render-task';
import { AssetMediaService, AssetSource } from '../media/asset-media-service';
import { ArchiveStore } from '../store/archive-store';
import { connectionGuard } from './connection-guard';
import { isRefusal, openIndexedFile, sendIndexedFile } from './indexed-file';
import { parseAssetId } from './media-endpoint';

const TILE_PATTERN = /^image_files\/(\d{1,2})\/(\d{1,5})_(\d{1,5})\.webp$/;
const LAYER_RENDER_SIZE = 2048;
const LAYER_THUMBNAIL_SIZE = 64;

type SourceFile = AssetSource;

/**
 * The viewer's media routes, guarded like the other media routes and
 * resolved through asset ids only: the original file (inline or as a
 * download), a Deep Zoom pyramid of the full image built on first request
 * and kept per content hash, PSD layer composites with visibility changes,
 * and per-layer thumbnails kept per (content hash, layer index). Rendering
 * runs on worker threads; a file that cannot be rendered gets a clear error,
 * remembered per (content hash, operation) so that retries fail at once.
 */
@injectable()
export class ViewerMediaEndpoint implements BackendApplicationContribution {

    @inject(HttpConnectionValidator)
    protected readonly connectionValidator: HttpConnectionValidator;

    @inject(ArchiveStore)
    protected readonly store: ArchiveStore;

    @inject(AssetMediaService)
    protected readonly media: AssetMediaService;

    @inject(RenderPool)
    protected readonly renderer: RenderPool;

    @inject(ILogger) @named('archive-core:ViewerMediaEndpoint')
    protected readonly logger: ILogger;

    /** The cache folder of a read-only archive, once made. */
    protected readOnlyCache: string | undefined;

    /** Pyramids being built, per content hash, so concurrent tile requests wait for one build. */
    protected readonly building = new Map<string, Promise<RenderOutcome>>();

    /** Renders that failed, per content hash and operation: a retry fails at once instead of holding a render thread again. */
    protected readonly failures = new RenderFailureCache();

    configure(app: Application): void {
        const router = Router();
        const handle = (serve: (request: Request, response: Response, source: SourceFile) => Promise<void>) =>
            (request: Request, response: Response) => this.withSource(request, response, serve);
        router.get('/original/:assetId', handle((request, response, source) => this.serveOriginal(request, response, source)));
        router.get('/tiles/:assetId/*', handle((request, response, source) => this.serveTiles(request, response, source)));
        router.get('/layers/:assetId/render', handle((request, response, source) => this.serveLayers(request, response, source)));
        router.get('/layers/:assetId/:idx/thumbnail', handle((request, response, source) => this.serveLayerThumbnail(request, response, source)));
        app.use(MediaRoutes.ROOT, connectionGuard(this.connectionValidator), router);
    }

    /**
     * Where pyramids and layer thumbnails are kept: the archive folder, or,
     * when the archive is read-only, a folder of this process in the
     * system's temporary space (removed when the backend stops).
     */
    protected async cacheFolder(): Promise<string> {
        const { location, readOnly } = await this.store.open();
        if (!readOnly) {
            return location.folder;
        }
        this.readOnlyCache ??= fs.mkdtempSync(path.join(os.tmpdir(), 'imageparser-view-cache-'));
        return this.readOnlyCache;
    }

    onStop(): void {
        if (this.readOnlyCache) {
            fs.rmSync(this.readOnlyCache, { recursive: true, force: true });
        }
        this.renderer.destroy().catch(() => undefined);
    }

    protected async withSource(request: Request, response: Response, serve: (request: Request, response: Response, source: SourceFile) => Promise<void>): Promise<void> {
        const assetId = parseAssetId(request.params.assetId);
        if (assetId === undefined) {
            response.status(400).send('The asset id must be a positive whole number.');
            return;
        }
        try {
            const source = await this.media.sourceOf(assetId);
            if (!source) {
                response.status(404).send(`Asset ${assetId} has no file on disk (it may be missing or not indexed).`);
                return;
            }
            await serve(request, response, source);
        } catch (error) {
            this.logger.error(`Serving ${request.originalUrl} failed`, error);
            if (!response.headersSent) {
                response.status(503).send('The archive is not available.');
            }
        }
    }

    protected async serveOriginal(request: Request, response: Response, source: SourceFile): Promise<void> {
        const opened = await openIndexedFile(source);
        if (isRefusal(opened)) {
            response.status(opened.status).send(opened.message);
            return;
        }
        await sendIndexedFile(request, response, opened, request.query.download === '1');
    }

    /**
     * Whether the asset's file may be rendered (see {@link openIndexedFile}); answers the refusal otherwise.
     * A file that is merely gone is left to the renderer, which says why it cannot render it.
     */
    protected async mayRender(response: Response, source: SourceFile): Promise<boolean> {
        const opened = await openIndexedFile(source);
        if (isRefusal(opened)) {
            if (opened.status === 404) {
                return true;
            }
            response.status(opened.status).send(opened.message);
            return false;
        }
        await opened.close();
        return true;
    }

    protected async serveTiles(request: Request, response: Response, source: SourceFile): Promise<void> {
        const rest = (request.params as Record<string, string>)[0] ?? '';
        if (rest !== 'image.dzi' && !TILE_PATTERN.test(rest)) {
            response.status(404).send('No such tile.');
            return;
        }
        const folder = path.join(await this.cacheFolder(), 'tiles', source.hash);
        if (!fs.existsSync(path.join(folder, 'image.dzi'))) {
            if (!await this.mayRender(response, source)) {
                return;
            }
            let build = this.building.get(source.hash);
            if (!build) {
                // Registered before any await, so concurrent first requests share one build.
                build = this.buildPyramid(source, folder);
                this.building.set(source.hash, build);
                build.finally(() => this.building.delete(source.hash)).catch(() => undefined);
            }
            const outcome = await build;
            if (!outcome.ok) {
                response.status(422).send(`The full image cannot be shown: ${outcome.error.message}`);
                return;
            }
        }
        const file = path.join(folder, rest);
        if (!fs.existsSync(file)) {
            response.status(404).send('No such tile.');
            return;
        }
        // A pyramid belongs to one content hash: it never changes.
        response.setHeader('Cache-Control', 'private, max-age=31536000, immutable');
        response.type(rest.endsWith('.dzi') ? 'application/xml' : 'image/webp');
        response.sendFile(file);
    }

    /** Builds a pyramid on the render thread; a half-written one (the thread stopped or failed) is removed. */
    protected async buildPyramid(source: SourceFile, folder: string): Promise<RenderOutcome> {
        const failed = this.failures.get(source.hash, 'pyramid');
        if (failed) {
            return failed;
        }
        await fs.promises.mkdir(path.dirname(folder), { recursive: true });
        const temp = `${folder}.${crypto.randomBytes(6).toString('hex')}.tmp`;
        const outcome = await this.renderer.run({ op: 'pyramid', file: source.file, asset: source.hash, kind: source.kind, folder, temp, limits: DEFAULT_PARSE_LIMITS });
        await fs.promises.rm(temp, { recursive: true, force: true });
        return this.failures.remember(source.hash, 'pyramid', outcome);
    }

    protected async serveLayers(request: Request, response: Response, source: SourceFile): Promise<void> {
        if (source.kind !== 'psd' && source.kind !== 'psb') {
            response.status(400).send('Only PSD and PSB documents have layers.');
            return;
        }
        const hidden = parseIndexes(request.query.hidden);
        const shown = parseIndexes(request.query.shown);
        const solo = request.query.solo === undefined ? undefined : parseIndexes(request.query.solo)?.[0];
        if (!hidden || !shown || (request.query.solo !== undefined && solo === undefined)) {
            response.status(400).send('Layers are named by comma-separated whole numbers.');
            return;
        }
        if (!await this.mayRender(response, source)) {
            return;
        }
        // A render the page no longer waits for (the user toggled on) is dropped before it runs.
        const gone = new AbortController();
        response.on('close', () => {
            if (!response.writableFinished) {
                gone.abort();
            }
        });
        const outcome = this.failures.get(source.hash, 'layers') ?? this.failures.remember(source.hash, 'layers', await this.renderer.run(
            { op: 'layers', file: source.file, asset: source.hash, visibility: { hidden, shown, solo }, maxSize: LAYER_RENDER_SIZE, limits: DEFAULT_PARSE_LIMITS }, gone.signal));
        if (gone.signal.aborted) {
            return;
        }
        if (!outcome.ok) {
            response.status(422).send(`The layers cannot be rendered: ${outcome.error.message}`);
            return;
        }
        response.setHeader('Cache-Control', 'private, no-cache');
        response.setHeader(MediaRoutes.APPROXIMATIONS_HEADER, encodeURIComponent(JSON.stringify(outcome.approximations ?? [])));
        response.setHeader('Access-Control-Expose-Headers', MediaRoutes.APPROXIMATIONS_HEADER);
        response.type('image/png').send(Buffer.from(outcome.bytes!));
    }

    protected async serveLayerThumbnail(request: Request, response: Response, source: SourceFile): Promise<void> {
        const idx = /^\d{1,5}$/.test(request.params.idx ?? '') ? Number(request.params.idx) : undefined;
        if (idx === undefined || (source.kind !== 'psd' && source.kind !== 'psb')) {
            response.status(400).send('A layer is named by its whole-number index in a PSD.');
            return;
        }
        const file = path.join(await this.cacheFolder(), 'layers', source.hash, `${idx}.webp`);
        const none = `${file}.none`;
        if (fs.existsSync(none)) {
            response.status(204).end();
            return;
        }
        if (!fs.existsSync(file)) {
            if (!await this.mayRender(response, source)) {
                return;
            }
            const outcome = this.failures.get(source.hash, 'layer-thumbnail') ?? this.failures.remember(source.hash, 'layer-thumbnail',
                await this.renderer.run({ op: 'layer-thumbnail', file: source.file, asset: source.hash, idx, size: LAYER_THUMBNAIL_SIZE, limits: DEFAULT_PARSE_LIMITS }));
            if (!outcome.ok) {
                response.status(422).send(`The layer cannot be rendered: ${outcome.error.message}`);
                return;
            }
            await fs.promises.mkdir(path.dirname(file), { recursive: true });
            if (!outcome.bytes) {
                await fs.promises.writeFile(none, '');
                response.status(204).end();
                return;
            }
            const temp = `${file}.${crypto.randomBytes(6).toString('hex')}.tmp`;
            await fs.promises.writeFile(temp, outcome.bytes);
            await fs.promises.rename(temp, file);
        }
        response.setHeader('Cache-Control', 'private, max-age=31536000, immutable');
        response.type('image/webp');
        response.sendFile(file);
    }
}

/** "1,4,7" → [1, 4, 7]; absent → []; anything else → undefined. */
function parseIndexes(value: unknown): number[] | undefined {
    if (value === undefined || value === '') {
        return [];
    }
    if (typeof value !== 'string' || !/^\d{1,5}(,\d{1,5}){0,9999}$/.test(value)) {
        return undefined;
    }
    return value.split(',').map(Number);
}
