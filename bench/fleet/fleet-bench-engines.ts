/**
 * The engines `bench:fleet` compares. The embedded SQLite queue is always
 * there; BullMQ on a real `redis-server` (started here as a foreground
 * child, stopped at the end) joins when archive-core's BullMQ engine is built.
 */
import { embeddedEngine, FleetBenchEngine } from './fleet-bench-queue';

export interface BenchEngineEntry {
    /** The name `--engines` selects it by. */
    readonly id: string;
    readonly engine: FleetBenchEngine;
    dispose(): Promise<void>;
}

export function fleetBenchEngines(): BenchEngineEntry[] {
    return [{ id: 'embedded', engine: embeddedEngine, dispose: async () => undefined }];
}
