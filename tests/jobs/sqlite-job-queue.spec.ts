import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Database } from 'better-sqlite3';
import type { ClaimedJob } from '../../extensions/archive-core/src/common/job-protocol';
import type { SqliteJobQueueOptions } from '../../extensions/archive-core/src/node/jobs/sqlite-job-queue';
import { describeJobQueueContract } from './job-queue-contract';
import { openJobArchive, openShiftedQueue, ShiftedClockJobQueue } from './job-test-archive';
import { spawnLeaseHolder } from './lease-holder';
import { ArchiveDatabase } from '../../extensions/archive-core/src/node/store/database';

describeJobQueueContract('SQLite (the archive file)', async options => {
    const archive = openJobArchive(40);
    let database = archive.database;
    let queue = new ShiftedClockJobQueue(database, options);
    const rows = () => database.writer.prepare('SELECT * FROM phase_jobs ORDER BY id').all();
    return {
        get queue() {
            return queue;
        },
        assets: archive.assets,
        advanceClock: async ms => { queue.shiftMs += ms; },
        snapshot: async () => rows(),
        failures: async phase => queue.failures(phase).map(({ assetId, code, message }) => ({ assetId, code, message })),
        spawnWorker: phase => spawnLeaseHolder(['sqlite', archive.file, phase, JSON.stringify(options)]),
        restart: async () => {
            // The server process ends and a new one opens the archive file again, on the same (moved) clock.
            const shiftMs = queue.shiftMs;
            database.close();
            database = ArchiveDatabase.open(archive.file);
            queue = new ShiftedClockJobQueue(database, options);
            queue.shiftMs = shiftMs;
            return queue;
        },
        dispose: async () => {
            database.close();
            archive.dispose();
        }
    };
});

describe('SqliteJobQueue', () => {
    let archive: ReturnType<typeof openShiftedQueue> | undefined;
    afterEach(() => {
        archive?.dispose();
        archive = undefined;
    });
    const open = (options: SqliteJobQueueOptions = {}) => archive = openShiftedQueue({ leaseMs: 30_000, maxAttempts: 3, backoffBaseMs: 1_000, ...options });
    const phaseState = (db: Database, assetId: number) =>
        db.prepare("SELECT state FROM phase_states WHERE asset_id = ? AND phase = 'ocr'").pluck().get(assetId) as string | undefined;

    it('writes the result, the phase state and the next phase\'s job in the transaction that completes the job', async () => {
        const calls: ClaimedJob[] = [];
        const { queue, assets, database } = open({
            onComplete: (db, job, result) => {
                calls.push(job);
                db.prepare("INSERT INTO phase_states (asset_id, phase, state, model, content_hash, updated_at) VALUES (?, 'ocr', 'done', ?, ?, ?)")
                    .run(job.assetId, job.model, job.contentHash, JSON.stringify(result));
                queue.enqueueIn(db, [{ assetId: job.assetId, phase: 'caption', model: 'blip', contentHash: job.contentHash }]);
            }
        });
        await queue.enqueue([{ assetId: assets[0], phase: 'ocr', model: 'kor+eng', contentHash: 'content-1' }]);
        const [claimed] = await queue.claim(['ocr'], 1, 'worker-a');
        expect(await queue.complete(claimed.leaseToken, { text: '안녕' })).toBe('done');
        expect(await queue.complete(claimed.leaseToken, { text: '안녕' })).toBe('already-done');
        expect(calls).toEqual([claimed]);
        expect(phaseState(database.writer, assets[0])).toBe('done');
        expect(await queue.counts('caption')).toEqual({ queued: 1, leased: 0, done: 0, failed: 0 });
    });

    it('rolls everything back when the completion hook throws: the job stays leased to its holder', async () => {
        let broken = true;
        const { queue, assets, database } = open({
            onComplete: (db, job) => {
                db.prepare("INSERT INTO phase_states (asset_id, phase, state, model, content_hash, updated_at) VALUES (?, 'ocr', 'done', ?, ?, 'now')")
                    .run(job.assetId, job.model, job.contentHash);
                queue.enqueueIn(db, [{ assetId: job.assetId, phase: 'caption', model: '', contentHash: job.contentHash }]);
                if (broken) {
                    throw new Error('disk full');
                }
            }
        });
        await queue.enqueue([{ assetId: assets[0], phase: 'ocr', model: '', contentHash: 'content-1' }]);
        const [claimed] = await queue.claim(['ocr'], 1, 'worker-a');
        await expect(queue.complete(claimed.leaseToken, {})).rejects.toThrow('disk full');
        expect(phaseState(database.writer, assets[0])).toBeUndefined();
        expect(await queue.counts('caption')).toEqual({ queued: 0, leased: 0, done: 0, failed: 0 });
        expect(await queue.counts('ocr')).toEqual({ queued: 0, leased: 1, done: 0, failed: 0 });
        broken = false;
        expect(await queue.complete(claimed.leaseToken, {})).toBe('done');
        expect(phaseState(database.writer, assets[0])).toBe('done');
    });

    it('runs the failure hook in the failing transaction, telling a final failure from a retry', async () => {
        const seen: [number, string, boolean][] = [];
        const { queue, assets } = open({ onFail: (_db, job, error, final) => seen.push([job.attempt, error.code, final]) });
        await queue.enqueue([{ assetId: assets[0], phase: 'ocr', model: '', contentHash: 'content-1' }]);
        for (let i = 0; i < 3; i++) {
            queue.shiftMs += 60_000;
            const [claimed] = await queue.claim(['ocr'], 1, 'worker-a');
            await queue.fail(claimed.leaseToken, { code: 'timeout', message: 'took too long' }, true);
        }
        expect(seen).toEqual([[0, 'timeout', false], [1, 'timeout', false], [2, 'timeout', true]]);
    });

    it('lists failures with their reasons and queues them again with a fresh attempt budget', async () => {
        const { queue, assets, database } = open();
        database.write(db => db.prepare("INSERT INTO files (path, size, mtime_ms, asset_id, state, updated_at) VALUES ('/art/broken.png', 1, 0, ?, 'indexed', 'now')").run(assets[0]));
        await queue.enqueue(assets.slice(0, 3).map(assetId => ({ assetId, phase: 'ocr', model: '', contentHash: `content-${assetId}` })));
        for (const claimed of await queue.claim(['ocr'], 3, 'worker-a')) {
            await queue.fail(claimed.leaseToken, { code: 'decode-failed', message: `asset ${claimed.assetId} is truncated` }, false);
        }
        const failures = queue.failures('ocr');
        expect(failures).toHaveLength(3);
        expect(failures.find(failure => failure.assetId === assets[0])).toMatchObject({ location: { root: 'art', relativePath: 'broken.png' }, code: 'decode-failed', message: `asset ${assets[0]} is truncated`, attempts: 1 });
        expect(Date.parse(failures[0].at)).not.toBeNaN();

        // A newer job of one pair supersedes its failure; retrying queues the other two.
        expect(await queue.enqueue([{ assetId: assets[2], phase: 'ocr', model: 'v2', contentHash: 'content-3' }])).toBe(1);
        expect(queue.retryFailed('ocr', [assets[0]])).toBe(1);
        expect(queue.retryFailed('ocr')).toBe(1);
        expect(queue.retryFailed('ocr')).toBe(0);
        expect(queue.failures('ocr')).toEqual([]);
        expect(await queue.counts('ocr')).toEqual({ queued: 3, leased: 0, done: 0, failed: 0 });
        expect((await queue.claim(['ocr'], 3, 'worker-b')).map(job => job.attempt)).toEqual([0, 0, 0]);
    });

    it('reports the queue lag and the jobs done in the last minute from the store', async () => {
        const { queue, assets } = open();
        expect(queue.stats('ocr')).toEqual({ counts: { queued: 0, leased: 0, done: 0, failed: 0 }, doneInWindow: 0, windowSeconds: 60 });
        await queue.enqueue(assets.slice(0, 4).map(assetId => ({ assetId, phase: 'ocr', model: '', contentHash: `content-${assetId}` })));
        queue.shiftMs += 90_000;
        for (const claimed of await queue.claim(['ocr'], 2, 'worker-a')) {
            await queue.complete(claimed.leaseToken, {});
        }
        queue.shiftMs += 30_000;
        const [last] = await queue.claim(['ocr'], 1, 'worker-a');
        await queue.complete(last.leaseToken, {});
        const stats = queue.stats('ocr');
        expect(stats.counts).toEqual({ queued: 1, leased: 0, done: 3, failed: 0 });
        expect(stats.oldestQueuedSeconds).toBeGreaterThanOrEqual(120);
        expect(stats.oldestQueuedSeconds).toBeLessThan(180);
        expect(stats.doneInWindow).toBe(3);
        queue.shiftMs += 45_000;
        expect(queue.stats('ocr').doneInWindow).toBe(1);
    });

    it('keeps done jobs only for the retention time, and drops the jobs of a removed asset', async () => {
        const { queue, assets, database } = open({ doneRetentionMs: 600_000 });
        await queue.enqueue(assets.slice(0, 3).map(assetId => ({ assetId, phase: 'ocr', model: '', contentHash: `content-${assetId}` })));
        const claimed = await queue.claim(['ocr'], 2, 'worker-a');
        await Promise.all(claimed.map(job => queue.complete(job.leaseToken, {})));
        queue.shiftMs += 600_001;
        await queue.reap();
        expect(await queue.counts('ocr')).toEqual({ queued: 1, leased: 0, done: 0, failed: 0 });
        // A completion repeated after the row was pruned is still refused, never applied.
        await expect(queue.complete(claimed[0].leaseToken, {})).rejects.toMatchObject({ reason: 'stale-lease' });

        database.write(db => db.prepare('DELETE FROM assets WHERE id = ?').run(assets[2]));
        expect(await queue.counts('ocr')).toEqual({ queued: 0, leased: 0, done: 0, failed: 0 });
        expect(await queue.enqueue([{ assetId: 999_999, phase: 'ocr', model: '', contentHash: 'gone' }])).toBe(0);
    });

    it('takes a job given back by its worker without counting the attempt, and refuses the spent token', async () => {
        const { queue, assets } = open();
        await queue.enqueue([{ assetId: assets[0], phase: 'ocr', model: '', contentHash: 'content-1' }]);
        const [held] = await queue.claim(['ocr'], 1, 'worker-a');
        await queue.release(held.leaseToken);
        expect(await queue.counts('ocr')).toEqual({ queued: 1, leased: 0, done: 0, failed: 0 });
        await expect(queue.release(held.leaseToken)).rejects.toMatchObject({ reason: 'stale-lease' });
        await expect(queue.complete(held.leaseToken, {})).rejects.toMatchObject({ reason: 'stale-lease' });
        await expect(queue.release('1.1.nope')).rejects.toMatchObject({ reason: 'unknown-lease' });
        const [again] = await queue.claim(['ocr'], 1, 'worker-b');
        expect(again).toMatchObject({ jobId: held.jobId, attempt: 0 });
        expect(again.leaseToken).not.toBe(held.leaseToken);
    });

    it('sets and checks leases on SQLite\'s clock whatever the worker process\'s clock says', async () => {
        const { queue, assets, database } = open({ leaseMs: 30_000 });
        await queue.enqueue([{ assetId: assets[0], phase: 'ocr', model: '', contentHash: 'content-1' }]);
        const sqliteNow = () => database.writer.prepare("SELECT CAST(unixepoch('subsec') * 1000 AS INTEGER)").pluck().get() as number;
        vi.useFakeTimers({ toFake: ['Date'], now: sqliteNow() - 86_400_000 });
        try {
            const [claimed] = await queue.claim(['ocr'], 1, 'worker-with-a-wrong-clock');
            const real = sqliteNow();
            expect(claimed.leaseExpiresAt).toBeGreaterThan(real + 25_000);
            expect(claimed.leaseExpiresAt).toBeLessThanOrEqual(real + 30_000);
            // A day later on the worker's clock, the lease still holds: only SQLite's clock counts.
            vi.setSystemTime(real + 86_400_000);
            expect(await queue.heartbeat(claimed.leaseToken)).toBeLessThanOrEqual(sqliteNow() + 30_000);
            expect(await queue.complete(claimed.leaseToken, {})).toBe('done');
        } finally {
            vi.useRealTimers();
        }
    });

    it('refuses malformed requests with a clear error, adding none of the batch, and stores whatever a worker reports as a failure', async () => {
        const { queue, assets } = open();
        const good = { assetId: assets[0], phase: 'ocr', model: '', contentHash: 'content-1' };
        const bad: unknown[] = [{ ...good, assetId: 'one' }, { ...good, assetId: -3 }, { ...good, phase: '' }, { ...good, contentHash: undefined },
            { ...good, priority: 1.5 }, null];
        for (const request of bad) {
            await expect(queue.enqueue([good, request as typeof good])).rejects.toThrow(/Job request 1 .*; no job was added/);
        }
        expect(await queue.counts('ocr')).toEqual({ queued: 0, leased: 0, done: 0, failed: 0 });
        await expect(queue.claim(Array.from({ length: 500 }, (_, i) => `phase-${i}`), 1, 'worker-a')).rejects.toThrow(/up to 64 phases/);
        await expect(queue.claim([42 as never], 1, 'worker-a')).rejects.toThrow(/each a string/);

        await queue.enqueue([good]);
        const [claimed] = await queue.claim(['ocr'], 1, 'worker-a');
        await queue.fail(claimed.leaseToken, { message: 'x'.repeat(100_000) } as never, 'yes' as never);
        expect(queue.failures('ocr')).toMatchObject([{ code: 'unknown', message: 'x'.repeat(4_000) }]);
    });

    it('refuses a lease token signed for another archive as unknown', async () => {
        const { queue, assets } = open();
        const other = openShiftedQueue({});
        try {
            await other.queue.enqueue([{ assetId: other.assets[0], phase: 'ocr', model: '', contentHash: 'x' }]);
            const [foreign] = await other.queue.claim(['ocr'], 1, 'worker-a');
            await queue.enqueue([{ assetId: assets[0], phase: 'ocr', model: '', contentHash: 'x' }]);
            const [mine] = await queue.claim(['ocr'], 1, 'worker-a');
            expect(mine.jobId).toBe(foreign.jobId);
            await expect(queue.complete(foreign.leaseToken, {})).rejects.toMatchObject({ reason: 'unknown-lease' });
            expect(await queue.complete(mine.leaseToken, {})).toBe('done');
        } finally {
            other.dispose();
        }
    });
});
