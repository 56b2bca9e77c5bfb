import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { queryValue, spawnIndexer, until, useIndexerFolder } from '../ingest/cli-process';
import { expectWholeArchive } from '../ingest/whole-archive';

const FILES = 60;

/** Ctrl+C in `imageparser index`: a real child process interrupted with SIGINT, then the same command again. */
describe('interrupting the imageparser command', () => {
    // Seed 3 gives 60 different images (some seeds repeat one), so files and assets count alike.
    const indexing = useIndexerFolder(FILES, 3);

    it('exits 130 saying how far it got, keeps only whole assets, and the same command then indexes the rest and exits 0', async () => {
        const archive = indexing.archive('archive');
        const database = path.join(archive, 'archive.sqlite');
        const first = spawnIndexer(indexing.art, archive, 1);
        indexing.track(first);
        await until(() => (queryValue<number>(database, "SELECT count(*) FROM files WHERE state = 'indexed'") ?? 0) >= 3, 60_000, 'three files indexed');
        first.child.kill('SIGINT');
        expect(await first.exited).toBe(130);
        const summary = first.stdout.join('');
        console.log(summary.trim());
        const [, indexed] = /^(\d+) indexed, 0 failed \(cancelled\)\n$/.exec(summary) ?? [];
        expect(indexed, summary).toBeDefined();
        expect(Number(indexed)).toBeLessThan(FILES);
        expect(queryValue<string>(database, 'SELECT state FROM ingest_runs')).toBe('cancelled');
        expect(queryValue<number>(database, "SELECT count(*) FROM files WHERE state = 'indexed'")).toBe(Number(indexed));
        expectWholeArchive(database);

        const second = spawnIndexer(indexing.art, archive, 1);
        indexing.track(second);
        expect(await second.exited).toBe(0);
        expect(second.stdout.join('')).toBe(`${FILES - Number(indexed)} indexed, 0 failed\n`);
        expect(queryValue<number>(database, "SELECT count(*) FROM files WHERE state = 'indexed'")).toBe(FILES);
        expect(queryValue<number>(database, 'SELECT count(*) FROM assets')).toBe(FILES);
        expectWholeArchive(database);
    }, 120_000);
});
