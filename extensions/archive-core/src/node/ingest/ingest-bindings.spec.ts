import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Container } from '@theia/core/shared/inversify';
import { FileUri } from '@theia/core/lib/common/file-uri';
import { INGEST_SERVICE_PATH, IngestClient, IngestProgress, IngestService } from '../../common/ingest-protocol';
import { DEFAULT_MAX_UPLOAD_BYTES, HttpSafetyOptions } from '../http/http-safety-options';
import { createArchiveTestContainer, disposeArchiveTestContainer, makeTempFolder } from '../test/archive-test-container';
import { connectTestFrontend } from '../test/test-frontend-connection';
import { DefaultUploadInbox, UploadInbox } from '../upload/upload-inbox';
import { ArchiveIngester } from './archive-ingester';

/** A window's end of the ingest service: the progress notices it received, in order. */
class ProgressLog implements IngestClient {
    readonly notices: IngestProgress[] = [];
    onIngestProgress(progress: IngestProgress): void {
        this.notices.push(progress);
    }
    finished(runId: number): IngestProgress | undefined {
        return this.notices.find(progress => progress.runId === runId && progress.state === 'done');
    }
}

/**
 * Two browser windows on one backend, connected through Theia's messaging
 * service and RPC: each connection has its own ingest service, both fronts
 * of the one ingester, so each window follows every run.
 */
describe('the ingest service of each frontend connection', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let container: Container;
    let art: string;

    beforeEach(async () => {
        temp = makeTempFolder();
        art = path.join(temp.folder, 'art');
        fs.mkdirSync(art);
        await sharp({ create: { width: 40, height: 30, channels: 3, background: '#3366aa' } }).png().toFile(path.join(art, 'sky.png'));
        container = createArchiveTestContainer(path.join(temp.folder, 'archive'), { threads: 1 });
        // The upload inbox the ingest service takes batches from (bound with the HTTP routes in the backend).
        container.bind(HttpSafetyOptions).toConstantValue({ allowedHosts: [], maxUploadBytes: DEFAULT_MAX_UPLOAD_BYTES });
        container.bind(DefaultUploadInbox).toSelf().inSingletonScope();
        container.bind(UploadInbox).toService(DefaultUploadInbox);
    });

    afterEach(async () => {
        await disposeArchiveTestContainer(container);
        temp.remove();
    });

    it('tells both windows the progress of a run one of them started, each through its own service over the one ingester', async () => {
        const first = connectTestFrontend(container);
        const second = connectTestFrontend(container);
        const firstService = first.container.get<IngestService>(IngestService);
        expect(first.container.get<IngestService>(IngestService)).toBe(firstService);
        expect(second.container.get<IngestService>(IngestService)).not.toBe(firstService);
        expect(second.container.get<ArchiveIngester>(ArchiveIngester)).toBe(first.container.get<ArchiveIngester>(ArchiveIngester));

        const firstLog = new ProgressLog();
        const secondLog = new ProgressLog();
        const firstWindow = first.proxy<IngestService>(INGEST_SERVICE_PATH, firstLog);
        const secondWindow = second.proxy<IngestService>(INGEST_SERVICE_PATH, secondLog);
        // The second window's channel is open (its first call answered) before the first window starts the run.
        expect(await secondWindow.getProgress(12_345)).toBeUndefined();

        const runId = await firstWindow.addFolder(FileUri.create(art).toString());
        await expect.poll(() => secondLog.finished(runId), { timeout: 30_000 }).toMatchObject({ total: 1, indexed: 1, failed: 0 });
        await expect.poll(() => firstLog.finished(runId), { timeout: 30_000 }).toMatchObject({ total: 1, indexed: 1, failed: 0 });
        expect(await secondWindow.getProgress(runId)).toMatchObject({ runId, state: 'done', indexed: 1 });

        // Once the first window is gone, the second still follows runs, and the first hears of none.
        await first.close();
        const heardBefore = firstLog.notices.length;
        await sharp({ create: { width: 20, height: 20, channels: 3, background: '#aa3366' } }).png().toFile(path.join(art, 'dusk.png'));
        const [nextRun] = await secondWindow.addPaths([FileUri.create(path.join(art, 'dusk.png')).toString()]);
        await expect.poll(() => secondLog.finished(nextRun), { timeout: 30_000 }).toMatchObject({ indexed: 1 });
        expect(firstLog.notices).toHaveLength(heardBefore);
        await second.close();
    });
});
