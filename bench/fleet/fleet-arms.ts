/**
 * One arm of the comparison: a fleet of simulated workers (resident roles,
 * or all-in-one) taking `files` files through caption, visual and text on a
 * fresh queue of one engine, timed from the first claim to the last
 * completion, checked against the queue (or the archive) at the end.
 */
import { FleetBenchEngine, QueueCallStats, TimedQueue } from './fleet-bench-queue';
import { FleetPhase, FleetTimings, FLEET_PHASES } from './fleet-timings';
import { FleetRun, SimulatedWorker } from './simulated-worker';

export type FleetShape = { readonly allInOne: number } | { readonly roles: Readonly<Record<FleetPhase, number>> };

export interface ArmResult {
    readonly files: number;
    readonly seconds: number;
    /** Files per minute in the seed's time (real rate divided by the scale). */
    readonly filesPerMinute: number;
    /** Real milliseconds spent in queue calls per job (claim share, complete, the text job's enqueue). */
    readonly overheadMsPerJob: number;
    /** Claims that found the queue empty (a worker waiting for work), and their real ms in all. */
    readonly emptyClaims: number;
    readonly emptyClaimMs: number;
    readonly loads: number;
    readonly unloads: number;
}

export function describeShape(shape: FleetShape): string {
    return 'allInOne' in shape
        ? `${shape.allInOne} all-in-one`
        : FLEET_PHASES.filter(phase => shape.roles[phase] > 0).map(phase => `${shape.roles[phase]} ${phase}`).join(' + ');
}

export async function runArm(engine: FleetBenchEngine, shape: FleetShape, files: number, timings: FleetTimings, scale: number): Promise<ArmResult> {
    const fleet = await engine.open(files);
    try {
        const stats = new QueueCallStats();
        const run: FleetRun = { timings, msPerSecond: 1000 * scale, files, done: { caption: 0, visual: 0, text: 0 }, workerQueuesText: !fleet.queuesNextPhase };
        const roles: (FleetPhase | 'all')[] = 'allInOne' in shape
            ? Array.from({ length: shape.allInOne }, () => 'all' as const)
            : FLEET_PHASES.flatMap(phase => Array.from({ length: shape.roles[phase] }, () => phase));
        const workers = await Promise.all(roles.map(async (role, i) => {
            const id = `${role}-${i}`;
            const worker = new SimulatedWorker(id, new TimedQueue(await fleet.connect(id), stats), run);
            return { worker, work: () => role === 'all' ? worker.workAll() : worker.workRole(role) };
        }));
        const started = process.hrtime.bigint();
        await Promise.all(workers.map(each => each.work()));
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        for (const phase of FLEET_PHASES) {
            const done = await fleet.done(phase);
            if (run.done[phase] !== files || done !== files) {
                throw new Error(`${describeShape(shape)}: ${phase} done ${run.done[phase]} by the workers, ${done} by the ${engine.name}, of ${files}`);
            }
        }
        return {
            files,
            seconds,
            filesPerMinute: files / (seconds / scale) * 60,
            overheadMsPerJob: stats.spentMs / (files * FLEET_PHASES.length),
            emptyClaims: stats.emptyClaims,
            emptyClaimMs: stats.emptySpentMs,
            loads: workers.reduce((sum, each) => sum + each.worker.loads, 0),
            unloads: workers.reduce((sum, each) => sum + each.worker.unloads, 0)
        };
    } finally {
        await fleet.close();
    }
}
