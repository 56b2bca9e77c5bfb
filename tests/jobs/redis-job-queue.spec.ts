import IORedis from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisJobQueue } from '../../extensions/archive-core/src/node/jobs/bullmq/redis-job-queue';
import { RedisTestServer } from '../redis/redis-test-server';
import { describeJobQueueContract } from './job-queue-contract';
import { spawnLeaseHolder } from './lease-holder';

let server: RedisTestServer;
let harnesses = 0;

beforeAll(async () => {
    server = await RedisTestServer.start();
}, 30_000);
afterAll(() => server?.stop());

/** Everything under a prefix, comparable with `toEqual` (lock TTLs left out: they only shrink). */
async function dump(redis: IORedis, prefix: string): Promise<Record<string, unknown>> {
    const keys = (await redis.keys(`${prefix}:*`)).sort();
    const state: Record<string, unknown> = {};
    for (const key of keys) {
        const type = await redis.type(key);
        state[key] = type === 'string' ? await redis.get(key)
            : type === 'hash' ? await redis.hgetall(key)
                : type === 'list' ? await redis.lrange(key, 0, -1)
                    : type === 'zset' ? await redis.zrange(key, 0, -1, 'WITHSCORES')
                        : type === 'set' ? (await redis.smembers(key)).sort()
                            : type === 'stream' ? await redis.xlen(key) : type;
    }
    return state;
}

/**
 * BullMQ on a real redis-server: Redis's clock cannot be moved, so the suite
 * runs at a twenty-fifth of its durations (1.2 s leases; slack enough for a busy machine) and advancing the
 * clock sleeps.
 */
describeJobQueueContract('BullMQ on Redis', async options => {
    const prefix = `contract${++harnesses}`;
    let queue = new RedisJobQueue({ connection: server.url, prefix, ...options });
    const inspector = new IORedis(server.url, { maxRetriesPerRequest: null });
    return {
        get queue() {
            return queue;
        },
        assets: Array.from({ length: 40 }, (_, i) => i + 1),
        advanceClock: ms => new Promise(resolve => setTimeout(resolve, ms)),
        snapshot: () => dump(inspector, prefix),
        failures: async phase => (await queue.failures(phase)).map(({ assetId, code, message }) => ({ assetId, code, message })),
        spawnWorker: phase => spawnLeaseHolder(['redis', server.url, phase, JSON.stringify({ ...options, prefix })]),
        restart: async () => {
            // The server process ends (its connections close) and a new one connects to the same Redis.
            await queue.close();
            queue = new RedisJobQueue({ connection: server.url, prefix, ...options });
            return queue;
        },
        dispose: async () => {
            await queue.close();
            inspector.disconnect();
        }
    };
}, { timeScale: 0.04 });

describe('RedisJobQueue', () => {
    const queues: RedisJobQueue[] = [];
    afterEach(async () => {
        await Promise.all(queues.splice(0).map(queue => queue.close()));
    });
    const open = (prefix: string) => {
        const queue = new RedisJobQueue({ connection: server.url, prefix, leaseMs: 5_000 });
        queues.push(queue);
        return queue;
    };
    const job = (assetId: number, phase = 'ocr') => ({ assetId, phase, model: '', contentHash: `content-${assetId}` });

    it('keeps two archives\' jobs apart under their prefixes, even for the same asset ids', async () => {
        const first = open('archive-one');
        const second = open('archive-two');
        expect(await first.enqueue([job(1), job(2)])).toBe(2);
        expect(await second.enqueue([job(1)])).toBe(1);
        expect((await second.claim(['ocr'], 10, 'worker-b')).map(each => each.assetId)).toEqual([1]);
        const claimed = await first.claim(['ocr'], 10, 'worker-a');
        expect(claimed.map(each => each.assetId)).toEqual([1, 2]);
        // A token of one archive means nothing to the other.
        await expect(second.complete(claimed[0].leaseToken, {})).rejects.toMatchObject({ name: 'LeaseRefusedError', reason: 'unknown-lease' });
        expect(await first.complete(claimed[0].leaseToken, {})).toBe('done');
        expect(await second.counts('ocr')).toEqual({ queued: 0, leased: 1, done: 0, failed: 0 });
    });

    it('makes no queue, worker or connection for phases it holds no jobs of, whatever a claim names', async () => {
        const queue = open('archive-unknown-phases');
        await queue.enqueue([job(1)]);
        const inspector = new IORedis(server.url, { maxRetriesPerRequest: null });
        try {
            const clients = async () => (await inspector.client('LIST') as string).trim().split('\n').length;
            await queue.counts('ocr');
            const before = await clients();
            const names = Array.from({ length: 64 }, (_, i) => `x${i}:{}\u0000한글`);
            expect(await queue.claim(names, 10, 'worker-a')).toEqual([]);
            expect(await queue.counts('no-such-phase')).toEqual({ queued: 0, leased: 0, done: 0, failed: 0 });
            expect(await clients()).toBe(before);
            expect((await queue.claim([...names.slice(0, 10), 'ocr'], 10, 'worker-a')).map(each => each.assetId)).toEqual([1]);
        } finally {
            inspector.disconnect();
        }
    });
});
