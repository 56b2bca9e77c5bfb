/**
 * Claims per second of an engine: `clients` concurrent workers (each its own
 * session over HTTP) claim one job at a time and complete it at once, until
 * every caption and visual job of `jobs` assets is done.
 */
import type { JobQueue } from '@imageparser/archive-core/lib/node/jobs/job-queue';
import { BENCH_PHASE_IDS, FleetBenchEngine } from './fleet-bench-queue';

export async function claimRate(engine: FleetBenchEngine, assets: number, clients: number): Promise<{ readonly claims: number; readonly seconds: number }> {
    const fleet = await engine.open(assets);
    try {
        const phases = [BENCH_PHASE_IDS.caption, BENCH_PHASE_IDS.visual];
        let claims = 0;
        const client = async (queue: JobQueue, id: string) => {
            for (let [job] = await queue.claim(phases, 1, id); job; [job] = await queue.claim(phases, 1, id)) {
                claims++;
                await queue.complete(job.leaseToken, { kind: 'done', result: {} });
            }
        };
        const queues = await Promise.all(Array.from({ length: clients }, (_, i) => fleet.connect(`client-${i}`)));
        const started = process.hrtime.bigint();
        await Promise.all(queues.map((queue, i) => client(queue, `client-${i}`)));
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const done = await fleet.done('caption') + await fleet.done('visual');
        if (claims !== 2 * assets || done !== 2 * assets) {
            throw new Error(`${engine.name}: ${2 * assets} jobs, ${claims} claimed, ${done} done`);
        }
        return { claims, seconds };
    } finally {
        await fleet.close();
    }
}
