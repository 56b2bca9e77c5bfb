/**
 * The engines `bench:fleet` compares: each queue engine in this process
 * (the embedded SQLite queue; BullMQ on a real `redis-server` started here
 * as a foreground child and stopped at the end) and behind a real server's
 * worker API (`imageparser serve`, one session per simulated worker).
 */
import { RedisJobQueue } from '@imageparser/archive-core/lib/node/jobs/bullmq/redis-job-queue';
import { RedisTestServer } from '../../tests/redis/redis-test-server';
import { BENCH_PHASE_IDS, embeddedEngine, FleetBenchEngine, firstJobs } from './fleet-bench-queue';
import { JobOutboxRepository } from '@imageparser/archive-core/lib/node/store/job-outbox-repository';
import { serverEngine, ServerQueueBacking } from './fleet-server-engine';

/** One redis-server for the whole bench, started when an engine first needs it. */
class BenchRedis {
    protected server: Promise<RedisTestServer> | undefined;

    async url(): Promise<string> {
        this.server ??= RedisTestServer.start();
        return (await this.server).url;
    }

    async dispose(): Promise<void> {
        const server = this.server;
        this.server = undefined;
        await (await server)?.stop();
    }
}

/** BullMQ on Redis in this process: a fresh prefix per run. */
function bullmqEngine(redis: BenchRedis): FleetBenchEngine {
    let runs = 0;
    return {
        id: 'bullmq',
        name: 'BullMQ on Redis, in process',
        async open(assets) {
            const queue = new RedisJobQueue({ connection: await redis.url(), prefix: `bench-fleet-${process.pid}-${++runs}` });
            await queue.enqueue(firstJobs(assets));
            return {
                connect: async () => queue,
                queuesNextPhase: false,
                done: async phase => (await queue.counts(BENCH_PHASE_IDS[phase])).done,
                close: () => queue.close()
            };
        },
        dispose: () => redis.dispose()
    };
}

/** The server on BullMQ: the bench counts its jobs under the archive's prefix, as the server names it. */
function serverBullmqBacking(redis: BenchRedis): ServerQueueBacking {
    return {
        env: async () => ({ IMAGEPARSER_QUEUE_ENGINE: 'bullmq', IMAGEPARSER_REDIS_URL: await redis.url() }),
        counter: async database => new RedisJobQueue({
            connection: await redis.url(),
            prefix: `imageparser:${database.write(db => JobOutboxRepository.archiveIdentity(db))}`
        }),
        dispose: () => redis.dispose()
    };
}

export function fleetBenchEngines(): FleetBenchEngine[] {
    const redis = new BenchRedis();
    return [
        embeddedEngine,
        bullmqEngine(redis),
        serverEngine('server', 'imageparser serve (embedded queue), worker API over HTTP'),
        serverEngine('server-bullmq', 'imageparser serve (BullMQ on Redis), worker API over HTTP', serverBullmqBacking(redis))
    ];
}
