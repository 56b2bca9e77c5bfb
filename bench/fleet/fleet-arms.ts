/**
 * One arm of the comparison: a fleet of simulated workers (resident roles,
 * or all-in-one) taking `files` files through caption, visual and text on a
 * fresh queue of one engine, timed from the first claim to the last
 * completion.
 */
import { FleetBenchEngine, TimedQueue } from './fleet-bench-queue';
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
    const opened = await engine.open(files);
    try {
        const queue = new TimedQueue(opened.queue);
        await queue.enqueue(Array.from({ length: files }, (_, i) => i + 1).flatMap(assetId => [
            { assetId, phase: 'caption', model: 'bench-caption', contentHash: `content-${assetId}` },
            { assetId, phase: 'visual', model: 'bench-visual', contentHash: `content-${assetId}` }
        ]));
        queue.spentMs = 0;
        queue.calls = 0;
        const run: FleetRun = { queue, timings, msPerSecond: 1000 * scale, files, done: { caption: 0, visual: 0, text: 0 } };
        const workers: { worker: SimulatedWorker; work: () => Promise<void> }[] = [];
        if ('allInOne' in shape) {
            for (let i = 0; i < shape.allInOne; i++) {
                const worker = new SimulatedWorker(`all-${i}`, run);
                workers.push({ worker, work: () => worker.workAll() });
            }
        } else {
            for (const phase of FLEET_PHASES) {
                for (let i = 0; i < shape.roles[phase]; i++) {
                    const worker = new SimulatedWorker(`${phase}-${i}`, run);
                    workers.push({ worker, work: () => worker.workRole(phase) });
                }
            }
        }
        const started = process.hrtime.bigint();
        await Promise.all(workers.map(each => each.work()));
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        for (const phase of FLEET_PHASES) {
            const counts = await opened.queue.counts(phase);
            if (run.done[phase] !== files || counts.done !== files || counts.queued + counts.leased !== 0) {
                throw new Error(`${describeShape(shape)}: ${phase} done ${run.done[phase]} by the workers, ${counts.done} by the queue, of ${files}`);
            }
        }
        const jobs = files * FLEET_PHASES.length;
        return {
            files,
            seconds,
            filesPerMinute: files / (seconds / scale) * 60,
            overheadMsPerJob: queue.spentMs / jobs,
            emptyClaims: queue.emptyClaims,
            emptyClaimMs: queue.emptySpentMs,
            loads: workers.reduce((sum, each) => sum + each.worker.loads, 0),
            unloads: workers.reduce((sum, each) => sum + each.worker.unloads, 0)
        };
    } finally {
        await opened.close();
    }
}
