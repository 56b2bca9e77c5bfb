import type { PhaseId } from '@imageparser/archive-core/lib/common/job-protocol';
import type {
    WorkerCommand, WorkerCounters, WorkerMachine, WorkerResources, WorkerRole, WorkerSchedule, WorkerState
} from '../../common/fleet-protocol';

/** A lease a session holds, as the server saw it claimed or renewed. */
export interface HeldLease {
    /** Unknown for a lease adopted from a heartbeat after the server lost track of it (it restarted). */
    readonly assetId?: number;
    readonly phase?: PhaseId;
    /** Server time (ms) the lease runs out. */
    expiresAt: number;
}

/** One registered worker session as the registry keeps it (server times in ms). */
export interface WorkerSession {
    readonly id: string;
    readonly tokenId: string;
    readonly tokenLabel: string;
    readonly machine: WorkerMachine;
    readonly models: Readonly<Partial<Record<PhaseId, string>>>;
    readonly startedBy: string;
    readonly registeredAt: number;
    /** Started on the server's own machine by the Contribute command. */
    readonly local: boolean;
    requestedRole: WorkerRole;
    role: WorkerRole;
    schedule?: WorkerSchedule;
    state: WorkerState;
    resources?: WorkerResources;
    counters: WorkerCounters;
    currentJob?: { readonly assetId: number; readonly phase: PhaseId };
    /** Paused by an admin (until resumed) or told to stop or blocked: its claims get nothing, whatever it says its state is. */
    held: 'paused' | 'stopping' | undefined;
    /** Server time of its last call. */
    lastSeen: number;
    /** No heartbeat for three periods: its calls answer 410, its leases are left to run out. */
    lost: boolean;
    /** Commands waiting for its next heartbeat. */
    readonly commands: WorkerCommand[];
    /** Leases it holds, by token. */
    readonly leases: Map<string, HeldLease>;
    /** Server times of the jobs it completed lately, for its throughput. */
    readonly completions: number[];
}

export const EMPTY_COUNTERS: WorkerCounters = { done: 0, failed: 0, loads: 0, unloads: 0 };
