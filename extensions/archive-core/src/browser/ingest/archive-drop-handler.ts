import { inject, injectable } from '@theia/core/shared/inversify';
import { CancellationTokenSource } from '@theia/core/lib/common/cancellation';
import { FileUri } from '@theia/core/lib/common/file-uri';
import { MessageService } from '@theia/core/lib/common/message-service';
import { nls } from '@theia/core/lib/common/nls';
import { plural } from '../../common/plural';
import { IngestService } from '../../common/ingest-protocol';
import { HttpSafety } from '../../common/http-safety-protocol';
import { UploadLimits, UploadRoutes } from '../../common/upload-protocol';
import { describeArchiveError, describeReadOnlyArchive } from '../archive-error-messages';
import { ArchiveStatusModel } from '../archive-status-model';
import { collectDroppedImages, DropCapture, DroppedFile } from './dropped-files';
import { formatBytes } from '../../common/byte-size';

/** What the Electron preload offers the page: the path of a dropped file. */
interface ElectronFilePaths {
    getPathForFile(file: File): string;
}

/**
 * Adds dropped files and folders to the archive. In the desktop app the
 * dropped paths are indexed where they are; in a browser, where the page
 * cannot see paths, the image files are uploaded into a new batch folder of
 * the archive's inbox (with progress and cancel), then that folder is indexed.
 */
@injectable()
export class ArchiveDropHandler {

    @inject(IngestService)
    protected readonly ingestService: IngestService;

    @inject(MessageService)
    protected readonly messages: MessageService;

    @inject(ArchiveStatusModel)
    protected readonly status: ArchiveStatusModel;

    /** How many files upload at once. */
    protected readonly parallelUploads = 3;

    async handle(capture: DropCapture): Promise<void> {
        try {
            const paths = this.nativePaths(capture.files);
            if (paths) {
                await this.ingestService.addPaths(paths.map(file => FileUri.create(file).toString()));
                return;
            }
            if (this.status.state.kind === 'ready' && this.status.state.status.readOnly) {
                this.messages.warn(nls.localize('imageparser/archive-core/drop/failed', 'Cannot add the dropped files: {0}', describeReadOnlyArchive()));
                return;
            }
            const images = await collectDroppedImages(capture);
            if (!images.length) {
                this.messages.warn(nls.localize('imageparser/archive-core/drop/nothing', 'Nothing to add: the drop held no PSD, PSB, PNG or JPEG files.'));
                return;
            }
            const batch = await this.upload(images);
            if (batch) {
                await this.ingestService.addUploadBatch(batch);
            }
        } catch (error) {
            this.messages.error(nls.localize('imageparser/archive-core/drop/failed', 'Cannot add the dropped files: {0}', describeArchiveError(error)));
        }
    }

    /** The dropped files' paths in the desktop app; undefined in a browser. */
    protected nativePaths(files: readonly File[]): string[] | undefined {
        const electron = (window as unknown as { electronTheiaCore?: Partial<ElectronFilePaths> }).electronTheiaCore;
        if (!electron?.getPathForFile || !files.length) {
            return undefined;
        }
        const paths = files.map(file => electron.getPathForFile!(file));
        return paths.every(Boolean) ? paths : undefined;
    }

    /** Uploads into a new inbox batch; answers the batch when at least one file arrived. */
    protected async upload(images: DroppedFile[]): Promise<string | undefined> {
        const batch = UploadRoutes.newBatch();
        const failures: string[] = [];
        const maxBytes = await this.maxUploadBytes();
        const accepted = images.filter(image => {
            if (maxBytes !== undefined && image.file.size > maxBytes) {
                failures.push(nls.localize('imageparser/archive-core/drop/tooLarge', '{0} is larger than the upload limit of {1}', image.relativePath, formatBytes(maxBytes, nls.locale)));
                return false;
            }
            return true;
        });
        const cancellation = new CancellationTokenSource();
        const abort = new AbortController();
        cancellation.token.onCancellationRequested(() => abort.abort());
        const progress = await this.messages.showProgress({
            text: plural(accepted.length, nls.localize('imageparser/archive-core/drop/uploading/one', 'Uploading {0} dropped file', accepted.length),
                nls.localize('imageparser/archive-core/drop/uploading/other', 'Uploading {0} dropped files', accepted.length)),
            options: { cancelable: true }
        }, () => cancellation.cancel());
        const totalBytes = accepted.reduce((sum, image) => sum + image.file.size, 0);
        let doneBytes = 0;
        let done = 0;
        let arrived = 0;
        let next = 0;
        const lane = async () => {
            while (next < accepted.length && !cancellation.token.isCancellationRequested) {
                const image = accepted[next++];
                progress.report({
                    message: nls.localize('imageparser/archive-core/drop/progress', '{0} of {1} · {2}', done + 1, accepted.length, image.relativePath),
                    work: { done: doneBytes, total: Math.max(1, totalBytes) }
                });
                try {
                    const response = await fetch(UploadRoutes.url(batch, image.relativePath), {
                        method: 'POST', body: image.file, credentials: 'same-origin', signal: abort.signal,
                        headers: { 'Content-Type': 'application/octet-stream', ...HttpSafety.requestHeaders() }
                    });
                    if (!response.ok) {
                        failures.push(`${image.relativePath}: ${(await response.text()) || response.statusText}`);
                    } else {
                        arrived++;
                    }
                } catch (error) {
                    if (!abort.signal.aborted) {
                        failures.push(`${image.relativePath}: ${messageOf(error)}`);
                    }
                }
                done++;
                doneBytes += image.file.size;
            }
        };
        try {
            await Promise.all(Array.from({ length: Math.min(this.parallelUploads, accepted.length) }, lane));
        } finally {
            progress.cancel();
        }
        if (failures.length) {
            this.messages.warn(plural(images.length,
                nls.localize('imageparser/archive-core/drop/someFailed/one', 'The dropped file could not be uploaded: {2}', failures.length, images.length, failures[0]),
                nls.localize('imageparser/archive-core/drop/someFailed/other', '{0} of {1} dropped files could not be uploaded: {2}',
                    failures.length, images.length, failures.slice(0, 3).join('; '))));
        }
        return arrived ? batch : undefined;
    }

    /** The backend's upload size cap; undefined when it cannot be asked (the upload then says). */
    protected async maxUploadBytes(): Promise<number | undefined> {
        try {
            const response = await fetch(UploadRoutes.LIMITS_URL, { credentials: 'same-origin' });
            return response.ok ? ((await response.json()) as UploadLimits).maxBytes : undefined;
        } catch {
            return undefined;
        }
    }
}


function messageOf(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
