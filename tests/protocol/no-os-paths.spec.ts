import * as fs from 'fs';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Container } from '@theia/core/shared/inversify';
import { ArchiveService } from '../../extensions/archive-core/src/common/archive-protocol';
import { HttpSafety } from '../../extensions/archive-core/src/common/http-safety-protocol';
import { LocalPathPolicy } from '../../extensions/archive-core/src/node/files/local-path-policy';
import { IngestProgress } from '../../extensions/archive-core/src/common/ingest-protocol';
import { SearchService } from '../../extensions/archive-core/src/common/search-protocol';
import { AssetDetailsService } from '../../extensions/archive-core/src/common/asset-details-protocol';
import { FileProblemService } from '../../extensions/archive-core/src/common/file-problem-protocol';
import { UploadRoutes } from '../../extensions/archive-core/src/common/upload-protocol';
import { UploadEndpoint } from '../../extensions/archive-core/src/node/http/upload-endpoint';
import { IngestServiceImpl } from '../../extensions/archive-core/src/node/ingest/ingest-service-impl';
import { ArchiveIngester } from '../../extensions/archive-core/src/node/ingest/archive-ingester';
import { PhaseServiceImpl } from '../../extensions/archive-core/src/node/jobs/phase-service-impl';
import { DefaultUploadInbox, UploadInbox } from '../../extensions/archive-core/src/node/upload/upload-inbox';
import { createArchiveTestContainer, disposeArchiveTestContainer, makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { startTestHttpApp, TestHttpApp } from '../../extensions/archive-core/src/node/test/http-test-app';
import { writeNoisePngs } from '../ingest/generated-images';

/** Every string in a JSON answer, with where it was found (`hits[0].location.root`). */
function stringsOf(value: unknown, where: string, found: [string, string][] = []): [string, string][] {
    if (typeof value === 'string') {
        found.push([where, value]);
    } else if (Array.isArray(value)) {
        value.forEach((item, index) => stringsOf(item, `${where}[${index}]`, found));
    } else if (value && typeof value === 'object') {
        for (const [key, item] of Object.entries(value)) {
            stringsOf(item, `${where}.${key}`, found);
        }
    }
    return found;
}

/**
 * The protocol answers of a real backend (search, asset details and
 * versions, file problems, phase failures, ingest progress as a client hears
 * it, the upload answer, the archive's status) over a real indexed archive,
 * as a team deployment answers them: none carries an OS path. The archive's images lie under a folder whose name is unusual
 * enough (`above-작업-<random>`) that any piece of a path above the added
 * folder would show; only the folder's own name and the paths below it may.
 */
describe('protocol answers carry no OS paths', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let images: string;
    let archive: string;
    let container: Container;
    let app: TestHttpApp;
    const answers: [string, unknown][] = [];
    const heard: IngestProgress[] = [];

    beforeAll(async () => {
        temp = makeTempFolder('imageparser-paths-');
        images = path.join(temp.folder, `above-작업-${path.basename(temp.folder).slice(-6)}`, 'Art');
        archive = path.join(temp.folder, 'archive');
        await writeNoisePngs(path.join(images, 'chars'), 2, 32, 5, 'hero');
        await writeNoisePngs(images, 1, 32, 9, 'cover');
        fs.writeFileSync(path.join(images, 'chars', 'broken.psd'), 'not a photoshop document, only words');
        container = createArchiveTestContainer(archive, { threads: 1 });
        container.bind(DefaultUploadInbox).toSelf().inSingletonScope();
        container.bind(UploadInbox).toService(DefaultUploadInbox);
        container.bind(UploadEndpoint).toSelf().inSingletonScope();
        container.bind(IngestServiceImpl).toSelf();
        // A team deployment: the backend listens on a network address, so it tells no paths.
        container.bind(LocalPathPolicy).toConstantValue({ allowsLocalPaths: () => false });
        app = await startTestHttpApp(container, [UploadEndpoint]);

        const ingest = container.get(IngestServiceImpl);
        ingest.setClient({ onIngestProgress: progress => heard.push(progress) });
        const ingester = container.get<ArchiveIngester>(ArchiveIngester);
        const folderRun = await ingest.addFolder(`file://${images}`);
        answers.push(['ingest.finished(folder)', await ingester.finished(folderRun)]);
        answers.push(['ingest.getProgress(folder)', await ingest.getProgress(folderRun)]);

        // A browser's drop: the file goes into the archive's inbox, then the batch is indexed.
        const png = fs.readFileSync(path.join(images, 'cover-0.png'));
        const upload = await fetch(`${app.base}${UploadRoutes.url('drop-1', 'scans/uploaded.png')}`, {
            method: 'POST', body: new Uint8Array(png),
            headers: { cookie: await app.cookie(), 'content-type': 'application/octet-stream', ...HttpSafety.requestHeaders() }
        });
        expect(upload.status).toBe(201);
        answers.push(['upload answer', await upload.json()]);
        const uploadRun = await ingest.addUploadBatch('drop-1');
        answers.push(['ingest.finished(upload)', await ingester.finished(uploadRun)]);
        ingest.dispose();

        const search = container.get<SearchService>(SearchService);
        const details = container.get<AssetDetailsService>(AssetDetailsService);
        const hits = [];
        // A browse, a name, a folder below the root, and a folder above it (found through the index, never shown).
        for (const text of ['', 'hero', 'path:chars', `path:${path.basename(path.dirname(images))}`]) {
            const result = await search.search({ text, limit: 50 });
            answers.push([`search(${JSON.stringify(text)})`, result]);
            hits.push(...result.hits);
        }
        for (const assetId of new Set(hits.map(hit => hit.assetId))) {
            answers.push([`details(${assetId})`, await details.details(assetId)]);
            answers.push([`versions(${assetId})`, await details.versions(assetId)]);
        }
        const problems = container.get<FileProblemService>(FileProblemService);
        answers.push(['archive.getStatus()', await container.get<ArchiveService>(ArchiveService).getStatus()]);
        answers.push(['problems.summary()', await problems.summary()]);
        answers.push(['problems.list()', await problems.list({})]);
        answers.push(['phases.failures(parse)', await container.get(PhaseServiceImpl).failures('parse', 100)]);
        heard.forEach((progress, index) => answers.push([`onIngestProgress #${index}`, progress]));
    }, 120_000);

    afterAll(async () => {
        await app?.close();
        await disposeArchiveTestContainer(container);
        temp.remove();
    });

    it('indexed the images, the broken file and the upload, and heard their progress', () => {
        const finished = answers.filter(([name]) => name.startsWith('ingest.finished')).map(([, progress]) => progress);
        expect(finished).toMatchObject([{ state: 'done', indexed: 3, failed: 1 }, { state: 'done', indexed: 1, failed: 0 }]);
        expect(heard.length).toBeGreaterThan(2);
        const searched = answers.filter(([name]) => name.startsWith('search(')).map(([, result]) => (result as { total: number }).total);
        // Browse: 3 contents (the upload is a copy of the cover); hero: 2; chars: 2; the folder above the root: all 3 of it.
        expect(searched).toEqual([3, 2, 2, 3]);
        expect(answers.filter(([name]) => name.startsWith('details(')).length).toBe(3);
    });

    it('never carries the path of the image folder, the archive or any folder above them, in any string of any answer', () => {
        const forbidden = [temp.folder, images, archive, path.basename(temp.folder), path.basename(path.dirname(images))];
        const leaks: string[] = [];
        let strings = 0;
        for (const [name, answer] of answers) {
            for (const [where, text] of stringsOf(JSON.parse(JSON.stringify(answer ?? null)), name)) {
                strings++;
                if (forbidden.some(bad => text.includes(bad))) {
                    leaks.push(`${where}: ${text}`);
                }
            }
        }
        expect(strings).toBeGreaterThan(100);
        expect(leaks).toEqual([]);
    });

    it('names files by the added folder\'s name and the path below it', () => {
        const strings = answers.flatMap(([name, answer]) => stringsOf(JSON.parse(JSON.stringify(answer ?? null)), name).map(([, text]) => text));
        expect(strings).toContain('Art');
        expect(strings).toContain('chars/hero-0.png');
        expect(strings).toContain('chars/broken.psd');
        // The upload batch is shown by its own name, as a folder the user added.
        expect(strings).toContain('drop-1');
        expect(strings).toContain('scans/uploaded.png');
    });
});
