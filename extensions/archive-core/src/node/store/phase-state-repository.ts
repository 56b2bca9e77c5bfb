import type { Database } from 'better-sqlite3';
import type { JobError, PhaseFailure, PhaseId, PhaseState } from '../../common/job-protocol';
import { ArchiveDatabase, prepared, selectValue } from './database';
import { assetLocation } from './asset-locations';

/** Now in milliseconds on SQLite's clock, the one clock every process on the archive shares. */
export const SQLITE_NOW_MS = "CAST(unixepoch('subsec') * 1000 AS INTEGER)";

/** One phase's work on one asset's content with one model (and settings). */
export interface PhaseKey {
    readonly assetId: number;
    readonly phase: PhaseId;
    readonly model: string;
    readonly contentHash: string;
    readonly configVersion: string;
}

/** A phase a sweep queues for: its id, its current model and what it needs (each need with its current model). */
export interface PhaseDemand {
    readonly phase: PhaseId;
    readonly model: string;
    readonly needs: readonly { readonly phase: PhaseId; readonly model: string }[];
}

/** An asset a phase has still to work on. */
export interface MissingWork {
    readonly assetId: number;
    readonly contentHash: string;
}

/** A phase's states for one model, counted. */
export interface PhaseStateCounts {
    readonly done: number;
    readonly skipped: number;
    readonly failed: number;
    /** Reached done or skipped over the last minute (server clock). */
    readonly doneLastMinute: number;
    /** Seconds from the first of those to now, when there is one. */
    readonly recentSpanSeconds?: number;
}

/**
 * Writes a phase's state for one asset and model, inside the caller's
 * transaction. A done state clears the error; a failed one keeps the code,
 * the message and the attempts.
 */
export function writePhaseState(db: Database, key: PhaseKey, state: PhaseState, error?: JobError, attempts = 0): void {
    prepared(db, `INSERT INTO phase_states (asset_id, phase, model, state, content_hash, config_version, error_code, error, attempts, updated_at, updated_ms)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ${SQLITE_NOW_MS})
        ON CONFLICT (asset_id, phase, model) DO UPDATE SET state = excluded.state, content_hash = excluded.content_hash,
            config_version = excluded.config_version, error_code = excluded.error_code, error = excluded.error,
            attempts = excluded.attempts, updated_at = excluded.updated_at, updated_ms = excluded.updated_ms`)
        .run(key.assetId, key.phase, key.model, state, key.contentHash, key.configVersion, error?.code ?? null, error?.message ?? null, attempts,
            new Date().toISOString());
}

/** The result stored for this content, phase, model and config version, parsed; undefined when none is. */
export function storedPhaseResult(db: Database, key: Omit<PhaseKey, 'assetId'>): { readonly result: unknown } | undefined {
    const text = selectValue<string | undefined>(db,
        'SELECT result FROM phase_results WHERE content_hash = ? AND phase = ? AND model = ? AND config_version = ?',
        key.contentHash, key.phase, key.model, key.configVersion);
    return text === undefined ? undefined : { result: JSON.parse(text) };
}

/** Keeps a result for its content, phase, model and config version; the first one kept stays (a second write changes nothing). */
export function keepPhaseResult(db: Database, key: Omit<PhaseKey, 'assetId'>, result: unknown): boolean {
    return prepared(db, `INSERT INTO phase_results (content_hash, phase, model, config_version, result, created_at) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT DO NOTHING`).run(key.contentHash, key.phase, key.model, key.configVersion, JSON.stringify(result ?? null), new Date().toISOString()).changes > 0;
}

/** Whether every phase in `needs` is done for the asset with its current model. */
export function needsDone(db: Database, assetId: number, needs: PhaseDemand['needs']): boolean {
    return needs.every(need => selectValue<number | undefined>(db,
        "SELECT 1 FROM phase_states WHERE asset_id = ? AND phase = ? AND model = ? AND state = 'done'", assetId, need.phase, need.model) !== undefined);
}

/** The content hash of an asset, or undefined when it is gone. */
export function assetContentHash(db: Database, assetId: number): string | undefined {
    return selectValue<string | undefined>(db, 'SELECT content_hash FROM assets WHERE id = ?', assetId);
}

/**
 * The phase tables outside a transaction: pause flags every process
 * honours, and counts and failures for progress.
 */
export class SqlitePhaseStateRepository {

    constructor(readonly database: ArchiveDatabase) { }

    isPaused(phase: PhaseId): boolean {
        return !!selectValue<number | undefined>(this.database.reader, 'SELECT paused FROM phase_controls WHERE phase = ?', phase);
    }

    setPaused(phase: PhaseId, paused: boolean): void {
        this.database.write(db => prepared(db, `INSERT INTO phase_controls (phase, paused, updated_at) VALUES (?, ?, ?)
            ON CONFLICT (phase) DO UPDATE SET paused = excluded.paused, updated_at = excluded.updated_at`).run(phase, paused ? 1 : 0, new Date().toISOString()));
    }

    counts(phase: PhaseId, model: string): PhaseStateCounts {
        const row = prepared(this.database.reader, `SELECT coalesce(sum(state = 'done'), 0) AS done, coalesce(sum(state = 'skipped'), 0) AS skipped,
                coalesce(sum(state = 'failed'), 0) AS failed,
                coalesce(sum(state IN ('done', 'skipped') AND updated_ms > ${SQLITE_NOW_MS} - 60000), 0) AS recent,
                (${SQLITE_NOW_MS} - min(CASE WHEN state IN ('done', 'skipped') AND updated_ms > ${SQLITE_NOW_MS} - 60000 THEN updated_ms END)) / 1000.0 AS span
            FROM phase_states WHERE phase = ? AND model = ?`).get(phase, model) as { done: number; skipped: number; failed: number; recent: number; span: number | null };
        return { done: row.done, skipped: row.skipped, failed: row.failed, doneLastMinute: row.recent, ...(row.span === null ? {} : { recentSpanSeconds: row.span }) };
    }

    /** The result stored for this content, phase, model and config version (see {@link storedPhaseResult}). */
    storedResult(key: Omit<PhaseKey, 'assetId'>): { readonly result: unknown } | undefined {
        return storedPhaseResult(this.database.reader, key);
    }

    /** Now on SQLite's clock (ms). */
    now(): number {
        return selectValue<number>(this.database.reader, `SELECT ${SQLITE_NOW_MS}`);
    }

    /** The assets a phase failed on for this model, newest first, each with where one of its files lies. */
    failures(phase: PhaseId, model: string, limit: number): PhaseFailure[] {
        const rows = prepared(this.database.reader, `SELECT s.asset_id, s.error_code, s.error, s.attempts, s.updated_at,
                (SELECT json_object('fileId', f.id, 'filePath', f.path, 'rootId', f.root_id, 'rootPath', r.path)
                    FROM files f LEFT JOIN roots r ON r.id = f.root_id WHERE f.asset_id = s.asset_id ORDER BY f.path LIMIT 1) AS file
            FROM phase_states s WHERE s.phase = ? AND s.model = ? AND s.state = 'failed' ORDER BY s.updated_ms DESC, s.asset_id LIMIT ?`)
            .all(phase, model, limit) as { asset_id: number; error_code: string | null; error: string | null; attempts: number; updated_at: string; file: string | null }[];
        return rows.map(row => ({
            assetId: row.asset_id, phase, location: row.file === null ? undefined : assetLocation(JSON.parse(row.file)), code: row.error_code ?? 'internal', message: row.error ?? '',
            attempts: row.attempts, at: row.updated_at
        }));
    }

    /** See {@link missingPhaseWork}; read outside a transaction (for counts). */
    missing(demand: PhaseDemand, afterAssetId: number, limit: number): MissingWork[] {
        return missingPhaseWork(this.database.reader, demand, afterAssetId, limit);
    }
}

/**
 * Assets after `afterAssetId` (in id order) that a phase has not worked on
 * with its model (no state, or pending) and whose needs are done. Earlier
 * versions no file holds any more are left out. Read in the transaction
 * that queues them, so a job another process completes meanwhile is not
 * queued again.
 */
export function missingPhaseWork(db: Database, demand: PhaseDemand, afterAssetId: number, limit: number): MissingWork[] {
    return prepared(db, `SELECT a.id AS assetId, a.content_hash AS contentHash FROM assets a
        WHERE a.id > ? AND a.superseded = 0
            AND NOT EXISTS (SELECT 1 FROM phase_states s WHERE s.asset_id = a.id AND s.phase = ? AND s.model = ? AND s.state != 'pending')
            AND NOT EXISTS (SELECT 1 FROM json_each(?) n WHERE NOT EXISTS (SELECT 1 FROM phase_states d
                WHERE d.asset_id = a.id AND d.phase = n.value ->> '$.phase' AND d.model = n.value ->> '$.model' AND d.state = 'done'))
        ORDER BY a.id LIMIT ?`).all(afterAssetId, demand.phase, demand.model, JSON.stringify(demand.needs), limit) as MissingWork[];
}

/** Sets the phase's failed states for this model back to pending, in the caller's transaction; answers those assets. */
export function reopenFailedPhase(db: Database, phase: PhaseId, model: string): MissingWork[] {
    return prepared(db, `UPDATE phase_states SET state = 'pending', updated_at = ?, updated_ms = ${SQLITE_NOW_MS}
            WHERE phase = ? AND model = ? AND state = 'failed'
            RETURNING asset_id AS assetId, (SELECT content_hash FROM assets WHERE id = asset_id) AS contentHash`)
        .all(new Date().toISOString(), phase, model) as MissingWork[];
}

/**
 * Makes the phase work on these assets again, in the caller's transaction:
 * their states for this model go back to pending and the results kept for
 * their content are forgotten, so the next job computes them anew. Answers
 * the assets that exist.
 */
export function reopenPhase(db: Database, phase: PhaseId, model: string, configVersion: string, assetIds: readonly number[]): MissingWork[] {
    const ids = JSON.stringify(assetIds.filter(id => Number.isSafeInteger(id)));
    const assets = prepared(db, 'SELECT id AS assetId, content_hash AS contentHash FROM assets WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id')
        .all(ids) as MissingWork[];
    for (const asset of assets) {
        prepared(db, 'DELETE FROM phase_results WHERE content_hash = ? AND phase = ? AND model = ? AND config_version = ?')
            .run(asset.contentHash, phase, model, configVersion);
        prepared(db, `UPDATE phase_states SET state = 'pending', updated_at = ?, updated_ms = ${SQLITE_NOW_MS}
            WHERE asset_id = ? AND phase = ? AND model = ?`).run(new Date().toISOString(), asset.assetId, phase, model);
    }
    return assets;
}

/**
 * An asset's input to a phase changed (its captions were written anew): the
 * phase's results kept for the asset's content, for every model and config,
 * are forgotten and its states go back to pending, in the caller's
 * transaction, so its next job computes them from the new input instead of
 * reusing what the old input gave.
 */
export function reopenForNewInput(db: Database, phase: PhaseId, assetId: number): void {
    const contentHash = assetContentHash(db, assetId);
    if (contentHash === undefined) {
        return;
    }
    prepared(db, 'DELETE FROM phase_results WHERE content_hash = ? AND phase = ?').run(contentHash, phase);
    prepared(db, `UPDATE phase_states SET state = 'pending', updated_at = ?, updated_ms = ${SQLITE_NOW_MS}
        WHERE asset_id = ? AND phase = ? AND state != 'pending'`).run(new Date().toISOString(), assetId, phase);
}

/** The asset's state of a phase with a model, if it has one. */
export function phaseStateOf(db: Database, assetId: number, phase: PhaseId, model: string): PhaseState | undefined {
    return selectValue<PhaseState | undefined>(db, 'SELECT state FROM phase_states WHERE asset_id = ? AND phase = ? AND model = ?', assetId, phase, model);
}
