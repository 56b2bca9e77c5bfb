import type { Database } from 'better-sqlite3';
import { ArchiveDatabase, prepared, selectValue } from './database';
import { refreshAssetText } from './asset-text';
import { recordFileContent } from './file-version-repository';
import { writePhaseState } from './phase-state-repository';
import { PhaseIds } from '../../common/job-protocol';
import { createVectorIndex, writeVector } from './vector-index-repository';
import { isRetryableFailure } from '../ingest/ingest-failures';
import type { SkippedEntries } from '../ingest/file-discovery';
import type { ParsedAsset } from '../ingest/parse-result';
import { VISUAL_DESCRIPTOR_DIMENSIONS, VISUAL_DESCRIPTOR_MODEL } from '../ingest/visual-descriptor';

/** A file as discovery saw it. */
export interface DiscoveredFile {
    readonly path: string;
    readonly size: number;
    readonly mtimeMs: number;
}

/** A file waiting to be hashed and parsed. */
export interface PendingFile {
    readonly id: number;
    readonly path: string;
    readonly size: number;
}

/** Durable counts of one ingest run. */
export interface RunCounts {
    readonly total: number;
    readonly indexed: number;
    readonly failed: number;
    readonly pending: number;
}

export interface RunRecord {
    readonly id: number;
    readonly rootId: number;
    readonly root: string;
    readonly state: 'running' | 'done' | 'cancelled';
    readonly discovered: boolean;
    /** What the run's last discovery skipped. */
    readonly skipped: SkippedEntries;
}

/** What the parse phase stored for one file. */
export interface StoredMedia {
    readonly thumbnailHash: string;
    readonly previewHash: string;
}

/**
 * The ingest tables: roots, files, runs, and the whole parse result of an
 * asset, written in one transaction with its parse phase state. Counts are read
 * from the store, so progress survives a restart.
 */
export class SqliteIngestRepository {

    readonly descriptorIndex: string;

    constructor(readonly database: ArchiveDatabase) {
        this.descriptorIndex = database.write(db => createVectorIndex(db, 'visual', VISUAL_DESCRIPTOR_MODEL, VISUAL_DESCRIPTOR_DIMENSIONS));
    }

    /** Starts a run for the folder, or returns the run already going on there. */
    startRun(root: string): RunRecord {
        return this.database.write(db => {
            prepared(db, 'INSERT INTO roots (path, added_at) VALUES (?, ?) ON CONFLICT (path) DO NOTHING').run(root, now());
            const rootId = selectValue<number>(db, 'SELECT id FROM roots WHERE path = ?', root);
            const running = selectValue<number | undefined>(db, "SELECT id FROM ingest_runs WHERE root_id = ? AND state = 'running'", rootId);
            const id = running ?? Number(prepared(db, "INSERT INTO ingest_runs (root_id, state, started_at) VALUES (?, 'running', ?)").run(rootId, now()).lastInsertRowid);
            return this.run(id)!;
        });
    }

    run(id: number): RunRecord | undefined {
        const row = prepared(this.database.writer, `SELECT r.id, r.root_id, roots.path AS root, r.state, r.discovered, r.skipped_links, r.skipped_special
            FROM ingest_runs r JOIN roots ON roots.id = r.root_id WHERE r.id = ?`).get(id) as
            { id: number; root_id: number; root: string; state: RunRecord['state']; discovered: number; skipped_links: number; skipped_special: number } | undefined;
        return row && {
            id: row.id, rootId: row.root_id, root: row.root, state: row.state, discovered: !!row.discovered,
            skipped: { links: row.skipped_links, special: row.skipped_special }
        };
    }

    /** Runs a killed process left unfinished. */
    unfinishedRuns(): RunRecord[] {
        const ids = prepared(this.database.writer, "SELECT id FROM ingest_runs WHERE state = 'running' ORDER BY id").pluck().all() as number[];
        return ids.map(id => this.run(id)!);
    }

    /**
     * Records what discovery found under the run's root: new files, files
     * whose size or mtime changed and files that failed for a cause that can
     * pass (a full disk, a read error, a timeout...) become pending in this
     * run; other unchanged files are left alone; files no longer there are
     * marked missing (never purged). What discovery skipped is kept with the run.
     */
    recordDiscovery(run: RunRecord, files: readonly DiscoveredFile[], skipped: SkippedEntries = { links: 0, special: 0 }): void {
        this.database.write(db => {
            const known = new Map<string, { id: number; size: number; mtime_ms: number; state: string; error_code: string | null; run_id: number | null }>();
            for (const row of prepared(db, 'SELECT id, path, size, mtime_ms, state, error_code, run_id FROM files WHERE root_id = ?').all(run.rootId) as
                { id: number; path: string; size: number; mtime_ms: number; state: string; error_code: string | null; run_id: number | null }[]) {
                known.set(row.path, row);
            }
            const insert = prepared(db, `INSERT INTO files (root_id, path, size, mtime_ms, state, run_id, updated_at) VALUES (?, ?, ?, ?, 'pending', ?, ?)
                ON CONFLICT (path) DO UPDATE SET root_id = excluded.root_id, size = excluded.size, mtime_ms = excluded.mtime_ms,
                state = 'pending', run_id = excluded.run_id, error = NULL, error_code = NULL, updated_at = excluded.updated_at`);
            const seen = new Set<string>();
            for (const file of files) {
                seen.add(file.path);
                const previous = known.get(file.path);
                // A file already queued in this run (a retry of failed files) keeps its row, and so its last failure's reason.
                const unchanged = previous && previous.size === file.size && previous.mtime_ms === Math.trunc(file.mtimeMs)
                    && (previous.state === 'indexed' || (previous.state === 'failed' && !isRetryableFailure(previous.error_code))
                        || (previous.state === 'pending' && previous.run_id === run.id));
                if (!unchanged) {
                    insert.run(run.rootId, file.path, file.size, Math.trunc(file.mtimeMs), run.id, now());
                }
            }
            const missing = prepared(db, "UPDATE files SET state = 'missing', updated_at = ? WHERE id = ?");
            for (const [filePath, row] of known) {
                if (!seen.has(filePath) && row.state !== 'missing') {
                    missing.run(now(), row.id);
                }
            }
            prepared(db, 'UPDATE ingest_runs SET discovered = 1, skipped_links = ?, skipped_special = ? WHERE id = ?').run(skipped.links, skipped.special, run.id);
        });
    }

    pendingFiles(runId: number, limit: number, excluding: ReadonlySet<number>): PendingFile[] {
        const rows = prepared(this.database.writer, "SELECT id, path, size FROM files WHERE run_id = ? AND state = 'pending' ORDER BY id LIMIT ?")
            .all(runId, limit + excluding.size) as PendingFile[];
        return rows.filter(row => !excluding.has(row.id)).slice(0, limit);
    }

    /** Whether another file with content (indexed, missing or linked) has this size: only then can a new file be a copy. */
    hasContentOfSize(size: number, exceptFileId: number): boolean {
        return selectValue<number | undefined>(this.database.writer,
            'SELECT 1 FROM files WHERE size = ? AND content_hash IS NOT NULL AND id != ? LIMIT 1', size, exceptFileId) !== undefined;
    }

    assetIdForContent(contentHash: string): number | undefined {
        return selectValue<number | undefined>(this.database.writer, 'SELECT id FROM assets WHERE content_hash = ?', contentHash);
    }

    /**
     * Points a file at the asset that already has its content (a copy, a move,
     * a rename, or a file set back to earlier bytes); a file that held other
     * content gets a new version and its annotations follow it.
     */
    linkExisting(fileId: number, assetId: number, contentHash: string): void {
        this.database.write(db => {
            prepared(db, "UPDATE files SET state = 'indexed', asset_id = ?, content_hash = ?, error = NULL, error_code = NULL, updated_at = ? WHERE id = ?")
                .run(assetId, contentHash, now(), fileId);
            recordFileContent(db, fileId, assetId, contentHash);
            refreshAssetText(db, assetId);
        });
    }

    /**
     * Stores a parsed asset: the asset row, its layers, its text, its
     * descriptor, its parse phase state, the file's link and its new version
     * (annotations carried from the file's earlier content), all or nothing.
     * Storing the same content again only links the file. `onNewAsset` runs
     * in the same transaction for a new asset (the next phases' jobs).
     */
    storeParsed(fileId: number, contentHash: string, asset: ParsedAsset, media: StoredMedia, onNewAsset?: (db: Database, assetId: number) => void): number {
        return this.database.write(db => {
            let assetId = selectValue<number | undefined>(db, 'SELECT id FROM assets WHERE content_hash = ?', contentHash);
            if (assetId === undefined) {
                assetId = Number(prepared(db, `INSERT INTO assets (content_hash, kind, width, height, color_mode, bit_depth, dpi, layer_count,
                        thumbnail_hash, thumbnail_mime, preview_hash, registered_at, color_space, has_alpha, icc_profile, orientation,
                        captured_at, camera, software, phash, notes)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'image/webp', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
                    contentHash, asset.kind, asset.width, asset.height, asset.colorMode, asset.bitDepth, asset.dpi ?? null, asset.layers.length,
                    media.thumbnailHash, media.previewHash, now(), asset.colorMode, asset.hasAlpha ? 1 : 0, asset.iccProfile ?? null,
                    asset.orientation ?? null, asset.capturedAt ?? null, asset.camera ?? null, asset.software ?? null, asset.phash, asset.notes ?? null
                ).lastInsertRowid);
                const insertLayer = prepared(db, `INSERT INTO layers (asset_id, idx, parent_idx, depth, name, kind, visible, opacity, blend_mode, clipping,
                    top, left, bottom, right, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
                for (const layer of asset.layers) {
                    insertLayer.run(assetId, layer.idx, layer.parentIdx ?? null, layer.depth, layer.name, layer.kind, layer.visible ? 1 : 0, layer.opacity,
                        layer.blendMode ?? null, layer.clipping ? 1 : 0, layer.bounds?.top ?? null, layer.bounds?.left ?? null,
                        layer.bounds?.bottom ?? null, layer.bounds?.right ?? null, layer.text ?? null);
                }
                writeVector(db, this.descriptorIndex, assetId, Float32Array.from(asset.descriptor));
                writePhaseState(db, { assetId, phase: PhaseIds.PARSE, model: '', contentHash, configVersion: '' }, 'done');
                onNewAsset?.(db, assetId);
            }
            prepared(db, "UPDATE files SET state = 'indexed', asset_id = ?, content_hash = ?, error = NULL, error_code = NULL, updated_at = ? WHERE id = ?")
                .run(assetId, contentHash, now(), fileId);
            recordFileContent(db, fileId, assetId, contentHash);
            refreshAssetText(db, assetId);
            return assetId;
        });
    }

    failFile(fileId: number, code: string, message: string): void {
        this.database.write(db => prepared(db, "UPDATE files SET state = 'failed', error_code = ?, error = ?, updated_at = ? WHERE id = ?")
            .run(code, message, now(), fileId));
    }

    finishRun(runId: number, state: 'done' | 'cancelled'): void {
        this.database.write(db => {
            if (state === 'cancelled') {
                abandonPendingFiles(db, runId);
            }
            prepared(db, 'UPDATE ingest_runs SET state = ?, finished_at = ? WHERE id = ?').run(state, now(), runId);
        });
    }

    counts(runId: number): RunCounts {
        const rows = prepared(this.database.writer, 'SELECT state, count(*) AS n FROM files WHERE run_id = ? GROUP BY state').all(runId) as { state: string; n: number }[];
        const of = (state: string) => rows.find(row => row.state === state)?.n ?? 0;
        return { total: rows.reduce((sum, row) => sum + row.n, 0), indexed: of('indexed'), failed: of('failed'), pending: of('pending') };
    }

    /** Every failed file of the run, with its error code and message. */
    failures(runId: number): { id: number; path: string; code: string; message: string }[] {
        return prepared(this.database.writer, "SELECT id, path, error_code AS code, error AS message FROM files WHERE run_id = ? AND state = 'failed' ORDER BY path")
            .all(runId) as { id: number; path: string; code: string; message: string }[];
    }
}

/**
 * Takes the files a cancelled run did not reach out of it: a later run picks
 * them up again. A failed file queued again by a retry still has its reason,
 * so it goes back to failed.
 */
export function abandonPendingFiles(db: Database, runId: number): void {
    prepared(db, "UPDATE files SET state = 'failed' WHERE run_id = ? AND state = 'pending' AND error_code IS NOT NULL").run(runId);
    prepared(db, "UPDATE files SET run_id = NULL WHERE run_id = ? AND state = 'pending'").run(runId);
}

function now(): string {
    return new Date().toISOString();
}
