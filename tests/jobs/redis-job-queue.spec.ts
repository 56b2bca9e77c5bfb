import IORedis from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
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
 * runs at a fiftieth of its durations (600 ms leases) and advancing the
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
}, { timeScale: 0.02 });
