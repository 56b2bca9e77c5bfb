import { PhaseFailure, PhaseIds } from '../../common/job-protocol';
import type { DrivenPhaseCounts } from '../jobs/phase-contribution';
import { ArchiveDatabase, prepared } from './database';
import { assetLocation, StoredFilePath, withoutPaths } from './asset-locations';
import { SQLITE_NOW_MS } from './phase-state-repository';

/**
 * The parse phase as the store has it: the ingester parses files (parse
 * makes the asset), so its queue is the pending files, its claims the
 * files a process holds, its failures the failed files with their codes.
 */
export class SqliteParsePhaseRepository {

    constructor(readonly database: ArchiveDatabase) { }

    counts(): DrivenPhaseCounts {
        const db = this.database.reader;
        const files = prepared(db, `SELECT coalesce(sum(state = 'pending' AND claimed_by IS NULL), 0) AS queued,
                coalesce(sum(state = 'pending' AND claimed_by IS NOT NULL), 0) AS leased, coalesce(sum(state = 'failed'), 0) AS failed,
                min(CASE WHEN state = 'pending' THEN updated_at END) AS oldest
            FROM files WHERE state IN ('pending', 'failed')`).get() as { queued: number; leased: number; failed: number; oldest: string | null };
        const states = prepared(db, `SELECT coalesce(sum(state = 'done'), 0) AS done,
                coalesce(sum(state = 'done' AND updated_ms > ${SQLITE_NOW_MS} - 60000), 0) AS recent,
                (${SQLITE_NOW_MS} - min(CASE WHEN state = 'done' AND updated_ms > ${SQLITE_NOW_MS} - 60000 THEN updated_ms END)) / 1000.0 AS span
            FROM phase_states WHERE phase = ? AND model = ''`).get(PhaseIds.PARSE) as { done: number; recent: number; span: number | null };
        const oldest = files.oldest === null ? NaN : Date.parse(files.oldest);
        return {
            done: states.done, queued: files.queued, leased: files.leased, failed: files.failed, doneLastMinute: states.recent,
            ...(states.span === null ? {} : { recentSpanSeconds: states.span }),
            oldestQueuedAt: Number.isFinite(oldest) ? oldest : undefined
        };
    }

    /** Files that failed to parse, newest first, with the ingest failure code and message. */
    failures(limit: number): PhaseFailure[] {
        const rows = prepared(this.database.reader, `SELECT f.id, f.asset_id, f.path, f.root_id, r.path AS root, f.error_code, f.error, f.updated_at
            FROM files f LEFT JOIN roots r ON r.id = f.root_id
            WHERE f.state = 'failed' ORDER BY f.updated_at DESC, f.id LIMIT ?`).all(limit) as
            { id: number; asset_id: number | null; path: string; root_id: number | null; root: string | null; error_code: string | null; error: string | null; updated_at: string }[];
        return rows.map(row => {
            const file: StoredFilePath = { fileId: row.id, filePath: row.path, rootId: row.root_id, rootPath: row.root };
            return {
                assetId: row.asset_id ?? 0, fileId: row.id, phase: PhaseIds.PARSE, location: assetLocation(file), code: row.error_code ?? 'internal',
                message: withoutPaths(row.error ?? '', file), attempts: 1, at: row.updated_at
            };
        });
    }

    failedCount(): number {
        return prepared(this.database.reader, "SELECT count(*) FROM files WHERE state = 'failed'").pluck().get() as number;
    }
}
