import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { inject, injectable, named } from '@theia/core/shared/inversify';
import { Application, Request, Response } from '@theia/core/shared/express';
import { ILogger } from '@theia/core/lib/common/logger';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { HttpConnectionValidator } from '@theia/core/lib/node';
import { connectionGuard } from './connection-guard';
import { UploadResponse, UploadRoutes } from '../../common/upload-protocol';
import { INDEXED_EXTENSIONS } from '../ingest/file-discovery';
import { ArchiveLocationProvider } from '../store/archive-location-provider';

/** The folder, inside the archive folder, that dropped files are uploaded to. */
export const INBOX_FOLDER = 'inbox';

/**
 * Receives dropped image files (browser only: the page cannot see paths) into
 * `<archive>/inbox/<batch>/<relative path>`. Guarded by Theia's connection
 * token like the media routes. The body streams to a temporary file that is
 * renamed into place once complete, so an aborted upload leaves nothing under
 * a real name; paths that are absolute, climb out (`..`), are hidden, or are
 * not PSD/PSB/PNG/JPEG names are refused with 400.
 */
@injectable()
export class UploadEndpoint implements BackendApplicationContribution {

    @inject(HttpConnectionValidator)
    protected readonly connectionValidator: HttpConnectionValidator;

    @inject(ArchiveLocationProvider)
    protected readonly locations: ArchiveLocationProvider;

    @inject(ILogger) @named('archive-core:UploadEndpoint')
    protected readonly logger: ILogger;

    configure(app: Application): void {
        const guard = connectionGuard(this.connectionValidator);
        app.post(`${UploadRoutes.ROOT}/:batch`, guard, (request, response) => this.receive(request, response));
    }

    protected async receive(request: Request, response: Response): Promise<void> {
        const batch = String(request.params.batch ?? '');
        const relative = typeof request.query.path === 'string' ? request.query.path : '';
        const problem = UploadRoutes.BATCH_PATTERN.test(batch) ? checkRelativePath(relative) : 'The batch name is not valid.';
        if (problem) {
            request.resume();
            response.status(400).send(problem);
            return;
        }
        let folder: string;
        try {
            folder = path.join((await this.locations.resolve()).folder, INBOX_FOLDER, batch);
        } catch (error) {
            request.resume();
            response.status(503).send('The archive is not available.');
            return;
        }
        const target = path.join(folder, ...relative.split('/'));
        const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${crypto.randomBytes(4).toString('hex')}.upload`);
        try {
            await fs.promises.mkdir(path.dirname(target), { recursive: true });
            await new Promise<void>((resolve, reject) => {
                const output = fs.createWriteStream(temporary, { flags: 'wx' });
                request.on('aborted', () => reject(new Error('The upload was aborted.')));
                request.on('error', reject);
                output.on('error', reject);
                output.on('finish', resolve);
                request.pipe(output);
            });
            await fs.promises.rename(temporary, target);
            const answer: UploadResponse = { folder, file: target };
            response.status(201).json(answer);
        } catch (error) {
            await fs.promises.rm(temporary, { force: true });
            this.logger.warn(`Upload of ${relative} into ${folder} failed: ${error instanceof Error ? error.message : String(error)}`);
            if (!response.headersSent) {
                response.status(500).send(`The file could not be stored: ${error instanceof Error ? error.message : String(error)}`);
            }
        }
    }
}

/** Why a client-given relative path is refused, or undefined when it is fine. */
export function checkRelativePath(relative: string): string | undefined {
    if (!relative || relative.length > 1024) {
        return 'The file path is missing or too long.';
    }
    const segments = relative.split('/');
    if (segments.some(segment => !segment || segment === '.' || segment === '..' || segment.startsWith('.') || /[\\\0:]/.test(segment))) {
        return 'The file path must be relative, without empty, hidden, "..", backslash or colon parts.';
    }
    if (!INDEXED_EXTENSIONS.includes(path.extname(relative).toLowerCase())) {
        return 'Only PSD, PSB, PNG and JPEG files can be added.';
    }
    return undefined;
}
