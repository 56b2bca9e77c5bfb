/**
 * A simulated worker of `bench:fleet`: the claim → work → complete loop of a
 * real worker over a real queue engine, whose models are fixed delays. A
 * worker has one GPU, so one model resident at a time: a role keeps its
 * model loaded between batches, an all-in-one worker switches models for
 * each phase of its batch (an unload and a load each time). Loads and
 * unloads are counted.
 */
import type { ClaimedJob } from '@imageparser/archive-core/lib/common/job-protocol';
import { BENCH_MODEL, BENCH_PHASE_IDS, TimedQueue } from './fleet-bench-queue';
import { FleetPhase, FleetTimings, FLEET_PHASES } from './fleet-timings';

/** What the workers of one run share: the timings and the count of what is done. */
export interface FleetRun {
    readonly timings: FleetTimings;
    /** Real milliseconds per seed second. */
    readonly msPerSecond: number;
    /** Files to take through every phase. */
    readonly files: number;
    readonly done: Record<FleetPhase, number>;
    /** Whether the worker queues the text job after a caption (a bare engine), or the server does. */
    readonly workerQueuesText: boolean;
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** How long to wait after the queue answered nothing (real ms). */
const EMPTY_QUEUE_WAIT_MS = 2;

export class SimulatedWorker {
    loads = 0;
    unloads = 0;
    protected resident: FleetPhase | undefined;

    constructor(readonly id: string, protected readonly queue: TimedQueue, protected readonly run: FleetRun) { }

    /** A resident role: claims only its phase, loads its model once. */
    async workRole(phase: FleetPhase): Promise<void> {
        while (!this.finished(phase)) {
            const jobs = await this.queue.claim(phase, this.run.timings.batch[phase], this.id);
            if (!jobs.length) {
                await sleep(EMPTY_QUEUE_WAIT_MS);
                continue;
            }
            await this.process(phase, jobs);
        }
    }

    /** All-in-one: each turn takes a batch through caption, visual and text, switching models. */
    async workAll(): Promise<void> {
        while (!FLEET_PHASES.every(phase => this.finished(phase))) {
            let any = false;
            for (const phase of FLEET_PHASES) {
                const jobs = await this.queue.claim(phase, this.run.timings.allInOneBatch, this.id);
                if (jobs.length) {
                    any = true;
                    await this.process(phase, jobs);
                }
            }
            if (!any) {
                await sleep(EMPTY_QUEUE_WAIT_MS);
            }
        }
    }

    protected finished(phase: FleetPhase): boolean {
        return this.run.done[phase] >= this.run.files;
    }

    protected async process(phase: FleetPhase, jobs: readonly ClaimedJob[]): Promise<void> {
        const { timings, msPerSecond } = this.run;
        if (this.resident !== phase) {
            if (this.resident) {
                this.unloads++;
            }
            await sleep(timings.load[phase] * msPerSecond);
            this.loads++;
            this.resident = phase;
        }
        const perFile = timings.perFile[phase] + (phase === 'caption' ? timings.parse : 0);
        await sleep(perFile * jobs.length * msPerSecond);
        for (const job of jobs) {
            if (await this.queue.complete(job) === 'done') {
                this.run.done[phase]++;
                if (phase === 'caption' && this.run.workerQueuesText) {
                    // What a server's completion does in the same transaction: the text job waits for the caption.
                    await this.queue.enqueue([{ assetId: job.assetId, phase: BENCH_PHASE_IDS.text, model: BENCH_MODEL('text'), contentHash: job.contentHash }]);
                }
            }
        }
    }
}
