import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClaimedJob, JobError, PhaseId } from '../../extensions/archive-core/src/common/job-protocol';
import type { JobQueue, JobRequest } from '../../extensions/archive-core/src/node/jobs/job-queue';
import { killLeaseHolders, LeaseHolder } from './lease-holder';

/** The settings every engine under the contract is made with. */
export interface ContractQueueOptions {
    readonly leaseMs: number;
    readonly maxAttempts: number;
    readonly backoffBaseMs: number;
    readonly backoffMaxMs: number;
}

/** A failed job as the engine reports it. */
export interface ContractFailure {
    readonly assetId: number;
    readonly code: string;
    readonly message: string;
}

/** A fresh engine for one test, and what the suite needs around it. */
export interface JobQueueHarness {
    /** The engine; {@link restart} replaces it. */
    readonly queue: JobQueue;
    /** Ids of assets the engine takes jobs for: at least 20. */
    readonly assets: readonly number[];
    /** Moves the engine's clock (the one leases and backoffs are measured on) forward. */
    advanceClock(ms: number): Promise<void>;
    /** Everything the engine holds, comparable with `toEqual`: a refused call must leave it as it was. */
    snapshot(): Promise<unknown>;
    /** The phase's jobs that failed for good, with their reasons. */
    failures(phase: PhaseId): Promise<ContractFailure[]>;
    /**
     * Starts a real worker process on the same storage that claims one job
     * of the phase and holds it mid-work, heartbeating, until killed.
     */
    spawnWorker(phase: PhaseId): Promise<LeaseHolder>;
    /** Replaces the engine with a new instance on the same storage, as a restarted server makes; answers it. */
    restart(): Promise<JobQueue>;
    dispose(): Promise<void>;
}

/** The suite's settings at full scale: every duration the tests wait is derived from them. */
export const CONTRACT_OPTIONS: ContractQueueOptions = { leaseMs: 30_000, maxAttempts: 3, backoffBaseMs: 10_000, backoffMaxMs: 25_000 };

export interface ContractSuiteOptions {
    /**
     * Scales every duration (1 by default). An engine whose clock can be
     * moved (the SQLite engine) runs at full scale; one whose clock cannot
     * (Redis's) makes `advanceClock` sleep and runs at e.g. 0.01 (300 ms leases).
     */
    readonly timeScale?: number;
}

const OCR = 'ocr';
const PARSE = 'parse';

/**
 * The behaviour every {@link JobQueue} engine promises, run against a fresh
 * engine per test: the embedded SQLite engine now, a BullMQ engine later.
 * Only the interface, the engine's clock and a snapshot of its state are
 * used, so a second engine runs this suite unchanged.
 */
export function describeJobQueueContract(name: string, makeQueue: (options: ContractQueueOptions) => Promise<JobQueueHarness>,
    suite: ContractSuiteOptions = {}): void {
    const scale = suite.timeScale ?? 1;
    const options: ContractQueueOptions = {
        ...CONTRACT_OPTIONS, leaseMs: CONTRACT_OPTIONS.leaseMs * scale, backoffBaseMs: CONTRACT_OPTIONS.backoffBaseMs * scale,
        backoffMaxMs: CONTRACT_OPTIONS.backoffMaxMs * scale
    };
    /** A little past a deadline: one second at full scale. */
    const margin = options.leaseMs / 30;
    describe(`JobQueue contract: ${name}`, () => {
        let harness: JobQueueHarness;
        let queue: JobQueue;
        let assets: readonly number[];

        beforeEach(async () => {
            harness = await makeQueue(options);
            queue = harness.queue;
            assets = harness.assets;
        });
        afterEach(async () => {
            await killLeaseHolders();
            await harness.dispose();
        });

        const job = (asset: number, phase: PhaseId = OCR, priority = 0, model = 'kor+eng'): JobRequest =>
            ({ assetId: asset, phase, model, contentHash: `hash-${asset}`, priority });
        const claimOne = async (workerId = 'worker-a', phases: PhaseId[] = [OCR]): Promise<ClaimedJob> => {
            const [claimed, ...more] = await queue.claim(phases, 1, workerId);
            expect(claimed, 'a job to claim').toBeDefined();
            expect(more).toEqual([]);
            return claimed;
        };
        const refused = (call: Promise<unknown>, reason: 'stale-lease' | 'unknown-lease') =>
            expect(call).rejects.toMatchObject({ name: 'LeaseRefusedError', reason });
        const crash: JobError = { code: 'worker-crashed', message: 'the worker thread ended' };

        it('leases queued jobs with their data, each to one worker, on the engine clock', async () => {
            expect(await queue.enqueue([job(assets[0]), job(assets[1]), job(assets[2])])).toBe(3);
            const shift = options.leaseMs * 10;
            const before = Date.now();
            await harness.advanceClock(shift);
            const first = await queue.claim([OCR], 2, 'worker-a');
            expect(first.map(each => each.assetId)).toEqual([assets[0], assets[1]]);
            expect(first[0]).toMatchObject({ phase: OCR, model: 'kor+eng', contentHash: `hash-${assets[0]}`, attempt: 0 });
            expect(new Set(first.map(each => each.leaseToken)).size).toBe(2);
            // The lease runs from the engine's clock, which was moved ahead.
            expect(first[0].leaseExpiresAt).toBeGreaterThanOrEqual(before + shift + options.leaseMs - 5 * margin);
            expect(await queue.counts(OCR)).toEqual({ queued: 1, leased: 2, done: 0, failed: 0 });

            const second = await queue.claim([OCR], 5, 'worker-b');
            expect(second.map(each => each.assetId)).toEqual([assets[2]]);
            expect(await queue.claim([OCR], 5, 'worker-c')).toEqual([]);
            expect(await queue.counts(OCR)).toEqual({ queued: 0, leased: 3, done: 0, failed: 0 });
        });

        it('keeps a lease that heartbeats past its first expiry, and lets its holder complete', async () => {
            await queue.enqueue([job(assets[0])]);
            const claimed = await claimOne();
            await harness.advanceClock(options.leaseMs * 0.75);
            const extended = await queue.heartbeat(claimed.leaseToken);
            expect(extended).toBeGreaterThan(claimed.leaseExpiresAt);
            await harness.advanceClock(options.leaseMs * 0.75);
            // Past the first expiry: without the heartbeat another worker would get the job now.
            expect(await queue.claim([OCR], 1, 'worker-b')).toEqual([]);
            expect(await queue.heartbeat(claimed.leaseToken)).toBeGreaterThan(extended);
            expect(await queue.complete(claimed.leaseToken, { text: 'done' })).toBe('done');
            expect(await queue.counts(OCR)).toEqual({ queued: 0, leased: 0, done: 1, failed: 0 });
        });

        it('reclaims an expired lease for another worker and refuses the old token afterwards, changing nothing', async () => {
            await queue.enqueue([job(assets[0])]);
            const lost = await claimOne('worker-a');
            await harness.advanceClock(options.leaseMs + margin);
            const taken = await claimOne('worker-b');
            expect(taken).toMatchObject({ jobId: lost.jobId, assetId: assets[0], attempt: 1 });
            expect(taken.leaseToken).not.toBe(lost.leaseToken);

            const before = await harness.snapshot();
            await refused(queue.complete(lost.leaseToken, { text: 'late' }), 'stale-lease');
            await refused(queue.heartbeat(lost.leaseToken), 'stale-lease');
            await refused(queue.fail(lost.leaseToken, crash, true), 'stale-lease');
            await refused(queue.fail(lost.leaseToken, crash, false), 'stale-lease');
            expect(await harness.snapshot()).toEqual(before);

            expect(await queue.complete(taken.leaseToken, { text: 'fresh' })).toBe('done');
            await refused(queue.complete(lost.leaseToken, { text: 'late' }), 'stale-lease');
            expect(await queue.counts(OCR)).toEqual({ queued: 0, leased: 0, done: 1, failed: 0 });
        });

        it('refuses a lease that ran out even before anyone reclaimed it', async () => {
            await queue.enqueue([job(assets[0])]);
            const claimed = await claimOne();
            await harness.advanceClock(options.leaseMs + margin);
            const before = await harness.snapshot();
            await refused(queue.heartbeat(claimed.leaseToken), 'stale-lease');
            await refused(queue.complete(claimed.leaseToken, {}), 'stale-lease');
            expect(await harness.snapshot()).toEqual(before);
        });

        it('returns expired leases to the queue through reap, and the old token is refused', async () => {
            await queue.enqueue([job(assets[0]), job(assets[1])]);
            const [held, kept] = await queue.claim([OCR], 2, 'worker-a');
            await harness.advanceClock(options.leaseMs * 0.6);
            await queue.heartbeat(kept.leaseToken);
            await harness.advanceClock(options.leaseMs * 0.6);
            expect(await queue.reap()).toBe(1);
            expect(await queue.counts(OCR)).toEqual({ queued: 1, leased: 1, done: 0, failed: 0 });
            await refused(queue.complete(held.leaseToken, {}), 'stale-lease');
            expect(await queue.complete(kept.leaseToken, {})).toBe('done');
            expect(await claimOne('worker-b')).toMatchObject({ jobId: held.jobId, attempt: 1 });
        });

        it('refuses unknown tokens, forged ones included, and changes nothing', async () => {
            await queue.enqueue([job(assets[0])]);
            const claimed = await claimOne();
            const last = claimed.leaseToken.slice(-1);
            const forged = claimed.leaseToken.slice(0, -1) + (last === 'A' ? 'B' : 'A');
            const before = await harness.snapshot();
            for (const token of ['no-such-token', '', forged, `${claimed.leaseToken}x`]) {
                await refused(queue.complete(token, {}), 'unknown-lease');
                await refused(queue.heartbeat(token), 'unknown-lease');
                await refused(queue.fail(token, crash, true), 'unknown-lease');
            }
            expect(await harness.snapshot()).toEqual(before);
            expect(await queue.complete(claimed.leaseToken, {})).toBe('done');
        });

        it('treats a second completion with the same token as a no-op', async () => {
            await queue.enqueue([job(assets[0])]);
            const claimed = await claimOne();
            expect(await queue.complete(claimed.leaseToken, { text: 'once' })).toBe('done');
            const before = await harness.snapshot();
            expect(await queue.complete(claimed.leaseToken, { text: 'once' })).toBe('already-done');
            expect(await queue.fail(claimed.leaseToken, crash, true)).toBe('already-done');
            expect(await harness.snapshot()).toEqual(before);
            await refused(queue.heartbeat(claimed.leaseToken), 'stale-lease');
            expect(await queue.counts(OCR)).toEqual({ queued: 0, leased: 0, done: 1, failed: 0 });
            expect(await queue.claim([OCR], 1, 'worker-b')).toEqual([]);
        });

        it('waits out an exponential backoff before a retryable failure is claimed again', async () => {
            const base = options.backoffBaseMs;
            await queue.enqueue([job(assets[0])]);
            const first = await claimOne();
            expect(await queue.fail(first.leaseToken, crash, true)).toBe('done');
            expect(await queue.fail(first.leaseToken, crash, true)).toBe('already-done');
            expect(await queue.counts(OCR)).toEqual({ queued: 1, leased: 0, done: 0, failed: 0 });
            expect(await queue.claim([OCR], 1, 'worker-a')).toEqual([]);
            await harness.advanceClock(base / 2);
            expect(await queue.claim([OCR], 1, 'worker-a')).toEqual([]);
            await harness.advanceClock(base / 2 + margin);
            const second = await claimOne();
            expect(second.attempt).toBe(1);
            await refused(queue.complete(first.leaseToken, {}), 'stale-lease');

            await queue.fail(second.leaseToken, crash, true);
            // The second wait is twice the first.
            await harness.advanceClock(base * 1.5);
            expect(await queue.claim([OCR], 1, 'worker-a')).toEqual([]);
            await harness.advanceClock(base * 0.5 + margin);
            expect((await claimOne()).attempt).toBe(2);
        });

        it('fails a job for good with its reason once the retry cap is reached', async () => {
            await queue.enqueue([job(assets[0]), job(assets[1])]);
            for (let attempt = 0; attempt < options.maxAttempts; attempt++) {
                const [claimed] = await queue.claim([OCR], 1, 'worker-a');
                expect(claimed).toMatchObject({ assetId: assets[0], attempt });
                await queue.fail(claimed.leaseToken, { code: 'decode-failed', message: `attempt ${attempt}: bad Huffman table` }, true);
                await harness.advanceClock(options.backoffMaxMs + margin);
            }
            expect(await queue.counts(OCR)).toMatchObject({ failed: 1, queued: 1 });
            expect(await harness.failures(OCR)).toEqual([{ assetId: assets[0], code: 'decode-failed', message: 'attempt 2: bad Huffman table' }]);
            const next = await claimOne();
            expect(next.assetId).toBe(assets[1]);

            // A failure that is not retryable ends the job at once.
            await queue.fail(next.leaseToken, { code: 'unsupported', message: 'CMYK 16-bit' }, false);
            await harness.advanceClock(options.backoffMaxMs + margin);
            expect(await queue.claim([OCR], 5, 'worker-a')).toEqual([]);
            expect(await queue.counts(OCR)).toEqual({ queued: 0, leased: 0, done: 0, failed: 2 });
            expect((await harness.failures(OCR)).map(failure => failure.code).sort()).toEqual(['decode-failed', 'unsupported']);
        });

        it('fails a job whose leases keep running out once the cap is reached, with code lease-expired', async () => {
            await queue.enqueue([job(assets[0])]);
            for (let attempt = 0; attempt < options.maxAttempts; attempt++) {
                expect((await claimOne()).attempt).toBe(attempt);
                await harness.advanceClock(options.leaseMs + margin);
                expect(await queue.reap()).toBe(1);
            }
            expect(await queue.counts(OCR)).toEqual({ queued: 0, leased: 0, done: 0, failed: 1 });
            expect(await harness.failures(OCR)).toMatchObject([{ assetId: assets[0], code: 'lease-expired' }]);
        });

        it('claims no more than asked, only of the phases asked for', async () => {
            await queue.enqueue(assets.slice(0, 5).map(asset => job(asset, PARSE)));
            await queue.enqueue(assets.slice(0, 5).map(asset => job(asset, OCR)));
            const ocr = await queue.claim([OCR], 3, 'worker-a');
            expect(ocr.map(each => each.phase)).toEqual([OCR, OCR, OCR]);
            expect(await queue.claim(['caption'], 5, 'worker-a')).toEqual([]);
            expect(await queue.claim([], 5, 'worker-a')).toEqual([]);
            expect(await queue.claim([OCR], 0, 'worker-a')).toEqual([]);
            const both = await queue.claim([PARSE, OCR], 100, 'worker-b');
            expect(both.filter(each => each.phase === PARSE)).toHaveLength(5);
            expect(both.filter(each => each.phase === OCR)).toHaveLength(2);
            expect(await queue.counts(PARSE)).toEqual({ queued: 0, leased: 5, done: 0, failed: 0 });
            expect(await queue.counts(OCR)).toEqual({ queued: 0, leased: 5, done: 0, failed: 0 });
        });

        it('hands out the highest priority first, then the oldest, across phases', async () => {
            const [a, b, c, d, e] = assets;
            await queue.enqueue([job(a, OCR, 0)]);
            await queue.enqueue([job(b, PARSE, 5)]);
            await queue.enqueue([job(c, OCR, 0), job(d, OCR, 5)]);
            await queue.enqueue([job(e, PARSE, -1)]);
            const order: number[] = [];
            for (let i = 0; i < 5; i++) {
                order.push((await claimOne('worker-a', [OCR, PARSE])).assetId);
            }
            expect(order).toEqual([b, d, a, c, e]);
            await queue.enqueue([job(assets[5], OCR, 1), job(assets[6], OCR, 9), job(assets[7], OCR, 1)]);
            expect((await queue.claim([OCR], 2, 'worker-b')).map(each => each.assetId)).toEqual([assets[6], assets[5]]);
        });

        it('keeps one active job per asset and phase: repeats are left out until the job is finished', async () => {
            const [a, b] = assets;
            expect(await queue.enqueue([job(a), job(a), job(b), job(a, OCR, 3, 'other-model')])).toBe(2);
            expect(await queue.enqueue([job(a)])).toBe(0);
            expect(await queue.enqueue([job(a, PARSE)])).toBe(1);
            const claimed = (await queue.claim([OCR], 5, 'worker-a')).find(each => each.assetId === a)!;
            expect(claimed.model).toBe('kor+eng');
            expect(await queue.enqueue([job(a)])).toBe(0);
            expect(await queue.counts(OCR)).toEqual({ queued: 0, leased: 2, done: 0, failed: 0 });
            await queue.complete(claimed.leaseToken, {});
            // Finished: the asset's phase can be queued again (a re-run).
            expect(await queue.enqueue([job(a)])).toBe(1);
            expect(await queue.enqueue([job(a)])).toBe(0);
            expect((await queue.counts(OCR)).queued).toBe(1);
        });

        it('lets a job held by a worker process killed with SIGKILL mid-job run out, then be done once by another worker', async () => {
            await queue.enqueue([job(assets[0]), job(assets[1])]);
            const holder = await harness.spawnWorker(OCR);
            expect(holder.job).toMatchObject({ assetId: assets[0], attempt: 0 });
            expect(await queue.counts(OCR)).toEqual({ queued: 1, leased: 1, done: 0, failed: 0 });
            const other = await claimOne('worker-b');
            expect(other.assetId).toBe(assets[1]);
            expect(await queue.complete(other.leaseToken, {})).toBe('done');
            // While its holder lives the job is nobody else's.
            expect(await queue.claim([OCR], 5, 'worker-b')).toEqual([]);

            await holder.kill();
            await harness.advanceClock(options.leaseMs + margin);
            const taken = await claimOne('worker-b');
            expect(taken).toMatchObject({ jobId: holder.job.jobId, assetId: assets[0], attempt: 1 });
            await refused(queue.complete(holder.job.leaseToken, { text: 'from the dead' }), 'stale-lease');
            expect(await queue.complete(taken.leaseToken, { text: 'redone' })).toBe('done');
            expect(await queue.complete(taken.leaseToken, { text: 'redone' })).toBe('already-done');
            expect(await queue.counts(OCR)).toEqual({ queued: 0, leased: 0, done: 2, failed: 0 });
            expect(await queue.claim([OCR], 5, 'worker-c')).toEqual([]);
        });

        it('keeps jobs leased to workers across an engine restart: they heartbeat, complete and fail on the new engine', async () => {
            await queue.enqueue([job(assets[0]), job(assets[1]), job(assets[2]), job(assets[3])]);
            const [kept, failing, abandoned] = await queue.claim([OCR], 3, 'worker-a');
            queue = await harness.restart();
            await harness.advanceClock(options.leaseMs * 0.75);
            expect(await queue.heartbeat(kept.leaseToken)).toBeGreaterThan(kept.leaseExpiresAt);
            expect(await queue.heartbeat(failing.leaseToken)).toBeGreaterThan(failing.leaseExpiresAt);
            await refused(queue.heartbeat('no-such-token'), 'unknown-lease');
            await harness.advanceClock(options.leaseMs * 0.5);
            // The lease nobody kept up ran out on the new engine's watch; the others still hold.
            expect(await queue.reap()).toBe(1);
            await refused(queue.complete(abandoned.leaseToken, {}), 'stale-lease');
            expect(await queue.complete(kept.leaseToken, { text: '재시작 후' })).toBe('done');
            expect(await queue.fail(failing.leaseToken, { code: 'unsupported', message: 'CMYK 16-bit' }, false)).toBe('done');
            const next = await queue.claim([OCR], 5, 'worker-b');
            expect(next.map(each => [each.assetId, each.attempt]).sort()).toEqual([[abandoned.assetId, 1], [assets[3], 0]].sort());
            expect(await queue.counts(OCR)).toEqual({ queued: 0, leased: 2, done: 1, failed: 1 });
            expect(await harness.failures(OCR)).toEqual([{ assetId: failing.assetId, code: 'unsupported', message: 'CMYK 16-bit' }]);
        });
    });
}
