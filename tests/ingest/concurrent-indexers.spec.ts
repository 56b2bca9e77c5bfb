import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { ArchiveDatabase } from '../../extensions/archive-core/src/node/store/database';
import { SqliteIngestClaims } from '../../extensions/archive-core/src/node/store/ingest-claims';
import { SqliteIngestRepository } from '../../extensions/archive-core/src/node/store/ingest-repository';
import { queryValue, spawnIndexer, until, useIndexerFolder } from './cli-process';

/**
 * Two indexers on one folder and one archive (the command-line tool twice,
 * as with the app): each claims its own files, Ctrl+C stops only the
 * process it was pressed in, and no process reports done while a file of
 * the folder is still pending.
 */
describe('two processes indexing one folder', () => {
    const indexing = useIndexerFolder(120, 5);

    it('cancels only the process that was interrupted; the other indexes every file and reports done', async () => {
        const archive = indexing.archive('archive-cancel');
        const database = path.join(archive, 'archive.sqlite');
        const first = spawnIndexer(indexing.art, archive, 1);
        indexing.track(first);
        await until(() => (queryValue<number>(database, 'SELECT count(*) FROM ingest_workers') ?? 0) === 1, 60_000, 'the first indexer to start');
        const second = spawnIndexer(indexing.art, archive, 1);
        indexing.track(second);
        await until(() => queryValue<number>(database, 'SELECT count(*) FROM ingest_workers') === 2
            && queryValue<number>(database, "SELECT count(*) FROM files WHERE state = 'indexed'")! >= 10, 60_000, 'both indexers at work');

        first.child.kill('SIGINT');
        expect(await first.exited).toBe(130);
        expect(first.stdout.join('')).toMatch(/^\d+ indexed, 0 failed \(cancelled here; another process goes on indexing this folder\)\n$/);
        expect(queryValue<string>(database, 'SELECT state FROM ingest_runs')).toBe('running');

        expect(await second.exited).toBe(0);
        expect(second.stdout.join('')).toBe('120 indexed, 0 failed\n');
        expect(queryValue<string>(database, 'SELECT state FROM ingest_runs')).toBe('done');
        expect(queryValue<number>(database, "SELECT count(*) FROM files WHERE state = 'indexed'")).toBe(120);
        expect(queryValue<number>(database, 'SELECT count(*) FROM files WHERE claimed_by IS NOT NULL')).toBe(0);
        expect(queryValue<number>(database, 'SELECT count(*) FROM ingest_workers')).toBe(0);
    });

    it('does not report done while another live process holds a file of the run, and finishes it once that process lets go', async () => {
        const archive = indexing.archive('archive-wait');
        const file = path.join(archive, 'archive.sqlite');
        // This test's own process is the other indexer: it joins the run and holds one file.
        const mine = ArchiveDatabase.open(file);
        try {
            const ingest = new SqliteIngestRepository(mine);
            const claims = new SqliteIngestClaims(mine);
            const run = ingest.startRun(indexing.art);
            const { discoverFiles } = await import('../../extensions/archive-core/src/node/ingest/file-discovery');
            const { files } = await discoverFiles(indexing.art);
            ingest.recordDiscovery(run, files);
            const worker = claims.join(run.id);
            const held = claims.claimNext(worker)!;

            const indexer = spawnIndexer(indexing.art, archive, 2);
            indexing.track(indexer);
            await until(() => queryValue<number>(file, "SELECT count(*) FROM files WHERE state = 'indexed'") === 119, 120_000, 'every other file');
            // Everything else is indexed; the held file is pending, so the indexer keeps waiting and the run keeps running.
            expect(indexer.child.exitCode).toBeNull();
            expect(queryValue<string>(file, 'SELECT state FROM files WHERE id = ?', held.id)).toBe('pending');
            expect(queryValue<string>(file, 'SELECT state FROM ingest_runs')).toBe('running');

            // This process stops (cancelled): the other one is still on the run, so it is not cancelled; the indexer takes the file over.
            expect(claims.leave(worker)).toBe('left');
            expect(await indexer.exited).toBe(0);
            expect(indexer.stdout.join('')).toBe('120 indexed, 0 failed\n');
            expect(queryValue<string>(file, 'SELECT state FROM files WHERE id = ?', held.id)).toBe('indexed');
            expect(queryValue<string>(file, 'SELECT state FROM ingest_runs')).toBe('done');
        } finally {
            mine.close();
        }
    });
});
