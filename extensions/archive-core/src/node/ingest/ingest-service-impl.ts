import * as fs from 'fs';
import * as path from 'path';
import { INDEXED_EXTENSIONS } from './file-discovery';
import { inject, injectable } from '@theia/core/shared/inversify';
import { Disposable } from '@theia/core/lib/common/disposable';
import { FileUri } from '@theia/core/lib/common/file-uri';
import { IngestClient, IngestProgress, IngestService } from '../../common/ingest-protocol';
import { ArchiveIngester } from './archive-ingester';
import { UploadInbox } from '../upload/upload-inbox';

/** The ingest RPC service of one frontend connection: forwards progress of every run to its client. */
@injectable()
export class IngestServiceImpl implements IngestService, Disposable {

    @inject(ArchiveIngester)
    protected readonly ingester: ArchiveIngester;

    @inject(UploadInbox)
    protected readonly inbox: UploadInbox;

    protected client: IngestClient | undefined;
    protected subscription: Disposable | undefined;

    async addFolder(folderUri: string): Promise<number> {
        const folder = FileUri.fsPath(folderUri);
        const stat = await fs.promises.stat(folder).catch(() => undefined);
        if (!stat?.isDirectory()) {
            throw new Error(`Not a folder: ${folder}`);
        }
        return this.ingester.start(folder);
    }

    async addPaths(uris: string[]): Promise<number[]> {
        const runs: number[] = [];
        for (const uri of uris) {
            const file = FileUri.fsPath(uri);
            const stat = await fs.promises.stat(file).catch(() => undefined);
            if (!stat?.isDirectory() && !(stat?.isFile() && INDEXED_EXTENSIONS.includes(path.extname(file).toLowerCase()))) {
                throw new Error(`Not a folder or a PSD, PSB, PNG or JPEG file: ${file}`);
            }
            runs.push(await this.ingester.start(file));
        }
        return runs;
    }

    async addUploadBatch(batch: string): Promise<number> {
        return this.ingester.start(await this.inbox.batchFolder(batch));
    }

    async cancel(runId: number): Promise<void> {
        this.ingester.cancel(runId);
    }

    getProgress(runId: number): Promise<IngestProgress | undefined> {
        return this.ingester.progress(runId);
    }

    setClient(client: IngestClient | undefined): void {
        this.subscription?.dispose();
        this.client = client;
        this.subscription = client && this.ingester.onProgress(progress => this.client?.onIngestProgress(progress));
    }

    dispose(): void {
        this.setClient(undefined);
    }
}
