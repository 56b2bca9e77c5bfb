import * as path from 'path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { CliProcess, queryValue, spawnIndexer, until } from '../ingest/cli-process';
import { writeNoisePngs } from '../ingest/generated-images';
import { expectWholeArchive } from '../ingest/whole-archive';

const FILES = 60;

/** Ctrl+C in `imageparser index`: a real child process interrupted with SIGINT, then the same command again. */
describe('interrupting the imageparser command', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let art: string;
    let running: CliProcess[] = [];

    beforeAll(async () => {
        temp = makeTempFolder();
        art = path.join(temp.folder, 'art');
        // Seed 3 gives 60 different images (some seeds repeat one), so files and assets count alike.
        await writeNoisePngs(art, FILES, 256, 3);
    }, 60_000);
    afterEach(() => {
        running.forEach(each => each.child.kill('SIGKILL'));
        running = [];
    });
    afterAll(() => temp.remove());

    it('exits 130 saying how far it got, keeps only whole assets, and the same command then indexes the rest and exits 0', async () => {
        const archive = path.join(temp.folder, 'archive');
        const database = path.join(archive, 'archive.sqlite');
        const first = spawnIndexer(art, archive, 1);
        running = [first];
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

        const second = spawnIndexer(art, archive, 1);
        running = [second];
        expect(await second.exited).toBe(0);
        expect(second.stdout.join('')).toBe(`${FILES - Number(indexed)} indexed, 0 failed\n`);
        expect(queryValue<number>(database, "SELECT count(*) FROM files WHERE state = 'indexed'")).toBe(FILES);
        expect(queryValue<number>(database, 'SELECT count(*) FROM assets')).toBe(FILES);
        expectWholeArchive(database);
    }, 120_000);
});
