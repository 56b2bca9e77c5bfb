/**
 * The phase and job contract: what every asset goes through after it is
 * found (parse, then the model phases), the jobs a worker claims to do that
 * work, and the progress a client shows. Engine-neutral: the embedded SQLite
 * queue and a fleet engine speak it alike, in-process or over HTTP.
 *
 * Every fraction in this protocol is 0..1; percentages exist only where a
 * view shows one.
 */
import type { AssetLocation } from './asset-location';

export const PHASE_SERVICE_PATH = '/services/imageparser/phases';

/** A phase's id: `parse`, `ocr`, and later `caption`, `visual`, `text`. */
export type PhaseId = string;

export namespace PhaseIds {
    export const PARSE: PhaseId = 'parse';
    export const OCR: PhaseId = 'ocr';
    /** MC: a caption and AI tags from a vision-language model behind an OpenAI-compatible endpoint. */
    export const CAPTION: PhaseId = 'caption';
    /** VV: an image embedding (CLIP / SigLIP family) for the V axis. */
    export const VISUAL: PhaseId = 'visual';
    /** MV: a caption (and optionally OCR text) embedding for the M axis. */
    export const TEXT: PhaseId = 'text';
}

/**
 * Whether the provider a phase runs on can take work now. `ready`: it can;
 * `down`: its endpoint does not answer (the circuit breaker is open: jobs
 * wait, none is failed); `invalid`: its settings are wrong (a missing
 * folder, wrong files, a bad URL); `not-configured`: no model or endpoint is set.
 */
export interface ProviderHealth {
    readonly state: 'ready' | 'down' | 'invalid' | 'not-configured';
    /** A stable code for the views to translate (e.g. `endpoint-down`, `folder-missing`, `file-missing`). */
    readonly code?: string;
    /** Details in English for the log and a tooltip, naming the path or URL. */
    readonly message?: string;
    /** Server time (ms) the provider is tried again, while it is down. */
    readonly retryAt?: number;
}

/**
 * A job's state. `queued`: waiting (maybe not before a backoff time);
 * `leased`: a worker holds it under a lease; `done` and `failed` are final
 * for this job (a failed one can be queued again by a retry).
 */
export type JobState = 'queued' | 'leased' | 'done' | 'failed';

/** A phase's state for one asset and model, as the store keeps it (the truth progress is counted from). */
export type PhaseState = 'pending' | 'done' | 'failed' | 'skipped';

/** A job handed to a worker by a claim. */
export interface ClaimedJob {
    readonly jobId: number;
    readonly assetId: number;
    readonly phase: PhaseId;
    /** The model the phase runs with ('' when the phase has none). */
    readonly model: string;
    /** The content the job works on: results are keyed by it. */
    readonly contentHash: string;
    /** Proves the lease in heartbeat, complete and fail; a stale or unknown token is refused. */
    readonly leaseToken: string;
    /** When the lease expires, in milliseconds since the epoch on the server's clock. */
    readonly leaseExpiresAt: number;
    /** How many times this job was claimed before this claim. */
    readonly attempt: number;
}

/** What a failed job says. */
export interface JobError {
    /** A stable code (e.g. `decode-failed`, `timeout`, `out-of-memory`) for the views to translate. */
    readonly code: string;
    /** Details for the log and the failures list. */
    readonly message: string;
}

/**
 * Why a lease call was refused. `stale-lease`: the token's lease expired or
 * the job was reclaimed; `unknown-lease`: no job ever had this token.
 */
export type LeaseRefusal = 'stale-lease' | 'unknown-lease';

/** The answer to complete and fail: `done` the first time, `already-done` for a repeat (a no-op), else refused. */
export type CompletionOutcome = 'done' | 'already-done';

/** One phase's progress, counted from the store. */
export interface PhaseProgress {
    readonly phase: PhaseId;
    /** The model the counts are for ('' when the phase has none). */
    readonly model: string;
    readonly enabled: boolean;
    readonly paused: boolean;
    readonly done: number;
    readonly queued: number;
    readonly leased: number;
    readonly failed: number;
    /** done / (done + queued + leased + failed), 0..1; 1 when there is nothing to do. */
    readonly fraction: number;
    /** Jobs finished per second over the last minute. */
    readonly rate: number;
    /** Seconds left at that rate, when there is one. */
    readonly etaSeconds?: number;
    /** Age in seconds of the oldest job still waiting (queue lag), when one waits. */
    readonly oldestQueuedSeconds?: number;
    readonly modelState: ModelState;
    /** The provider's health, for phases that run on one (caption, visual, text); a `down` endpoint shows as down. */
    readonly provider?: ProviderHealth;
}

/** Whether a phase's model is in memory: `missing` when its files or data are not installed. */
export type ModelState = 'loaded' | 'loading' | 'unloaded' | 'missing' | 'none';

/** One asset a phase failed on, with the reason. */
export interface PhaseFailure {
    /** The asset; 0 for a file that failed to parse before it ever had one (see {@link fileId}). */
    readonly assetId: number;
    /** For parse failures: the file that failed (parse fails on files, before an asset exists). */
    readonly fileId?: number;
    readonly phase: PhaseId;
    /** Where the asset's file (or the failed file) lies, for display, when it has one. */
    readonly location?: AssetLocation;
    readonly code: string;
    readonly message: string;
    readonly attempts: number;
    /** ISO time of the last failure. */
    readonly at: string;
}

export const PhaseService = Symbol('PhaseService');

/** The phases RPC service the Phases view and the status bar use. */
export interface PhaseService {
    progress(): Promise<PhaseProgress[]>;
    failures(phase: PhaseId, limit: number): Promise<PhaseFailure[]>;
    pause(phase: PhaseId): Promise<void>;
    resume(phase: PhaseId): Promise<void>;
    /** Queues the failed jobs of a phase again; answers how many. */
    retryFailed(phase: PhaseId): Promise<number>;
    /** Runs a phase again on these assets (their results are recomputed); answers how many jobs were queued. */
    rerun(phase: PhaseId, assetIds: readonly number[]): Promise<number>;
}

export const PhaseClient = Symbol('PhaseClient');

/** Told when phase progress changes (at most a few times a second). */
export interface PhaseClient {
    onPhaseProgress(progress: PhaseProgress[]): void;
}
