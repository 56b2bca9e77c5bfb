/**
 * How many times a worker's heartbeats went critical (a run of critical
 * heartbeats is one episode). On this shared test machine the CPU can reach
 * 100 %, the highest limit a user-settings.yaml allows; each episode rightly
 * unloads the models (the governor's critical rule), so a model may load once
 * more per episode. Without one, a resident model loads exactly once.
 */
export function criticalEpisodes(levels: readonly (string | undefined)[]): number {
    return levels.filter((level, i) => level === 'critical' && levels[i - 1] !== 'critical').length;
}
