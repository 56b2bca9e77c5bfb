import type { Database } from 'better-sqlite3';
import type { ImportConflict, TransferStep } from '../../common/archive-transfer-protocol';
import { FILES_TABLE, MEDIA_HASH_PATTERN, VECTORS_TABLE } from '../transfer/export-format';
import { refreshAssetText } from './asset-text';
import { prepared, selectValue } from './database';
import type { ExportFile } from './export-file';
import { mergeImportedCollections, mergeImportedPresets } from './archive-import-collections';
import { insertImportedRow } from './import-rows';
import { createVectorIndex, vectorIndexName, writeVector } from './vector-index-repository';

/** Where one of the file's files goes in this archive. */
export interface ImportedFilePlace {
    /** Its absolute path here. */
    readonly path: string;
    /** The root folder it lies under here. */
    readonly root: string;
    /** Whether a file is at `path` now (else it is recorded as missing). */
    readonly onDisk: boolean;
}

/** What the importer decided before the merge: where files go, which media exist. */
export interface ImportPlan {
    /** By `export_files.id`. */
    readonly files: ReadonlyMap<number, ImportedFilePlace>;
    /** Whether a thumbnail or preview with this hash will be in the media store (in the file, or already here). */
    readonly mediaAvailable: (hash: string) => boolean;
    /** A folder of the exporting machine (in a saved search's or preset's folder filter) where it lies here. */
    readonly mapFolder?: (folder: string) => string;
    /** Reports progress; throws to abort (the transaction rolls back). */
    readonly progress: (step: TransferStep, done: number, total: number) => void;
}

/** What a merge did (or, for a dry run, would do). */
export interface MergeCounts {
    assetsAdded: number;
    assetsMerged: number;
    filesAdded: number;
    tagsAdded: number;
    /** Ratings this archive gained: those of new assets and those set on assets here that had none. */
    ratingsSet: number;
    commentsAdded: number;
    revisionsAdded: number;
    captionsAdded: number;
    vectorsAdded: number;
    collectionsAdded: number;
    collectionsMerged: number;
    presetsAdded: number;
    /** Rows changed beyond the counts above (layers, OCR, phase states, filled-in thumbnails...). */
    otherChanges: number;
}

const PROGRESS_EVERY = 500;

/**
 * One import's merge of an export file into this archive, run inside the
 * caller's write transaction: assets by content hash (new ones in the
 * file's id order), then what hangs off them, vectors, files, collections
 * by uid and presets by uid, then the text index of every asset that
 * changed. Existing assets get only what they lack; where both sides hold
 * a different value this archive's is kept and a conflict reported.
 */
export class ArchiveImportMerge {

    readonly counts: MergeCounts = {
        assetsAdded: 0, assetsMerged: 0, filesAdded: 0, tagsAdded: 0, ratingsSet: 0, commentsAdded: 0, revisionsAdded: 0,
        captionsAdded: 0, vectorsAdded: 0, collectionsAdded: 0, collectionsMerged: 0, presetsAdded: 0, otherChanges: 0
    };
    readonly conflicts: ImportConflict[] = [];

    /** File asset id → this archive's. */
    protected readonly assets = new Map<number, number>();
    protected readonly hashes = new Map<number, string>();
    /** This archive's assets that gained something (their text index is rebuilt). */
    protected readonly touched = new Set<number>();
    protected readonly added = new Set<number>();
    protected readonly now = new Date().toISOString();
    protected names: Map<number, string> | undefined;
    protected readonly comments = new Map<number, Map<string, number>>();

    constructor(protected readonly db: Database, protected readonly source: ExportFile, protected readonly plan: ImportPlan) { }

    run(): void {
        this.mergeAssets();
        this.mergeLayers();
        this.mergeTags();
        this.mergeComments();
        this.mergeAssetRows();
        this.mergeVectors();
        this.mergeFiles();
        this.mergeCollections();
        this.refreshText();
    }

    get changed(): boolean {
        return Object.values(this.counts).some(count => count > 0);
    }

    protected mergeAssets(): void {
        const rows = this.source.rows('assets', 'id');
        rows.forEach((row, index) => {
            this.tick('merge', index, rows.length);
            const fileId = row.id as number;
            const hash = row.content_hash as string;
            this.hashes.set(fileId, hash);
            const local = selectValue<number | undefined>(this.db, 'SELECT id FROM assets WHERE content_hash = ?', hash);
            if (local === undefined) {
                const id = insertImportedRow(this.db, 'assets', row, {
                    rating: clampRating(row.rating), superseded: 0,
                    thumbnail_hash: this.media(row.thumbnail_hash), thumbnail_mime: this.media(row.thumbnail_hash) ? row.thumbnail_mime : null,
                    preview_hash: this.media(row.preview_hash)
                }, { skip: ['id'] })!;
                this.assets.set(fileId, id);
                this.added.add(id);
                this.touched.add(id);
                this.counts.assetsAdded++;
                if (clampRating(row.rating)) {
                    this.counts.ratingsSet++;
                }
                return;
            }
            this.assets.set(fileId, local);
            const mine = prepared(this.db, 'SELECT rating, thumbnail_hash, preview_hash FROM assets WHERE id = ?').get(local) as
                { rating: number; thumbnail_hash: string | null; preview_hash: string | null };
            const incoming = clampRating(row.rating);
            if (incoming && !mine.rating) {
                prepared(this.db, 'UPDATE assets SET rating = ? WHERE id = ?').run(incoming, local);
                this.counts.ratingsSet++;
                this.merged(local);
            } else if (incoming && incoming !== mine.rating) {
                this.conflicts.push({ kind: 'rating', contentHash: hash, subject: this.nameOf(fileId), local: String(mine.rating), incoming: String(incoming) });
            }
            if (!mine.thumbnail_hash && this.media(row.thumbnail_hash)) {
                prepared(this.db, 'UPDATE assets SET thumbnail_hash = ?, thumbnail_mime = ? WHERE id = ?').run(row.thumbnail_hash, row.thumbnail_mime ?? null, local);
                this.merged(local);
            }
            if (!mine.preview_hash && this.media(row.preview_hash)) {
                prepared(this.db, 'UPDATE assets SET preview_hash = ? WHERE id = ?').run(row.preview_hash, local);
                this.merged(local);
            }
        });
    }

    protected mergeLayers(): void {
        const withLayers = new Set<number>();
        for (const row of this.source.iterate('layers', 'asset_id, idx')) {
            const local = this.assets.get(row.asset_id as number);
            if (local === undefined) {
                continue;
            }
            if (!this.added.has(local) && !withLayers.has(local)
                && selectValue<number | undefined>(this.db, 'SELECT 1 FROM layers WHERE asset_id = ? LIMIT 1', local) !== undefined) {
                continue;
            }
            withLayers.add(local);
            if (insertImportedRow(this.db, 'layers', row, { asset_id: local }) !== undefined && !this.added.has(local)) {
                this.merged(local);
            }
        }
    }

    protected mergeTags(): void {
        const names = new Map<number, string>();
        for (const row of this.source.rows('tags')) {
            names.set(row.id as number, String(row.name));
        }
        const tagIds = new Map<number, number>();
        const localTag = (fileTagId: number): number | undefined => {
            if (!tagIds.has(fileTagId)) {
                const name = names.get(fileTagId);
                if (name === undefined || !name.trim()) {
                    return undefined;
                }
                prepared(this.db, 'INSERT INTO tags (name) VALUES (?) ON CONFLICT (name) DO NOTHING').run(name);
                tagIds.set(fileTagId, selectValue<number>(this.db, 'SELECT id FROM tags WHERE name = ?', name));
            }
            return tagIds.get(fileTagId);
        };
        for (const row of this.source.iterate('asset_tags')) {
            const local = this.assets.get(row.asset_id as number);
            const tag = localTag(row.tag_id as number);
            if (local !== undefined && tag !== undefined
                && insertImportedRow(this.db, 'asset_tags', row, { asset_id: local, tag_id: tag }, { orIgnore: true }) !== undefined) {
                this.counts.tagsAdded++;
                this.merged(local);
            }
        }
        for (const row of this.source.iterate('ai_tag_decisions')) {
            const local = this.assets.get(row.asset_id as number);
            const tag = localTag(row.tag_id as number);
            if (local !== undefined && tag !== undefined
                && insertImportedRow(this.db, 'ai_tag_decisions', row, { asset_id: local, tag_id: tag }, { orIgnore: true }) !== undefined) {
                this.counts.otherChanges++;
                this.merged(local);
            }
        }
    }

    /**
     * Comments are the same comment when asset, author and creation time
     * agree; their revisions merge by number. A comment here that gains
     * later revisions shows the latest one, as an edit here would.
     */
    protected mergeComments(): void {
        const comments = new Map<number, number>();
        const existingComments = new Map<number, number>();
        for (const row of this.source.rows('comments', 'id')) {
            const local = this.assets.get(row.asset_id as number);
            if (local === undefined) {
                continue;
            }
            const identity = JSON.stringify([row.author, row.created_at]);
            const existing = this.commentsOf(local).get(identity);
            if (existing !== undefined) {
                comments.set(row.id as number, existing);
                existingComments.set(existing, local);
                continue;
            }
            const id = insertImportedRow(this.db, 'comments', row, { asset_id: local, copied_from: null }, { skip: ['id'] })!;
            this.commentsOf(local).set(identity, id);
            comments.set(row.id as number, id);
            this.counts.commentsAdded++;
            this.merged(local);
        }
        for (const row of this.source.iterate('comment_revisions', 'comment_id, revision')) {
            const local = comments.get(row.comment_id as number);
            if (local !== undefined && insertImportedRow(this.db, 'comment_revisions', row, { comment_id: local }, { orIgnore: true }) !== undefined) {
                this.counts.revisionsAdded++;
                const asset = existingComments.get(local);
                if (asset !== undefined) {
                    prepared(this.db, `UPDATE comments SET body = r.body, updated_at = max(comments.updated_at, r.written_at)
                        FROM (SELECT body, written_at FROM comment_revisions WHERE comment_id = ? ORDER BY revision DESC LIMIT 1) AS r
                        WHERE comments.id = ?`).run(local, local);
                    this.merged(asset);
                }
            }
        }
    }

    /**
     * This archive's comments of an asset by identity (author and creation
     * time), read once per asset: looking each of the file's comments up in
     * SQL would read all of the asset's comments every time.
     */
    protected commentsOf(assetId: number): Map<string, number> {
        let known = this.comments.get(assetId);
        if (!known) {
            known = new Map();
            for (const row of prepared(this.db, 'SELECT id, author, created_at FROM comments WHERE asset_id = ?').all(assetId) as { id: number; author: unknown; created_at: unknown }[]) {
                known.set(JSON.stringify([row.author, row.created_at]), row.id);
            }
            this.comments.set(assetId, known);
        }
        return known;
    }

    /** Captions (a different one is a conflict), OCR text, phase states and results: added where this archive has none. */
    protected mergeAssetRows(): void {
        for (const row of this.source.iterate('asset_captions')) {
            const local = this.assets.get(row.asset_id as number);
            if (local === undefined) {
                continue;
            }
            const mine = selectValue<string | undefined>(this.db, 'SELECT text FROM asset_captions WHERE asset_id = ? AND language = ?', local, row.language);
            if (mine === undefined) {
                insertImportedRow(this.db, 'asset_captions', row, { asset_id: local });
                this.counts.captionsAdded++;
                this.merged(local);
            } else if (mine !== row.text) {
                this.conflicts.push({ kind: 'caption', contentHash: this.hashes.get(row.asset_id as number), subject: String(row.language), local: mine, incoming: String(row.text) });
            }
        }
        for (const row of this.source.iterate('asset_ocr')) {
            const local = this.assets.get(row.asset_id as number);
            if (local !== undefined && insertImportedRow(this.db, 'asset_ocr', row, { asset_id: local }, { orIgnore: true }) !== undefined) {
                this.counts.otherChanges++;
                this.merged(local);
            }
        }
        for (const row of this.source.iterate('phase_states')) {
            const local = this.assets.get(row.asset_id as number);
            // A pending phase has no job here; this archive's pipeline decides what to run.
            if (local !== undefined && row.state !== 'pending'
                && insertImportedRow(this.db, 'phase_states', row, { asset_id: local, content_hash: this.hashes.get(row.asset_id as number) }, { orIgnore: true }) !== undefined) {
                this.counts.otherChanges++;
            }
        }
        const hashes = new Set(this.hashes.values());
        for (const row of this.source.iterate('phase_results')) {
            if (hashes.has(row.content_hash as string) && insertImportedRow(this.db, 'phase_results', row, {}, { orIgnore: true }) !== undefined) {
                this.counts.otherChanges++;
            }
        }
    }

    /** Vectors into this archive's index of the same axis and model (made when missing); an asset that has one keeps it. */
    protected mergeVectors(): void {
        const indexes = new Map<string, string | undefined>();
        for (const row of this.source.rows<{ name: string; axis: 'visual' | 'meaning'; model: string; dimensions: number }>('vector_indexes')) {
            const name = vectorIndexName(row.axis, row.model);
            const mine = selectValue<number | undefined>(this.db, 'SELECT dimensions FROM vector_indexes WHERE name = ?', name);
            if (mine !== undefined && mine !== row.dimensions) {
                this.conflicts.push({ kind: 'file', subject: `${row.axis} ${row.model}`, local: `${mine}`, incoming: `${row.dimensions}` });
                indexes.set(row.name, undefined);
                continue;
            }
            indexes.set(row.name, name);
        }
        const total = this.source.count(VECTORS_TABLE);
        let done = 0;
        const created = new Set<string>();
        for (const row of this.source.iterate<{ index_name: string; asset_id: number; embedding: Buffer }>(VECTORS_TABLE, 'index_name, asset_id')) {
            this.tick('vectors', done++, total);
            const index = indexes.get(row.index_name);
            const local = this.assets.get(row.asset_id);
            if (!index || local === undefined) {
                continue;
            }
            if (!created.has(index)) {
                const source = this.source.rows<{ name: string; axis: 'visual' | 'meaning'; model: string; dimensions: number }>('vector_indexes').find(r => r.name === row.index_name)!;
                createVectorIndex(this.db, source.axis, source.model, source.dimensions);
                created.add(index);
            }
            if (prepared(this.db, `SELECT 1 FROM ${index} WHERE asset_id = ?`).get(BigInt(local)) !== undefined) {
                continue;
            }
            // A copy of its own: a Float32Array needs an aligned buffer.
            writeVector(this.db, index, local, new Float32Array(new Uint8Array(row.embedding).buffer));
            this.counts.vectorsAdded++;
        }
    }

    /** Files at their mapped paths (missing when not on disk); a path this archive already gives another content is a conflict. */
    protected mergeFiles(): void {
        const roots = new Map<string, number>();
        for (const row of this.source.iterate(FILES_TABLE, 'id')) {
            const place = this.plan.files.get(row.id as number);
            const local = this.assets.get(row.asset_id as number);
            if (!place || local === undefined) {
                continue;
            }
            const existing = prepared(this.db, 'SELECT asset_id, content_hash FROM files WHERE path = ?').get(place.path) as { asset_id: number | null; content_hash: string | null } | undefined;
            if (existing) {
                if (existing.asset_id !== local) {
                    this.conflicts.push({ kind: 'file', contentHash: this.hashes.get(row.asset_id as number), subject: place.path, local: existing.content_hash ?? '', incoming: this.hashes.get(row.asset_id as number)! });
                }
                continue;
            }
            let rootId = roots.get(place.root);
            if (rootId === undefined) {
                if (prepared(this.db, 'INSERT INTO roots (path, added_at) VALUES (?, ?) ON CONFLICT (path) DO NOTHING').run(place.root, this.now).changes) {
                    this.counts.otherChanges++;
                }
                rootId = selectValue<number>(this.db, 'SELECT id FROM roots WHERE path = ?', place.root);
                roots.set(place.root, rootId);
            }
            const hash = this.hashes.get(row.asset_id as number)!;
            const fileId = Number(prepared(this.db, `INSERT INTO files (root_id, path, size, mtime_ms, content_hash, asset_id, state, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(rootId, place.path, row.size, row.mtime_ms, hash, local, place.onDisk ? 'indexed' : 'missing', this.now).lastInsertRowid);
            prepared(this.db, 'INSERT INTO file_versions (file_id, asset_id, content_hash, size, mtime_ms, first_seen_at) VALUES (?, ?, ?, ?, ?, ?)')
                .run(fileId, local, hash, row.size, row.mtime_ms, this.now);
            this.counts.filesAdded++;
            this.merged(local);
        }
    }

    /** Collections and presets by uid (see `archive-import-collections.ts`). */
    protected mergeCollections(): void {
        const collections = mergeImportedCollections(this.db, this.source, this.assets, this.counts, this.conflicts, this.plan.mapFolder);
        mergeImportedPresets(this.db, this.source, collections, this.counts, this.conflicts, this.plan.mapFolder);
    }

    protected refreshText(): void {
        let done = 0;
        for (const assetId of this.touched) {
            this.tick('index', done++, this.touched.size);
            refreshAssetText(this.db, assetId);
        }
    }

    /** An asset that was here already gained something. */
    protected merged(assetId: number): void {
        if (!this.added.has(assetId) && !this.touched.has(assetId)) {
            this.counts.assetsMerged++;
        }
        this.touched.add(assetId);
    }

    protected media(hash: unknown): string | null {
        return typeof hash === 'string' && MEDIA_HASH_PATTERN.test(hash) && this.plan.mediaAvailable(hash) ? hash : null;
    }

    /** The file's first file name of an asset (for conflicts): read once for all assets, as the file has no index by asset. */
    protected nameOf(fileAssetId: number): string {
        if (!this.names) {
            this.names = new Map();
            for (const [assetId, relativePath] of this.source.db.prepare(`SELECT asset_id, relative_path FROM ${FILES_TABLE} ORDER BY id`).raw().iterate() as IterableIterator<[number, string]>) {
                if (!this.names.has(assetId)) {
                    this.names.set(assetId, relativePath.split('/').pop()!);
                }
            }
        }
        return this.names.get(fileAssetId) ?? this.hashes.get(fileAssetId) ?? '';
    }

    protected tick(step: TransferStep, done: number, total: number): void {
        if (done % PROGRESS_EVERY === 0) {
            this.plan.progress(step, done, total);
        }
    }
}

function clampRating(value: unknown): number {
    return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 5 ? value : 0;
}
