import { spawnSync } from 'child_process';
import * as path from 'path';

const root = path.resolve(__dirname, '../..');

/**
 * Vitest's global setup for the projects that run compiled code: tests that
 * spawn the command-line tool, parse-pool threads or phase workers run the
 * JavaScript under `extensions/*\/lib`, not the TypeScript the other tests
 * import. Compiling first (`tsc -b`, incremental: a second or two when
 * nothing changed) means a source change is what those tests see, never the
 * last build. A source that does not compile stops the run with tsc's errors.
 */
export default function compileSources(): void {
    const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
    const result = spawnSync(process.execPath, [tsc, '-b', 'tsconfig.json'], { cwd: root, encoding: 'utf8' });
    if (result.status !== 0) {
        const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim() || String(result.error ?? `exit ${result.status ?? result.signal}`);
        throw new Error(`The sources do not compile (tsc -b tsconfig.json), so tests would run stale code under extensions/*/lib:\n${output}`);
    }
}
