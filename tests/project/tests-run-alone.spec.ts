import { spawnSync } from 'child_process';
import * as path from 'path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');

/** Runs one test of one file on its own, as a developer does with `-t`, and answers vitest's summary line. */
function runAlone(file: string, name: string): { status: number | null; output: string } {
    const result = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--project', 'unit', file, '-t', name], {
        cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' }, timeout: 240_000
    });
    return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

/**
 * Tests that set themselves up in earlier tests pass in the suite and fail,
 * or pass without asserting anything, when run alone: the blend-mode test
 * once compared nothing when run by itself. Each test named here must pass
 * alone, and compare what it says it compares.
 */
describe('tests that stand alone', () => {
    it('the blend-mode test compares its corpus samples when run by itself', () => {
        const { status, output } = runAlone('packages/psd/src/layer-compositor.spec.ts', 'draws the blend modes it knows');
        expect(output, output).toMatch(/Tests\s+1 passed/);
        expect(output, output).toMatch(/blend modes vs Photoshop \(MAE\/255\): (?:[^;]+; ){29}[^;]+\n/);
        expect(status, output).toBe(0);
    }, 300_000);
});
