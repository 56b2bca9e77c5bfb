import * as fs from 'fs';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { queryValue, spawnIndexer, until } from './cli-process';
import { writeNoisePngs } from './generated-images';

/**
 * The first run after a crash looks at the folder again: a file added while
 * the indexer was down is indexed by the resumed run, not skipped because
 * the killed run had already listed the folder.
 */
describe('resuming a killed run', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let art: string;
    let archive: string;
    let database: string;

    beforeAll(async () => {
        temp = makeTempFolder();
        art = path.join(temp.folder, 'art');
        archive = path.join(temp.folder, 'archive');
        database = path.join(archive, 'archive.sqlite');
        await writeNoisePngs(art, 40, 256, 11);
    }, 60_000);
    afterAll(() => temp.remove());

    it('discovers again, so files added after the crash are indexed and the run reports them', async () => {
        const killed = spawnIndexer(art, archive, 1);
        await until(() => (queryValue<number>(database, "SELECT count(*) FROM files WHERE state = 'pending'") ?? 0) > 0, 60_000, 'the run to list the folder');
        killed.child.kill('SIGKILL');
        expect(await killed.exited).toBe('SIGKILL');
        expect(queryValue<string>(database, 'SELECT state FROM ingest_runs')).toBe('running');
        expect(queryValue<number>(database, 'SELECT discovered FROM ingest_runs')).toBe(1);

        // While it was down: a new file, and one file changed.
        const [late] = await writeNoisePngs(path.join(art, 'later'), 1, 64, 99, 'late');
        await writeNoisePngs(art, 1, 200, 1234, 'noise');

        const resumed = spawnIndexer(art, archive, 2);
        expect(await resumed.exited).toBe(0);
        expect(resumed.stdout.join('')).toMatch(/^\d+ indexed, 0 failed\n$/);
        expect(queryValue<number>(database, 'SELECT count(*) FROM ingest_runs')).toBe(1);
        expect(queryValue<string>(database, 'SELECT state FROM ingest_runs')).toBe('done');
        expect(queryValue<string>(database, 'SELECT state FROM files WHERE path = ?', late)).toBe('indexed');
        expect(queryValue<number>(database, "SELECT count(*) FROM files WHERE state = 'indexed'")).toBe(41);
        // The changed file holds its new content.
        const changed = path.join(art, 'noise-0.png');
        expect(queryValue<number>(database, 'SELECT size FROM files WHERE path = ?', changed)).toBe(fs.statSync(changed).size);
        expect(queryValue<number>(database, "SELECT count(*) FROM files WHERE state = 'pending'")).toBe(0);
    });
});
