/**
 * What the fleet admin panel (and the palette commands) ask the server:
 * the workers, per-phase queues, commands to workers, worker tokens, and
 * contributing this very machine as a worker. JSON-RPC over Theia's
 * connection at {@link FLEET_SERVICE_PATH}.
 */
import type { PhaseId } from '@imageparser/archive-core/lib/common/job-protocol';
import type {
    ThrottleLevel, WorkerCommand, WorkerCounters, WorkerMachine, WorkerResources, WorkerRole, WorkerSchedule, WorkerState
} from './fleet-protocol';

export const FLEET_SERVICE_PATH = '/services/imageparser/fleet';

/** One worker session as the server sees it. Throughput is per session, never grouped by user or token. */
export interface FleetWorker {
    readonly sessionId: string;
    /** The token it registered with (its label names it in the panel). */
    readonly tokenId: string;
    readonly tokenLabel: string;
    readonly machine: WorkerMachine;
    /** The role it runs now, and the one it asked for (`auto` when the server chooses). */
    readonly role: WorkerRole;
    readonly requestedRole: WorkerRole;
    readonly state: WorkerState;
    /** `lost`: no heartbeat for three heartbeat periods on the server's clock (its leases run out). */
    readonly connection: 'connected' | 'lost';
    readonly schedule?: WorkerSchedule;
    readonly resources?: WorkerResources;
    readonly throttle: ThrottleLevel;
    readonly currentJob?: { readonly assetId: number; readonly phase: PhaseId; readonly name?: string };
    readonly counters: WorkerCounters;
    /** Jobs done per minute by this session over the last few minutes. */
    readonly jobsPerMinute: number;
    /** Age of its last heartbeat, measured on the server's clock (ms). */
    readonly lastHeartbeatAgeMs: number;
    /** Server time (ms) it registered. */
    readonly registeredAt: number;
    readonly startedBy: string;
    /** Whether it runs on the server's machine, started by the Contribute command. */
    readonly local: boolean;
}

/** One phase's queue as the fleet panel shows it. */
export interface FleetPhaseQueue {
    readonly phase: PhaseId;
    readonly model: string;
    readonly queued: number;
    readonly leased: number;
    readonly done: number;
    readonly failed: number;
    /** Jobs done per minute over the last minute. */
    readonly ratePerMinute: number;
    /** Age in seconds of the job waiting longest, when one waits. */
    readonly oldestPendingSeconds?: number;
    /** How many connected workers claim this phase now. */
    readonly workers: number;
}

/** A worker token as listed (the secret itself is shown once, when issued). */
export interface WorkerTokenInfo {
    readonly id: string;
    readonly label: string;
    /** ISO times. */
    readonly createdAt: string;
    readonly revokedAt?: string;
    /** Sessions registered with it now. */
    readonly sessions: number;
}

export interface IssuedWorkerToken extends WorkerTokenInfo {
    /** The secret a worker passes as `--token`; only its hash is stored. */
    readonly token: string;
}

export interface FleetOverview {
    readonly workers: readonly FleetWorker[];
    readonly phases: readonly FleetPhaseQueue[];
    /** The queue engine behind the server: `embedded` (SQLite) or `bullmq` (Redis). */
    readonly engine: string;
    /** Machines blocked from registering (by hostname). */
    readonly blocked: readonly string[];
    /** The worker this machine contributes (the Contribute command), if one runs. */
    readonly localWorker?: { readonly role: WorkerRole; readonly pid: number };
}

export const FleetService = Symbol('FleetService');

export interface FleetService {
    overview(): Promise<FleetOverview>;
    /** Queues a command for a worker session; it reaches the worker with its next heartbeat. Throws for an unknown session. */
    command(sessionId: string, command: WorkerCommand): Promise<void>;
    /** Lets a blocked machine register again. */
    unblock(hostname: string): Promise<void>;
    tokens(): Promise<WorkerTokenInfo[]>;
    issueToken(label: string): Promise<IssuedWorkerToken>;
    /** Revokes a token: its sessions are refused from their next call, their leases run out. */
    revokeToken(id: string): Promise<void>;
    /** Starts a worker process on this machine connected to this server (a child that dies with the backend). */
    contributeThisMachine(role: WorkerRole): Promise<void>;
    stopContributing(): Promise<void>;
}

export const FleetClient = Symbol('FleetClient');

/** Told when the fleet changes (a heartbeat, a registration, a command), at most a few times a second. */
export interface FleetClient {
    onFleetChanged(overview: FleetOverview): void;
}
