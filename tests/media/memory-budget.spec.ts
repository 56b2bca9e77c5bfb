import * as fs from 'fs';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerThreadParsePool } from '../../extensions/archive-core/src/node/ingest/parse-pool';
import { MemoryBudgetRefusal, MemoryLease, SemaphoreMemoryBudget } from '../../extensions/archive-core/src/node/memory/memory-budget';
import { WorkerThreadRenderPool } from '../../extensions/archive-core/src/node/media/render-pool';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { writeSolidPsd } from '../fixtures/solid-psd';

const MiB = 1024 * 1024;

/** The real budget, remembering the most it ever lent at once. */
class WatchedBudget extends SemaphoreMemoryBudget {
    peak = 0;
    protected override lease(bytes: number, charge: number): MemoryLease {
        const lease = super.lease(bytes, charge);
        this.peak = Math.max(this.peak, this.usedBytes);
        return lease;
    }
}

describe('the memory budget', () => {
    it('lends in order, runs a task bigger than the budget alone, and refuses one over the hard cap', async () => {
        const budget = new SemaphoreMemoryBudget(100 * MiB);
        const first = await budget.acquire(60 * MiB);
        const order: string[] = [];
        const big = budget.acquire(150 * MiB).then(lease => (order.push('big'), lease));
        const small = budget.acquire(10 * MiB).then(lease => (order.push('small'), lease));
        // Every promise callback the budget queued has run once the event loop turns (no timer is involved).
        await new Promise(resolve => setImmediate(resolve));
        // The big one waits for everything to be given back; the small one waits its turn behind it.
        expect(order).toEqual([]);
        first.release();
        const alone = await big;
        expect(order).toEqual(['big']);
        expect(budget.usedBytes).toBe(100 * MiB);
        alone.release();
        (await small).release();
        expect(order).toEqual(['big', 'small']);
        expect(budget.usedBytes).toBe(0);
        await expect(budget.acquire(201 * MiB)).rejects.toThrow(MemoryBudgetRefusal);
        await expect(budget.acquire(201 * MiB)).rejects.toThrow(/needs about 201 MiB of memory, more than ImageParser allows one file \(200 MiB/);
    });

    it('serves what a user waits for before indexing, and forgets a wait that was given up', async () => {
        const budget = new SemaphoreMemoryBudget(100 * MiB);
        const held = await budget.acquire(100 * MiB);
        const order: string[] = [];
        const background = budget.acquire(50 * MiB, 'background').then(lease => (order.push('background'), lease));
        const gone = new AbortController();
        const abandoned = budget.acquire(50 * MiB, 'interactive', gone.signal);
        const interactive = budget.acquire(50 * MiB, 'interactive').then(lease => (order.push('interactive'), lease));
        gone.abort(new Error('gone'));
        await expect(abandoned).rejects.toThrow('gone');
        held.release();
        (await interactive).release();
        (await background).release();
        expect(order).toEqual(['interactive', 'background']);
        expect(budget.usedBytes).toBe(0);
    });

    describe('shared by parse threads and render lanes', () => {
        let temp: ReturnType<typeof makeTempFolder>;
        const files: string[] = [];

        beforeAll(() => {
            temp = makeTempFolder();
            for (let i = 0; i < 4; i++) {
                const file = path.join(temp.folder, `big-${i}.psd`);
                writeSolidPsd(file, { width: 4000, height: 4000, composite: [[i * 40, 100, 200], [250, 250, 250]], hasRealMergedData: true });
                files.push(file);
            }
        });

        afterAll(() => temp.remove());

        it('runs files estimated over the budget one at a time, and gets every byte back, also from a task stopped by its time limit', async () => {
            // 4000 x 4000 RGB decodes to 48 MB: more than this budget, less than twice it.
            const budget = new WatchedBudget(40 * MiB);
            const pool = new WorkerThreadParsePool({ threads: 4, budget });
            try {
                const outcomes = await Promise.all(files.map(file => pool.parse(file)));
                expect(outcomes.map(outcome => outcome.ok)).toEqual([true, true, true, true]);
                expect(budget.peak).toBe(40 * MiB);
                expect(budget.usedBytes).toBe(0);
            } finally {
                await pool.destroy();
            }
            const hurried = new WorkerThreadParsePool({ threads: 2, budget, timeoutMs: 1 });
            try {
                const outcome = await hurried.parse(files[0]);
                expect(outcome).toMatchObject({ ok: false, error: { code: 'timeout' } });
                expect(budget.usedBytes).toBe(0);
            } finally {
                await hurried.destroy();
            }
        });

        it('counts the layers a render thread keeps, and has it drop them as soon as another task waits for memory', async () => {
            const budget = new SemaphoreMemoryBudget(64 * MiB);
            const lanes = new WorkerThreadRenderPool({ budget, keepLayersMs: 600_000 });
            const file = path.join(temp.folder, 'kept.psd');
            writeSolidPsd(file, { width: 1500, height: 1500, composite: [[9, 9, 9]], hasRealMergedData: true, records: [{ kind: 'pixel', name: 'paint', stripes: [[9, 9, 9]] }] });
            try {
                const limits = { maxPixels: 1e9, maxDecodeBytes: 1e9 };
                expect((await lanes.run({ op: 'layers', file, asset: 'kept', visibility: {}, maxSize: 256, limits })).ok).toBe(true);
                // 1500 x 1500 RGBA layer pixels stay with the thread, and in the budget.
                expect(budget.usedBytes).toBeGreaterThanOrEqual(1500 * 1500 * 4);
                const everything = await budget.acquire(64 * MiB);
                expect(budget.usedBytes).toBe(64 * MiB);
                everything.release();
            } finally {
                await lanes.destroy();
            }
            expect(budget.usedBytes).toBe(0);
        });

        it('refuses a file over the hard cap with a clear reason, in indexing and in the viewer', async () => {
            const budget = new SemaphoreMemoryBudget(16 * MiB);
            const pool = new WorkerThreadParsePool({ threads: 1, budget });
            const lanes = new WorkerThreadRenderPool({ budget });
            try {
                const parsed = await pool.parse(files[1]);
                expect(parsed).toMatchObject({ ok: false, error: { code: 'too-large' } });
                expect(!parsed.ok && parsed.error.message).toMatch(/^Decoding this file needs about [\d.]+ MiB of memory, more than ImageParser allows one file \(32 MiB/);
                const limits = { maxPixels: 1e9, maxDecodeBytes: 1e9 };
                const pyramid = await lanes.run({ op: 'pyramid', file: files[1], kind: 'psd', folder: path.join(temp.folder, 'tiles'), temp: path.join(temp.folder, 'tiles.tmp'), limits });
                expect(pyramid).toMatchObject({ ok: false, error: { code: 'too-large' } });
                expect(fs.existsSync(path.join(temp.folder, 'tiles'))).toBe(false);
                expect(budget.usedBytes).toBe(0);
            } finally {
                await pool.destroy();
                await lanes.destroy();
            }
        });
    });
});
