/**
 * The worker API: what a worker machine and the archive's server say to each
 * other over HTTP (`/api/v1/…`), engine-neutral (the server answers from its
 * `JobQueue`, embedded SQLite or BullMQ on Redis, and the worker never knows
 * which). JSON in UTF-8 both ways; source bytes stream.
 *
 * Authentication: every call carries `Authorization: Bearer <worker token>`
 * (a token an admin issued in the fleet panel or with `imageparser token
 * issue`; revoked ones are refused with 401). Every call after registering
 * also carries the session id in {@link FleetApi.SESSION_HEADER}; a session
 * the server does not know (it restarted, or dropped the session after
 * missed heartbeats) answers 410 and the worker registers again.
 *
 * Leases: claim answers jobs with a lease token; heartbeat, complete and fail
 * name it. A stale or foreign lease token (expired, reclaimed, or held by
 * another session) answers 409 and changes nothing. Completing the same job
 * twice with the same token is a no-op (`already-done`). Liveness and lease
 * expiry are judged on the server's clock only; times a worker sends are
 * informative and never compared with the server's.
 */
import type { ClaimedJob, CompletionOutcome, JobError, PhaseId } from '@imageparser/archive-core/lib/common/job-protocol';

export namespace FleetApi {
    export const ROOT = '/api/v1';
    /** POST {@link RegisterRequest} → {@link RegisterResponse}. */
    export const REGISTER = `${ROOT}/workers/register`;
    /** POST {@link HeartbeatRequest} → {@link HeartbeatResponse}. */
    export const HEARTBEAT = `${ROOT}/workers/heartbeat`;
    /** POST {@link ClaimRequest} → {@link ClaimResponse}; `?phase=` may name the phase too. */
    export const CLAIM = `${ROOT}/jobs/claim`;
    /** POST `${JOBS}/:leaseToken/heartbeat` → {@link LeaseResponse}; `/complete` {@link CompleteRequest} → {@link CompleteResponse}; `/fail` {@link FailRequest} → {@link CompleteResponse}; `/release` → 204. */
    export const JOBS = `${ROOT}/jobs`;
    /**
     * GET `${SOURCES}/:assetId/image?maxEdge=N` → the asset's stored preview
     * (its thumbnail when it has none), the stored file's own bytes and type
     * (streamed; at most 1024 px, upright): the worker scales it to `maxEdge`
     * and decodes it as the server's phases do (archive-core's `decodeAiImage`),
     * so a remote result is the one the server would compute; GET `${SOURCES}/:assetId/text` →
     * {@link TextSource}; GET `${SOURCES}/:assetId/original` → the original
     * file's bytes (OCR). Served by asset id only, and only to a session that
     * holds a live lease on a job of that asset (403 otherwise).
     */
    export const SOURCES = `${ROOT}/assets`;
    /** The header naming the worker session on every call after register. */
    export const SESSION_HEADER = 'X-ImageParser-Worker-Session';
    /** The protocol version a worker speaks; the server refuses others with 400 and says which it speaks. */
    export const VERSION = 1;
}

/** The phases a worker can take. `all`: every AI phase (all-in-one); `auto`: the server chooses. */
export type WorkerRole = 'caption' | 'visual' | 'text' | 'ocr' | 'all' | 'auto';
export const WORKER_ROLES: readonly WorkerRole[] = ['caption', 'visual', 'text', 'ocr', 'all', 'auto'];

/** The phases a role claims (`all` = every AI phase the server runs; `auto` claims nothing until the server assigns one). */
export function phasesOfRole(role: WorkerRole, serverPhases: readonly PhaseId[]): PhaseId[] {
    if (role === 'all') {
        return serverPhases.filter(phase => phase !== 'parse');
    }
    return role === 'auto' ? [] : serverPhases.filter(phase => phase === role);
}

/** How hard the worker's machine is pressed: warning shrinks batches and adds pauses; danger rests; critical stops and reports paused. */
export type ThrottleLevel = 'normal' | 'warning' | 'danger' | 'critical';

/**
 * A worker's state as the seed's state machine has it. `active`: model
 * loaded, claiming; `resting`: pressure (danger), model kept, short waits,
 * no claims; `idle`: outside its schedule or no work for the idle timeout,
 * model unloaded, heartbeats only; `paused`: paused by an admin or by a
 * critical throttle level; `stopping`: finishing its jobs before it exits.
 */
export type WorkerState = 'active' | 'resting' | 'idle' | 'paused' | 'stopping';

/** One GPU as `nvidia-smi` reports it. */
export interface GpuInfo {
    readonly name: string;
    readonly memoryTotalMb: number;
}

/** The machine a worker runs on, reported when it registers. */
export interface WorkerMachine {
    readonly hostname: string;
    readonly platform: string;
    readonly cpuModel: string;
    readonly cpuCores: number;
    readonly memoryTotalMb: number;
    /** Empty when `nvidia-smi` is absent or finds none. */
    readonly gpus: readonly GpuInfo[];
}

/** Resource metrics sampled on each heartbeat; GPU fields absent without a GPU. Percentages 0..100. */
export interface WorkerResources {
    readonly gpuTemperatureC?: number;
    readonly gpuMemoryPercent?: number;
    readonly gpuUtilizationPercent?: number;
    readonly cpuPercent: number;
    readonly memoryPercent: number;
    /** The level these metrics put the worker at. */
    readonly throttle: ThrottleLevel;
}

/** A worker's activity schedule, from its machine's `user-settings.yaml` (see worker-settings.ts). */
export interface WorkerSchedule {
    /** `HH:MM-HH:MM` in the schedule's time zone, possibly across midnight (`22:00-08:00`); absent = all day. */
    readonly activeHours?: string;
    /** Days the worker is active (`mon`…`sun`), absent = every day. For hours across midnight, the day the span starts. */
    readonly activeDays?: readonly WeekDay[];
    /** An IANA time zone (`Asia/Seoul`); absent = the machine's. */
    readonly timezone?: string;
    /** Minutes without work after which the model is unloaded (10 by default); 0 never. */
    readonly idleUnloadMinutes: number;
}

export type WeekDay = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** A command the server hands a worker in a heartbeat's answer. */
export type WorkerCommand =
    | { readonly kind: 'pause' }
    | { readonly kind: 'resume' }
    /** Finish or give back held jobs and exit. */
    | { readonly kind: 'stop' }
    /** Like stop, and the server refuses this machine's registrations until an admin unblocks it. */
    | { readonly kind: 'block' }
    | { readonly kind: 'change-role'; readonly role: WorkerRole };

export interface RegisterRequest {
    readonly protocol: number;
    readonly machine: WorkerMachine;
    /** The role asked for; `auto` lets the server choose. */
    readonly role: WorkerRole;
    readonly schedule?: WorkerSchedule;
    /** The models this worker can run per phase (ids as the phase keys results by), so the server assigns only roles it can take. */
    readonly models: Readonly<Partial<Record<PhaseId, string>>>;
    /** How the worker was started: `cli` (`imageparser worker`), `app` (the Contribute command) or `test`. */
    readonly startedBy: string;
    /** The worker's own clock at sending (ms): informative only, never compared with the server's. */
    readonly sentAt?: number;
}

export interface RegisterResponse {
    readonly sessionId: string;
    /** The role the server gives (the one asked for, or the bottleneck phase for `auto`, or `all` when this worker is alone). */
    readonly role: WorkerRole;
    /** The phases the server runs now (their ids and model ids): a worker claims only these. */
    readonly phases: readonly { readonly phase: PhaseId; readonly model: string }[];
    /** How often to heartbeat (ms). */
    readonly heartbeatMs: number;
    /** A job lease's length (ms) on the server's clock. */
    readonly leaseMs: number;
}

/** Counters of a worker session since it registered. */
export interface WorkerCounters {
    readonly done: number;
    readonly failed: number;
    /** Model loads and unloads (a resident role keeps both at 1 and 0 between batches). */
    readonly loads: number;
    readonly unloads: number;
}

export interface HeartbeatRequest {
    readonly state: WorkerState;
    readonly resources: WorkerResources;
    readonly counters: WorkerCounters;
    /** The job it works on now, if any. */
    readonly currentJob?: { readonly assetId: number; readonly phase: PhaseId };
    /** Leases it holds: each is extended (the answer says which are no longer held). */
    readonly leaseTokens: readonly string[];
    readonly schedule?: WorkerSchedule;
    readonly sentAt?: number;
}

export interface HeartbeatResponse {
    /** What the admin asked of this worker since the last heartbeat, in order. */
    readonly commands: readonly WorkerCommand[];
    /** The role it has now (changes by command or by the server's re-balancing of `auto` workers). */
    readonly role: WorkerRole;
    /** Leases from the request that are no longer held: abort those jobs, drop their results. */
    readonly lostLeases: readonly string[];
    readonly phases: RegisterResponse['phases'];
}

export interface ClaimRequest {
    readonly phases: readonly PhaseId[];
    readonly max: number;
}

export interface ClaimResponse {
    readonly jobs: readonly ClaimedJob[];
}

export interface LeaseResponse {
    /** The lease's new expiry on the server's clock (ms). */
    readonly leaseExpiresAt: number;
}

export interface CompleteRequest {
    /**
     * The phase's output: `{ kind: 'done', result }` or `{ kind: 'skipped', reason }`
     * (archive-core's `PhaseJobResult`); a result's field names are mapped to
     * the store's by the phase's own `store` on the server.
     */
    readonly result: unknown;
}

export interface FailRequest {
    readonly error: JobError;
    readonly retryable: boolean;
}

export interface CompleteResponse {
    readonly outcome: CompletionOutcome;
}

/** The text a text-embedding job embeds. */
export interface TextSource {
    /** The asset's captions (every language), then its OCR text when the server includes it; '' when it has none. */
    readonly text: string;
}

/** What every refused call answers (4xx/5xx), besides its status. */
export interface FleetApiError {
    /**
     * A stable code: `unauthorized`, `revoked` (401); `blocked`, `foreign-session` (another token's session), `no-lease` (a source
     * of an asset the session holds no lease on) (403); `not-found` (404); `stale-lease`, `unknown-lease`, `foreign-lease` (409);
     * `unknown-session` (410); `too-large` (413); `unsupported-encoding` (415); `result-refused` (422: the phase could not store
     * the result, the lease still holds); `bad-request`, `protocol` (400); `internal` (500); `unavailable` (503: the archive cannot be opened).
     */
    readonly code: string;
    readonly message: string;
}
