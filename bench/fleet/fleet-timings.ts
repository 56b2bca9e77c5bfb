/**
 * The seed's per-phase times (section 6) and the model loads an all-in-one
 * worker pays when it switches, in seconds of the seed's world; the bench
 * runs them scaled down (`--scale`, 0.01 by default: a 10 s caption takes
 * 100 ms).
 */
export type FleetPhase = 'caption' | 'visual' | 'text';
export const FLEET_PHASES: readonly FleetPhase[] = ['caption', 'visual', 'text'];

export interface FleetTimings {
    /** Seconds per file of each phase's model (caption's includes nothing else). */
    readonly perFile: Readonly<Record<FleetPhase, number>>;
    /** Parse, CPU only, run by the caption role (and by every all-in-one worker) per file. */
    readonly parse: number;
    /** Seconds to load each phase's model (the seed gives none: VLM ~8 GB, visual ~2 GB, text ~1 GB). */
    readonly load: Readonly<Record<FleetPhase, number>>;
    /** Files per claim of a resident role. */
    readonly batch: Readonly<Record<FleetPhase, number>>;
    /** Files an all-in-one worker takes through all three phases per turn (the seed: one batch, three model loads). */
    readonly allInOneBatch: number;
}

/**
 * Caption 10 s (the figure; the seed says 5-15 s), visual 0.3 s in
 * batches of 8, text 0.1 s in batches of 16, parse 0.1 s; loads 5 + 1.5 + 1 s
 * = 7.5 s per all-in-one batch of one file, which is what the seed's "five
 * machines all-in-one ≈ 17 files/min" implies.
 */
export const SEED_TIMINGS: FleetTimings = {
    perFile: { caption: 10, visual: 0.3, text: 0.1 },
    parse: 0.1,
    load: { caption: 5, visual: 1.5, text: 1 },
    batch: { caption: 1, visual: 8, text: 16 },
    allInOneBatch: 1
};

/** The seed's section 6.4 estimate for five machines. */
export const SEED_ESTIMATE = { machines: 5, allInOne: 17, specialised: 20 } as const;

/** How many workers of each role a specialised fleet has (the seed's 3 + 1 + 1, more caption workers beyond five). */
export function specialisedRoles(workers: number): Record<FleetPhase, number> {
    const rest = Math.max(1, workers - 2);
    return { caption: rest, visual: workers > 1 ? 1 : 0, text: workers > 2 ? 1 : 0 };
}

/** Files per minute (seed time) the timings predict for a fleet, queueing overhead left out. */
export function expectedFilesPerMinute(timings: FleetTimings, fleet: { readonly allInOne: number } | { readonly roles: Readonly<Record<FleetPhase, number>> }): number {
    if ('allInOne' in fleet) {
        const perFile = timings.parse + FLEET_PHASES.reduce((sum, phase) => sum + timings.perFile[phase] + timings.load[phase] / timings.allInOneBatch, 0);
        return fleet.allInOne * 60 / perFile;
    }
    return Math.min(...FLEET_PHASES.map(phase => {
        const perFile = timings.perFile[phase] + (phase === 'caption' ? timings.parse : 0);
        return fleet.roles[phase] * 60 / perFile;
    }));
}
