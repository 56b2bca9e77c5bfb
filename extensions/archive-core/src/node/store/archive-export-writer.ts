import * as path from 'path';
import BetterSqlite3 = require('better-sqlite3');
import * as sqliteVec from 'sqlite-vec';
import { prepared } from './database';
import { ExportFilePlacer } from './archive-export-files';
import { ExportVectorCopier } from './archive-export-vectors';
import {
    FILES_TABLE, MANIFEST_TABLE, MEDIA_HASH_PATTERN, MEDIA_TABLE, PORTABLE_TABLES, PortableTable, ROOTS_TABLE, VECTORS_TABLE
} from '../transfer/export-format';

type Connection = BetterSqlite3.Database;

/** Which assets an export selects, resolved to what SQL can read inside the snapshot. */
export type ExportSelection =
    | { readonly kind: 'archive' }
    | { readonly kind: 'collection'; readonly collectionId: number }
    | { readonly kind: 'folder'; readonly path: string }
    | { readonly kind: 'ids'; readonly assetIds: readonly number[] };

export interface ExportWriterOptions {
    /** The archive's database file (read through an attachment, never written). */
    readonly archiveFile: string;
    /** The (temporary) export file to create; it must not exist. */
    readonly file: string;
    readonly includePaths: boolean;
}

/** What the writer put in the file, for the manifest and the report. */
export interface ExportCounts {
    readonly assets: number;
    readonly files: number;
    readonly vectors: number;
    readonly media: number;
    readonly mediaBytes: number;
    readonly collections: number;
}

/** Assets copied per step (per turn of the event loop). */
const BATCH = 1000;
/**
 * The page size of an export of {@link LARGE_EXPORT} assets or more: a
 * 4,608-byte vector or a 10 KB thumbnail then sits in its leaf page (with
 * others) instead of spilling into an overflow page of its own, and the copy
 * handles 16 times fewer pages (the bench: 25–40 % less time, the same
 * bytes). A smaller export keeps SQLite's 4 KB pages, so that a file of a few
 * assets is not a megabyte of near-empty 64 KB pages, one per table.
 */
const LARGE_PAGE_SIZE = 65536;
const LARGE_EXPORT = 1000;
/**
 * The file's page cache, in KiB: {@link CACHE_KIB_PER_ASSET} per asset
 * chosen, at least {@link MIN_CACHE_KIB}. Most of the file is written in key
 * order (each table grows at its end), so a small cache suffices: written
 * pages go out early and their buffers are reused (the bench: 10–20 % less
 * CPU than a 256 MB cache, whose fresh memory is faulted in page by page).
 * What arrives in random order is the unique index on `assets.content_hash`
 * (of a partial export) and the vectors' key (in the archive's chunk order):
 * about 128 bytes per asset keeps both in memory whole.
 */
const MIN_CACHE_KIB = 4096;
const CACHE_KIB_PER_ASSET = 0.125;

/**
 * Writes one export file (see `export-format.ts`) from one read
 * transaction over the archive: the export file is the connection's main
 * database, the archive is attached as `src`, and the rows go across with
 * `INSERT … SELECT` (only the selected assets' rows), so the file never
 * holds a row the export did not choose: no free pages with someone else's
 * data, no path when paths are left out. The snapshot starts at
 * {@link begin} and lasts until {@link commit} or {@link abort}, however
 * much the app writes in between (WAL readers never block writers).
 *
 * Steps in order: `begin`, `select`, `copyAssets` (in batches, so a caller
 * can report progress and cancel between them), `vectorCopiers` (likewise),
 * `finishRows`, `mediaHashes` + `addMedia`, `commit(manifest)`.
 */
export class ArchiveExportWriter {

    protected readonly db: Connection;
    protected readonly files: ExportFilePlacer;
    protected ids: number[] = [];
    /** Whether every current asset is exported (the asset rows then go across in one statement, see {@link copyAllAssets}). */
    protected wholeArchive = false;
    protected vectorIndexes: { name: string; dimensions: number }[] = [];
    protected readonly tables: PortableTable[] = [];
    /** The tables with rows in the snapshot: copying from an empty one is skipped (a thousand index probes a batch for nothing). */
    protected readonly populated = new Set<PortableTable>();

    constructor(protected readonly options: ExportWriterOptions) {
        this.db = new BetterSqlite3(options.file, { timeout: 5000 });
        try {
            sqliteVec.load(this.db);
            // The file is temporary until renamed: a crash or cancel deletes it, so no journal and no syncs while it is written.
            this.db.pragma('journal_mode = OFF');
            this.db.pragma('synchronous = OFF');
            this.db.pragma('foreign_keys = OFF');
            // Nobody else opens the temporary file: take its lock once, not per transaction.
            this.db.pragma('main.locking_mode = EXCLUSIVE');
            this.db.pragma('temp_store = MEMORY');
            // Whatever is deleted from the file (superseded assets, odd files) is overwritten with zeros, not left in a free page.
            this.db.pragma('secure_delete = ON');
            this.db.prepare('ATTACH DATABASE ? AS src').run(options.archiveFile);
            this.files = new ExportFilePlacer(this.db, options.includePaths);
        } catch (error) {
            this.db.close();
            throw error;
        }
    }

    /** Starts the snapshot: every later read sees the archive as it is now. The file's tables follow in {@link select}. */
    begin(): void {
        this.db.exec('BEGIN');
        // The first read of `src` fixes the snapshot.
        this.db.prepare('SELECT count(*) FROM src.sqlite_master').pluck().get();
        const schema = this.db.prepare("SELECT name, sql FROM src.sqlite_master WHERE type = 'table'").all() as { name: string; sql: string }[];
        this.sqlOf = new Map(schema.map(row => [row.name, row.sql]));
        this.db.exec(`
            CREATE TEMP TABLE export_ids (id INTEGER PRIMARY KEY);
            CREATE TEMP TABLE export_collections (id INTEGER PRIMARY KEY, top INTEGER NOT NULL);
        `);
        this.vectorIndexes = (this.db.prepare('SELECT name, dimensions FROM src.vector_indexes ORDER BY name').all() as { name: string; dimensions: number }[])
            .filter(index => this.sqlOf.has(index.name) && /^[A-Za-z0-9_]+$/.test(index.name));
    }

    protected sqlOf = new Map<string, string>();

    /** Creates the file's tables, with a page size and a cache that suit the number of assets chosen (set before the first table; see {@link LARGE_PAGE_SIZE}, {@link MIN_CACHE_KIB}). */
    protected createTables(assets: number): void {
        if (assets >= LARGE_EXPORT) {
            this.db.pragma(`main.page_size = ${LARGE_PAGE_SIZE}`);
        }
        this.db.pragma(`main.cache_size = -${Math.max(MIN_CACHE_KIB, Math.ceil(assets * CACHE_KIB_PER_ASSET))}`);
        for (const table of PORTABLE_TABLES) {
            const sql = this.sqlOf.get(table);
            if (sql) {
                // The archive's own definition, so the file has exactly the columns its schema version gave them.
                this.db.exec(sql);
                this.tables.push(table);
                if (this.db.prepare(`SELECT EXISTS (SELECT 1 FROM src.${quote(table)})`).pluck().get()) {
                    this.populated.add(table);
                }
            }
        }
        this.db.exec(`
            CREATE TABLE ${MANIFEST_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE ${ROOTS_TABLE} (id INTEGER PRIMARY KEY, path TEXT NOT NULL);
            CREATE TABLE ${FILES_TABLE} (id INTEGER PRIMARY KEY, asset_id INTEGER NOT NULL, root_id INTEGER,
                relative_path TEXT NOT NULL, size INTEGER NOT NULL, mtime_ms INTEGER NOT NULL, state TEXT NOT NULL);
            CREATE TABLE ${VECTORS_TABLE} (index_name TEXT NOT NULL, asset_id INTEGER NOT NULL, embedding BLOB NOT NULL,
                PRIMARY KEY (index_name, asset_id));
            CREATE TABLE ${MEDIA_TABLE} (hash TEXT PRIMARY KEY, size INTEGER NOT NULL, bytes BLOB NOT NULL);
        `);
    }

    /** The archive's schema version, as of the snapshot. */
    schemaVersion(): number {
        return this.db.prepare('PRAGMA src.user_version').pluck().get() as number;
    }

    /** The collection's name in the snapshot (for the scope label), if it is there and not deleted. */
    collectionName(collectionId: number): string | undefined {
        return this.db.prepare('SELECT name FROM src.collections WHERE id = ? AND deleted_at IS NULL').pluck().get(collectionId) as string | undefined;
    }

    /** Chooses the assets (current versions only) and the collections that travel, then creates the file's tables; returns how many assets. */
    select(selection: ExportSelection): number {
        const live = 'SELECT id FROM src.assets WHERE superseded = 0';
        switch (selection.kind) {
            case 'archive':
                this.db.exec(`INSERT INTO temp.export_ids ${live}`);
                this.selectCollections(`SELECT id FROM src.collections WHERE parent_id IS NULL AND deleted_at IS NULL`);
                break;
            case 'collection': {
                this.selectCollections('SELECT id FROM src.collections WHERE id = ? AND deleted_at IS NULL', selection.collectionId);
                this.db.exec(`INSERT OR IGNORE INTO temp.export_ids
                    SELECT m.asset_id FROM src.collection_members m JOIN temp.export_collections c ON c.id = m.collection_id
                        WHERE m.asset_id IN (${live})
                    UNION SELECT s.asset_id FROM src.smart_collection_members s JOIN temp.export_collections c ON c.id = s.collection_id
                        WHERE s.asset_id IN (${live})`);
                break;
            }
            case 'folder': {
                const folder = selection.path.replace(/[\\/]+$/, '') || selection.path;
                const prefix = folder.endsWith(path.sep) ? folder : folder + path.sep;
                this.db.prepare(`INSERT OR IGNORE INTO temp.export_ids
                    SELECT f.asset_id FROM src.files f WHERE f.asset_id IN (${live}) AND (f.path = ? OR substr(f.path, 1, length(?)) = ?)`)
                    .run(folder, prefix, prefix);
                break;
            }
            case 'ids': {
                const insert = this.db.prepare(`INSERT OR IGNORE INTO temp.export_ids
                    SELECT id FROM src.assets WHERE id = ? AND superseded = 0`);
                for (const id of selection.assetIds) {
                    if (Number.isSafeInteger(id)) {
                        insert.run(id);
                    }
                }
                break;
            }
        }
        this.ids = this.db.prepare('SELECT id FROM temp.export_ids ORDER BY id').pluck().all() as number[];
        this.wholeArchive = selection.kind === 'archive';
        this.createTables(this.ids.length);
        return this.ids.length;
    }

    /** The collections below (and including) the ones `topSql` names, skipping deleted ones and what lies under them. */
    protected selectCollections(topSql: string, ...params: unknown[]): void {
        this.db.prepare(`INSERT INTO temp.export_collections (id, top)
            WITH RECURSIVE tree(id, top) AS (
                SELECT id, 1 FROM (${topSql})
                UNION ALL
                SELECT c.id, 0 FROM src.collections c JOIN tree t ON c.parent_id = t.id WHERE c.deleted_at IS NULL
            ) SELECT id, max(top) FROM tree GROUP BY id`).run(...params);
    }

    /** The number of batches {@link copyAssets} takes. */
    get batches(): number {
        return Math.ceil(this.ids.length / BATCH);
    }

    /** Copies batch `index` of the selected assets' rows: the asset, its layers, tags, comments, captions, OCR, phases and files. */
    copyAssets(index: number): number {
        const batch = this.ids.slice(index * BATCH, (index + 1) * BATCH);
        if (!batch.length) {
            return 0;
        }
        const low = batch[0];
        const high = batch[batch.length - 1];
        const chosen = 'SELECT id FROM temp.export_ids WHERE id BETWEEN :low AND :high';
        const byAsset = (table: PortableTable, key = 'asset_id') => this.copy(table, `${key} IN (${chosen})`, { low, high });
        if (!this.wholeArchive) {
            byAsset('assets', 'id');
        } else if (index === 0) {
            this.copyAllAssets();
        }
        for (const table of ['layers', 'asset_tags', 'ai_tag_decisions', 'comments', 'asset_captions', 'caption_words', 'asset_ocr', 'phase_states'] as const) {
            byAsset(table);
        }
        this.copy('comment_revisions', `comment_id IN (SELECT id FROM src.comments WHERE asset_id IN (${chosen}))`, { low, high });
        this.copy('phase_results', `content_hash IN (SELECT content_hash FROM src.assets WHERE id IN (${chosen})) AND ${this.withoutPathQuotes('result')}`, { low, high });
        this.files.copy(low, high);
        return batch.length;
    }

    /**
     * The whole archive's asset rows in one `INSERT INTO main.assets SELECT *
     * FROM src.assets`: between two tables of the same definition SQLite
     * copies each record as it is stored, without decoding its columns (the
     * bench: less than half the CPU of the batched copy). The superseded
     * assets then go out again (secure_delete zeroes what they leave).
     */
    protected copyAllAssets(): void {
        if (this.populated.has('assets')) {
            this.db.exec('INSERT INTO main.assets SELECT * FROM src.assets');
            this.db.exec('DELETE FROM main.assets WHERE id NOT IN (SELECT id FROM temp.export_ids)');
        }
    }

    /** Copies a portable table's rows matching `where` (on `src`), column by column; a table the archive lacks is skipped. */
    protected copy(table: PortableTable, where: string, params?: Record<string, unknown>): void {
        if (!this.populated.has(table)) {
            return;
        }
        const columns = this.columnsOf(table);
        const values = columns.map(column => this.valueOf(table, column));
        const list = columns.map(quote).join(', ');
        const statement = prepared(this.db, `INSERT OR IGNORE INTO main.${quote(table)} (${list}) SELECT ${values.join(', ')} FROM src.${quote(table)} WHERE ${where}`);
        if (params) {
            statement.run(params);
        } else {
            statement.run();
        }
    }

    /** The SQL giving a column's exported value: without paths, phase errors (which may quote a path) are dropped. */
    protected valueOf(table: PortableTable, column: string): string {
        if (!this.options.includePaths && table === 'phase_states' && column === 'error') {
            return 'NULL';
        }
        return quote(column);
    }

    protected readonly columns = new Map<string, string[]>();

    protected columnsOf(table: PortableTable): string[] {
        let columns = this.columns.get(table);
        if (!columns) {
            columns = (this.db.prepare(`PRAGMA main.table_info(${quote(table)})`).all() as { name: string }[]).map(row => row.name);
            this.columns.set(table, columns);
        }
        return columns;
    }

    /** One copier per vector index of the archive, for the selected assets (after {@link select}). */
    vectorCopiers(): ExportVectorCopier[] {
        return this.vectorIndexes.map(index => new ExportVectorCopier(this.db, index.name, index.dimensions, this.ids));
    }

    /**
     * The rows that follow from the assets: the tags they use, the vector
     * indexes they have vectors in, the root folders of root-less files,
     * the collections (members and covers limited to exported assets; a
     * top collection of a partial export becomes top-level), presets
     * (whole-archive exports) and the migrations table. Without paths,
     * what quotes a root folder is left out ({@link withoutPathQuotes}).
     */
    finishRows(includePresets: boolean): void {
        this.files.finish();
        this.copy('tags', `id IN (SELECT tag_id FROM main.asset_tags UNION SELECT tag_id FROM main.ai_tag_decisions)`);
        this.copy('vector_indexes', `name IN (SELECT DISTINCT index_name FROM main.${VECTORS_TABLE})`);
        this.copy('collections', `id IN (SELECT id FROM temp.export_collections) AND (query IS NULL OR ${this.withoutPathQuotes('query')})`);
        this.copy('collection_members', 'collection_id IN (SELECT id FROM main.collections) AND asset_id IN (SELECT id FROM temp.export_ids)');
        if (this.tables.includes('collections')) {
            this.db.exec(`UPDATE main.collections SET parent_id = NULL WHERE parent_id IS NOT NULL AND parent_id NOT IN (SELECT id FROM main.collections)`);
            this.db.exec(`UPDATE main.collections SET cover_asset_id = NULL WHERE cover_asset_id IS NOT NULL AND cover_asset_id NOT IN (SELECT id FROM temp.export_ids)`);
        }
        if (includePresets) {
            this.copy('filter_presets', this.withoutPathQuotes('filters'));
        }
        this.copy('schema_migrations', '1');
        if (this.tables.includes('comments') && this.columnsOf('comments').includes('copied_from')) {
            this.db.exec('UPDATE main.comments SET copied_from = NULL WHERE copied_from IS NOT NULL AND copied_from NOT IN (SELECT id FROM main.comments)');
        }
    }

    /**
     * Without paths, rows whose text quotes a root folder stay home (never
     * written, so nothing to scrub from a free page): phase results, filter
     * presets and saved searches of smart collections with a folder filter
     * (`{ kind: 'folder', path }`). With paths: no condition.
     */
    protected withoutPathQuotes(column: string): string {
        return this.options.includePaths ? '1' : `NOT EXISTS (SELECT 1 FROM src.roots r WHERE instr(${column}, r.path) > 0)`;
    }

    /** The thumbnails and previews of the exported assets. */
    mediaHashes(): string[] {
        return (this.db.prepare(`SELECT thumbnail_hash FROM main.assets WHERE thumbnail_hash IS NOT NULL
            UNION SELECT preview_hash FROM main.assets WHERE preview_hash IS NOT NULL ORDER BY 1`).pluck().all() as string[]).filter(hash => MEDIA_HASH_PATTERN.test(hash));
    }

    addMedia(hash: string, bytes: Uint8Array): void {
        prepared(this.db, `INSERT OR IGNORE INTO main.${MEDIA_TABLE} (hash, size, bytes) VALUES (?, ?, ?)`).run(hash, bytes.length, bytes);
    }

    counts(): ExportCounts {
        const count = (sql: string) => (this.db.prepare(sql).pluck().get() as number | null) ?? 0;
        return {
            assets: count('SELECT count(*) FROM main.assets'),
            files: count(`SELECT count(*) FROM main.${FILES_TABLE}`),
            vectors: count(`SELECT count(*) FROM main.${VECTORS_TABLE}`),
            media: count(`SELECT count(*) FROM main.${MEDIA_TABLE}`),
            mediaBytes: count(`SELECT sum(size) FROM main.${MEDIA_TABLE}`),
            collections: this.tables.includes('collections') ? count('SELECT count(*) FROM main.collections') : 0
        };
    }

    /** Writes the manifest, ends the snapshot and closes the file (complete on disk once this returns). */
    commit(manifest: Readonly<Record<string, string>>): void {
        const insert = this.db.prepare(`INSERT INTO main.${MANIFEST_TABLE} (key, value) VALUES (?, ?)`);
        for (const [key, value] of Object.entries(manifest)) {
            insert.run(key, value);
        }
        this.db.exec('COMMIT');
        this.db.exec('DETACH DATABASE src');
        this.db.pragma('journal_mode = DELETE');
        this.db.close();
    }

    /** Ends the snapshot and closes the file without finishing it (the caller deletes it). */
    abort(): void {
        if (this.db.open) {
            if (this.db.inTransaction) {
                this.db.exec('ROLLBACK');
            }
            this.db.close();
        }
    }
}

function quote(name: string): string {
    return `"${name.replace(/"/g, '""')}"`;
}
