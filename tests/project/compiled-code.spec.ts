import { spawnSync } from 'child_process';
import * as path from 'path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');

/**
 * Tests that spawn the command-line tool or worker threads run the compiled
 * JavaScript under `extensions/*\/lib`: the unit project's global setup
 * (`tests/setup/compile-sources.ts`) builds it first, so no test sees code
 * older than its source. tsc's own up-to-date check says whether it did.
 */
describe('the compiled code the tests run', () => {
    it('is up to date with every source when the tests run (tsc -b --dry would build nothing)', () => {
        const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
        const result = spawnSync(process.execPath, [tsc, '-b', 'tsconfig.json', '--dry', '--verbose'], { cwd: root, encoding: 'utf8' });
        expect(result.status, result.stderr).toBe(0);
        const stale = result.stdout.split('\n').filter(line => /would (build|update)/i.test(line));
        expect(stale, result.stdout).toEqual([]);
    });
});
