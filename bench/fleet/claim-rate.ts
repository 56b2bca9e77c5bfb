/**
 * Claims per second of an engine: `clients` concurrent workers claim one
 * no-op job at a time and complete it at once, until `jobs` are done.
 */
import { FleetBenchEngine } from './fleet-bench-queue';

export async function claimRate(engine: FleetBenchEngine, jobs: number, clients: number): Promise<{ readonly claims: number; readonly seconds: number }> {
    const opened = await engine.open(jobs);
    try {
        await opened.queue.enqueue(Array.from({ length: jobs }, (_, i) => ({ assetId: i + 1, phase: 'claims', model: '', contentHash: `content-${i + 1}` })));
        let claims = 0;
        const client = async (id: string) => {
            for (let [job] = await opened.queue.claim(['claims'], 1, id); job; [job] = await opened.queue.claim(['claims'], 1, id)) {
                claims++;
                await opened.queue.complete(job.leaseToken, { kind: 'done', result: {} });
            }
        };
        const started = process.hrtime.bigint();
        await Promise.all(Array.from({ length: clients }, (_, i) => client(`client-${i}`)));
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const counts = await opened.queue.counts('claims');
        if (claims !== jobs || counts.done !== jobs) {
            throw new Error(`${engine.name}: ${jobs} jobs, ${claims} claimed, ${counts.done} done`);
        }
        return { claims, seconds };
    } finally {
        await opened.close();
    }
}
