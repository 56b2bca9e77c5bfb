import type { FileProblem, FileProblemPage, FileProblemQuery, FileProblemRoot, FileProblemState, FileProblemSummary } from '../../common/file-problem-protocol';
import { ArchiveDatabase, prepared, selectValue } from './database';
import { assetLocation, rootLabel, StoredFilePath, withoutPaths } from './asset-locations';

const DEFAULT_LIMIT = 200;
const MAX_LIMIT = 1000;
const PROBLEM_STATES: readonly FileProblemState[] = ['failed', 'missing'];

interface ProblemRow {
    id: number;
    root_id: number | null;
    root: string | null;
    path: string;
    state: FileProblemState;
    error_code: string | null;
    error: string | null;
    size: number;
    updated_at: string;
    asset_id: number | null;
}

/**
 * The files the archive could not index or no longer finds: counts per
 * folder, pages of them with their reasons, and queueing failed ones again.
 * Reads go through the reader connection; the re-queue is one write.
 */
export class SqliteFileProblemRepository {

    constructor(protected readonly database: ArchiveDatabase) { }

    summary(): FileProblemSummary {
        const roots = this.roots();
        return {
            failed: roots.reduce((sum, root) => sum + root.failed, 0),
            missing: roots.reduce((sum, root) => sum + root.missing, 0),
            roots
        };
    }

    /** Failed and missing counts of one folder (what a finished run reports about it). */
    rootCounts(rootId: number): { failed: number; missing: number } {
        const rows = prepared(this.database.writer, `SELECT state, count(*) AS n FROM files WHERE root_id = ? AND state IN ('failed', 'missing') GROUP BY state`)
            .all(rootId) as { state: FileProblemState; n: number }[];
        return {
            failed: rows.find(row => row.state === 'failed')?.n ?? 0,
            missing: rows.find(row => row.state === 'missing')?.n ?? 0
        };
    }

    list(query: FileProblemQuery): FileProblemPage {
        // The query comes over RPC: a field of the wrong type counts as not given.
        const states = (Array.isArray(query.states) && query.states.length ? query.states : PROBLEM_STATES).filter(state => PROBLEM_STATES.includes(state));
        const offset = Number.isFinite(query.offset) ? Math.max(0, Math.floor(query.offset!)) : 0;
        const limit = Number.isFinite(query.limit) ? Math.min(MAX_LIMIT, Math.max(1, Math.floor(query.limit!))) : DEFAULT_LIMIT;
        const rootId = Number.isSafeInteger(query.rootId) ? query.rootId! : null;
        const where = `f.state IN (SELECT value FROM json_each(?)) AND (? IS NULL OR f.root_id = ?)`;
        const params = [JSON.stringify(states), rootId, rootId];
        const db = this.database.reader;
        const total = selectValue<number>(db, `SELECT count(*) FROM files f WHERE ${where}`, ...params);
        const rows = prepared(db, `SELECT f.id, f.root_id, r.path AS root, f.path, f.state, f.error_code, f.error, f.size, f.updated_at, f.asset_id
            FROM files f LEFT JOIN roots r ON r.id = f.root_id WHERE ${where}
            ORDER BY r.path, f.path LIMIT ? OFFSET ?`).all(...params, limit, offset) as ProblemRow[];
        return { total, problems: rows.map(toProblem), roots: this.roots() };
    }

    /**
     * Makes failed files (all, or those of `fileIds`) pending again, each in
     * the run going on in its folder or in a new run that needs no discovery,
     * and answers those runs' ids. The reason stays until the file is read
     * again, so a run cancelled before reaching it leaves it failed.
     */
    requeueFailed(fileIds?: readonly number[]): number[] {
        return this.database.write(db => {
            const filter = fileIds === undefined ? null : JSON.stringify(fileIds.filter(id => Number.isSafeInteger(id)));
            const roots = prepared(db, `SELECT DISTINCT root_id FROM files
                WHERE state = 'failed' AND root_id IS NOT NULL AND (? IS NULL OR id IN (SELECT value FROM json_each(?)))`)
                .pluck().all(filter, filter) as number[];
            const runs: number[] = [];
            for (const rootId of roots) {
                const running = selectValue<number | undefined>(db, "SELECT id FROM ingest_runs WHERE root_id = ? AND state = 'running'", rootId);
                const runId = running ?? Number(prepared(db, "INSERT INTO ingest_runs (root_id, state, discovered, started_at) VALUES (?, 'running', 1, ?)")
                    .run(rootId, new Date().toISOString()).lastInsertRowid);
                prepared(db, `UPDATE files SET state = 'pending', run_id = ?, updated_at = ?
                    WHERE root_id = ? AND state = 'failed' AND (? IS NULL OR id IN (SELECT value FROM json_each(?)))`)
                    .run(runId, new Date().toISOString(), rootId, filter, filter);
                runs.push(runId);
            }
            return runs;
        });
    }

    protected roots(): FileProblemRoot[] {
        const rows = prepared(this.database.reader, `SELECT f.root_id, r.path AS root,
                sum(f.state = 'failed') AS failed, sum(f.state = 'missing') AS missing
            FROM files f LEFT JOIN roots r ON r.id = f.root_id
            WHERE f.state IN ('failed', 'missing') GROUP BY f.root_id ORDER BY r.path`)
            .all() as { root_id: number | null; root: string | null; failed: number; missing: number }[];
        return rows.map(row => ({
            rootId: row.root_id ?? 0,
            label: row.root ? rootLabel(row.root) : '',
            failed: row.failed,
            missing: row.missing
        }));
    }
}

function toProblem(row: ProblemRow): FileProblem {
    const file: StoredFilePath = { fileId: row.id, filePath: row.path, rootId: row.root_id, rootPath: row.root };
    return {
        fileId: row.id,
        location: assetLocation(file),
        state: row.state,
        code: row.state === 'failed' ? row.error_code ?? 'internal' : undefined,
        message: row.state === 'failed' && row.error !== null ? withoutPaths(row.error, file) : undefined,
        size: row.size,
        since: row.updated_at,
        assetId: row.state === 'missing' ? row.asset_id ?? undefined : undefined
    };
}
