/**
 * The engines `bench:fleet` compares. The embedded SQLite queue is always
 * there; BullMQ on a real `redis-server` (started here as a foreground
 * child, stopped at the end) and the server's worker API join when they are
 * built.
 */
import { embeddedEngine, FleetBenchEngine } from './fleet-bench-queue';

export function fleetBenchEngines(): FleetBenchEngine[] {
    return [embeddedEngine];
}
