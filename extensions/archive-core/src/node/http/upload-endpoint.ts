import { inject, injectable, named } from '@theia/core/shared/inversify';
import { Application, Request, Response } from '@theia/core/shared/express';
import { ILogger } from '@theia/core/lib/common/logger';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { HttpConnectionValidator } from '@theia/core/lib/node';
import { UploadLimits, UploadRoutes } from '../../common/upload-protocol';
import { tooLarge } from '../upload/upload-body-check';
import { UploadInbox } from '../upload/upload-inbox';
import { UploadRefusal } from '../upload/upload-refusal';
import { connectionGuard } from './connection-guard';

/** Content types an upload's raw body may be sent with: the bytes themselves, as any client labels an image file. */
const RAW_BODY_TYPES = new Set(['', 'application/octet-stream', 'image/png', 'image/jpeg', 'image/jpg', 'image/pjpeg',
    'image/vnd.adobe.photoshop', 'image/psd', 'image/x-photoshop', 'application/photoshop', 'application/x-photoshop', 'application/psd']);

/**
 * Receives dropped image files (browser only: the page cannot see paths)
 * into the archive's inbox (see {@link UploadInbox}). Guarded by Theia's
 * connection token like the media routes, and, as every state-changing
 * route, by the same-origin check of the HTTP safety contribution. Every
 * request is answered: 201 with the batch and the path inside it; 400 for a
 * bad name, 403 for a link on the way, 409 when the name is taken or the
 * archive is read-only, 413 past the size cap (from `Content-Length` before
 * reading, and while reading), 415 for a body that is not raw image bytes or
 * not the image its name says, 503 when the archive cannot be opened, 507
 * when the disk is full. `GET …/limits` answers the size cap.
 */
@injectable()
export class UploadEndpoint implements BackendApplicationContribution {

    @inject(HttpConnectionValidator)
    protected readonly connectionValidator: HttpConnectionValidator;

    @inject(UploadInbox)
    protected readonly inbox: UploadInbox;

    @inject(ILogger) @named('archive-core:UploadEndpoint')
    protected readonly logger: ILogger;

    configure(app: Application): void {
        const guard = connectionGuard(this.connectionValidator);
        app.get(UploadRoutes.LIMITS_URL, guard, (_request, response) => this.limits(response));
        app.post(`${UploadRoutes.ROOT}/:batch`, guard, (request, response) => this.receive(request, response));
    }

    protected limits(response: Response): void {
        try {
            const limits: UploadLimits = { maxBytes: this.inbox.maxBytes };
            response.json(limits);
        } catch (error) {
            this.logger.error('The upload limits are misconfigured', error);
            response.status(500).type('text/plain').send(error instanceof Error ? error.message : String(error));
        }
    }

    protected async receive(request: Request, response: Response): Promise<void> {
        const batch = String(request.params.batch ?? '');
        const relative = typeof request.query.path === 'string' ? request.query.path : '';
        try {
            this.inbox.checkNames(batch, relative);
            this.checkBody(request);
            const answer = await this.inbox.receive(batch, relative, request);
            response.status(201).json(answer);
        } catch (error) {
            this.answerFailure(request, response, error);
        }
    }

    /** Refuses, before reading it, a body that is not raw bytes or is declared larger than the cap. */
    protected checkBody(request: Request): void {
        const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
        if (!RAW_BODY_TYPES.has(type)) {
            throw new UploadRefusal(415, 'Upload the file\'s raw bytes as application/octet-stream; form, JSON and text bodies are not accepted.');
        }
        const encoding = (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
        if (encoding !== 'identity') {
            throw new UploadRefusal(415, 'Compressed uploads are not accepted; send the file\'s bytes as they are.');
        }
        const declared = Number(request.headers['content-length']);
        if (Number.isFinite(declared) && declared > this.inbox.maxBytes) {
            throw tooLarge(this.inbox.maxBytes);
        }
    }

    protected answerFailure(request: Request, response: Response, error: unknown): void {
        if (response.headersSent) {
            return;
        }
        if (error instanceof UploadRefusal) {
            if (!request.complete) {
                // The rest of the body will not be read: close the connection once answered.
                response.setHeader('Connection', 'close');
            }
            response.status(error.status).type('text/plain').send(error.message);
            return;
        }
        if (!request.complete || request.destroyed) {
            this.logger.info(`An upload into ${request.params.batch} ended before its last byte (client gone or timed out); nothing was kept.`);
            return;
        }
        this.logger.error(`Storing an upload into ${request.params.batch} failed`, error);
        response.status(500).type('text/plain').send('The upload could not be stored because of an unexpected error; nothing was kept.');
    }
}
