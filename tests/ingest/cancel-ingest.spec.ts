import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Container } from '@theia/core/shared/inversify';
import { FileUri } from '@theia/core/lib/common/file-uri';
import { IngestProgress, IngestService } from '../../extensions/archive-core/src/common/ingest-protocol';
import { DEFAULT_MAX_UPLOAD_BYTES, HttpSafetyOptions } from '../../extensions/archive-core/src/node/http/http-safety-options';
import { ArchiveIngester } from '../../extensions/archive-core/src/node/ingest/archive-ingester';
import { IngestServiceImpl } from '../../extensions/archive-core/src/node/ingest/ingest-service-impl';
import { createArchiveTestContainer, disposeArchiveTestContainer, makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { DefaultUploadInbox, UploadInbox } from '../../extensions/archive-core/src/node/upload/upload-inbox';
import { queryValue, until } from './cli-process';
import { writeNoisePngs } from './generated-images';
import { expectWholeArchive } from './whole-archive';

const FILES = 60;

/**
 * Cancelling a run as the app's Cancel button does: through the frontend's
 * IngestService, with a client receiving progress. The run stops, says
 * cancelled, leaves nothing half-written, and adding the folder again
 * indexes exactly the files that were left.
 */
describe('cancelling an ingest through the IngestService', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let art: string;
    let database: string;
    let container: Container;
    let service: IngestService;
    const progress: IngestProgress[] = [];

    beforeAll(async () => {
        temp = makeTempFolder();
        art = path.join(temp.folder, 'art');
        await writeNoisePngs(art, FILES, 256, 3);
        const archive = path.join(temp.folder, 'archive');
        database = path.join(archive, 'archive.sqlite');
        container = createArchiveTestContainer(archive, { threads: 1 });
        container.bind(HttpSafetyOptions).toConstantValue({ allowedHosts: [], maxUploadBytes: DEFAULT_MAX_UPLOAD_BYTES });
        container.bind(DefaultUploadInbox).toSelf().inSingletonScope();
        container.bind(UploadInbox).toService(DefaultUploadInbox);
        container.bind(IngestServiceImpl).toSelf();
        service = container.get(IngestServiceImpl);
        service.setClient({ onIngestProgress: each => progress.push(each) });
    }, 60_000);

    afterAll(async () => {
        service.setClient(undefined);
        await disposeArchiveTestContainer(container);
        temp.remove();
    });

    it('stops the run, reports it cancelled, keeps only whole assets, and a later run indexes the rest', async () => {
        const ingester = container.get<ArchiveIngester>(ArchiveIngester);
        const runId = await service.addFolder(FileUri.create(art).toString());
        await until(() => progress.some(each => each.runId === runId && each.indexed >= 3), 60_000, 'three files indexed');
        await service.cancel(runId);
        const cancelled = await ingester.finished(runId);
        console.log(`cancelled after ${cancelled.indexed} of ${FILES} files`);

        expect(cancelled.state).toBe('cancelled');
        expect(cancelled.failed).toBe(0);
        expect(cancelled.indexed).toBeGreaterThanOrEqual(3);
        expect(cancelled.indexed).toBeLessThan(FILES);
        expect((await service.getProgress(runId))).toMatchObject({ state: 'cancelled', indexed: cancelled.indexed });
        // The client heard the end, and nothing of the run after it.
        const heard = progress.filter(each => each.runId === runId);
        expect(heard.at(-1)).toMatchObject({ state: 'cancelled', indexed: cancelled.indexed });
        expect(queryValue<string>(database, 'SELECT state FROM ingest_runs WHERE id = ?', runId)).toBe('cancelled');
        expect(queryValue<number>(database, "SELECT count(*) FROM files WHERE state = 'indexed'")).toBe(cancelled.indexed);
        expect(queryValue<number>(database, 'SELECT count(*) FROM assets')).toBe(cancelled.indexed);
        expectWholeArchive(database);

        const again = await service.addFolder(FileUri.create(art).toString());
        const finished = await ingester.finished(again);
        expect(finished.state).toBe('done');
        expect(finished.indexed + cancelled.indexed).toBe(FILES);
        expect(finished.failed).toBe(0);
        expect(queryValue<number>(database, "SELECT count(*) FROM files WHERE state = 'indexed'")).toBe(FILES);
        expect(queryValue<number>(database, "SELECT count(*) FROM files WHERE state <> 'indexed'")).toBe(0);
        expect(queryValue<number>(database, 'SELECT count(*) FROM assets')).toBe(FILES);
        expectWholeArchive(database);
    }, 120_000);

    it('ignores a cancel of a run that has ended or never was', async () => {
        const runs = queryValue<number>(database, 'SELECT count(*) FROM ingest_runs');
        await service.cancel(1);
        await service.cancel(987_654);
        expect(queryValue<number>(database, 'SELECT count(*) FROM ingest_runs')).toBe(runs);
        expect(queryValue<string>(database, 'SELECT state FROM ingest_runs WHERE id = 1')).toBe('cancelled');
        expect(await service.getProgress(987_654)).toBeUndefined();
    });
});
