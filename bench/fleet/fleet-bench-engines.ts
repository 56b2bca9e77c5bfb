/**
 * The engines `bench:fleet` compares: each queue engine in this process
 * (the embedded SQLite queue; BullMQ on a real `redis-server` started here
 * as a foreground child and stopped at the end) and behind a real server's
 * worker API (`imageparser serve`, one session per simulated worker).
 */
import { RedisJobQueue } from '@imageparser/archive-core/lib/node/jobs/bullmq/redis-job-queue';
import { RedisTestServer } from '../../tests/redis/redis-test-server';
import { BENCH_PHASE_IDS, embeddedEngine, FleetBenchEngine, firstJobs } from './fleet-bench-queue';
import { serverEngine } from './fleet-server-engine';

/** BullMQ on Redis in this process: a fresh prefix per run on one redis-server. */
function bullmqEngine(): FleetBenchEngine {
    let redis: Promise<RedisTestServer> | undefined;
    let runs = 0;
    return {
        id: 'bullmq',
        name: 'BullMQ on Redis, in process',
        async open(assets) {
            redis ??= RedisTestServer.start();
            const queue = new RedisJobQueue({ connection: (await redis).url, prefix: `bench-fleet-${process.pid}-${++runs}` });
            await queue.enqueue(firstJobs(assets));
            return {
                connect: async () => queue,
                queuesNextPhase: false,
                done: async phase => (await queue.counts(BENCH_PHASE_IDS[phase])).done,
                close: () => queue.close()
            };
        },
        async dispose() {
            await (await redis)?.stop();
        }
    };
}

export function fleetBenchEngines(): FleetBenchEngine[] {
    return [
        embeddedEngine,
        bullmqEngine(),
        serverEngine('server', 'imageparser serve (embedded queue), worker API over HTTP')
    ];
}
