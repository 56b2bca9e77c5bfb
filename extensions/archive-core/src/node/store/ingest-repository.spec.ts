import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempFolder } from '../test/archive-test-container';
import { ArchiveDatabase } from './database';
import { SqliteIngestRepository } from './ingest-repository';

/** The ingest tables over a real archive file: which files a run takes up again. */
describe('the ingest repository', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let database: ArchiveDatabase;
    let repository: SqliteIngestRepository;

    beforeEach(() => {
        temp = makeTempFolder();
        database = ArchiveDatabase.open(`${temp.folder}/archive.sqlite`);
        repository = new SqliteIngestRepository(database);
    });
    afterEach(() => {
        database.close();
        temp.remove();
    });

    it('takes up unchanged files again when they failed for a cause that can pass, and leaves bad files failed', () => {
        const codes = ['disk-full', 'unreadable', 'timeout', 'out-of-memory', 'too-many-open-files', 'internal', 'corrupt', 'truncated', 'unsupported-format', 'too-large', 'empty'];
        const files = codes.map((code, i) => ({ path: `/art/${code}.png`, size: 100 + i, mtimeMs: 5000 + i }));
        const first = repository.startRun('/art');
        repository.recordDiscovery(first, files);
        for (const file of repository.pendingFiles(first.id, 100, new Set())) {
            repository.failFile(file.id, file.path.slice(5, -4), 'failed');
        }
        repository.finishRun(first.id, 'done');

        const second = repository.startRun('/art');
        repository.recordDiscovery(second, files);
        expect(repository.pendingFiles(second.id, 100, new Set()).map(file => file.path.slice(5, -4)).sort())
            .toEqual(['disk-full', 'internal', 'out-of-memory', 'timeout', 'too-many-open-files', 'unreadable']);
    });
});
