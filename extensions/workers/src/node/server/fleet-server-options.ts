/** Sets how often workers heartbeat, in milliseconds (5 s by default; at most a third of the job lease). */
export const FLEET_HEARTBEAT_ENV = 'IMAGEPARSER_FLEET_HEARTBEAT_MS';
/** The job lease the queue gives (archive-core's embedded queue reads the same variable). */
export const JOB_LEASE_ENV = 'IMAGEPARSER_JOB_LEASE_MS';

export const FleetServerOptions = Symbol('FleetServerOptions');

/** How the fleet server paces its workers, when bound (tests shorten it); from the environment otherwise. */
export interface FleetServerOptions {
    /** How often a worker heartbeats (ms). */
    readonly heartbeatMs?: number;
    /** The job lease the queue gives (ms), told to workers. */
    readonly leaseMs?: number;
    /** How long a lost session stays listed before it is forgotten (ms; 10 min). */
    readonly forgetLostMs?: number;
}

export const FleetClock = Symbol('FleetClock');

/** The server's clock, the only one liveness, heartbeat ages and throughput are measured on. */
export interface FleetClock {
    now(): number;
}

export const SYSTEM_FLEET_CLOCK: FleetClock = { now: () => Date.now() };

/** The settings in effect: bound options, then the environment, then the defaults. */
export function fleetTimings(options: FleetServerOptions | undefined): Required<FleetServerOptions> {
    const leaseMs = positive(options?.leaseMs) ?? positive(Number(process.env[JOB_LEASE_ENV])) ?? 60_000;
    const heartbeatMs = positive(options?.heartbeatMs) ?? positive(Number(process.env[FLEET_HEARTBEAT_ENV])) ?? 5_000;
    return { leaseMs, heartbeatMs: Math.max(50, Math.min(heartbeatMs, Math.floor(leaseMs / 3))), forgetLostMs: positive(options?.forgetLostMs) ?? 600_000 };
}

function positive(value: number | undefined): number | undefined {
    return value !== undefined && Number.isFinite(value) && value > 0 ? value : undefined;
}
