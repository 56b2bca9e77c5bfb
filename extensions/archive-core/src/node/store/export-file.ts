import * as fs from 'fs';
import BetterSqlite3 = require('better-sqlite3');
import { formatBytes } from '../../common/byte-size';
import { TransferErrorReason, TransferErrors } from '../../common/archive-transfer-protocol';
import {
    EXPORT_FORMAT, EXPORT_FORMAT_VERSION, FILES_TABLE, MANIFEST_TABLE, ManifestKey, MEDIA_TABLE, PORTABLE_TABLES, ROOTS_TABLE, VECTORS_TABLE
} from '../transfer/export-format';
import { checkExportContent } from './export-file-checks';
import { checkExportSchema } from './export-file-schema';

type Connection = BetterSqlite3.Database;

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** The columns the importer reads by name (ids, identities, order), in every table of the format that has them. */
const REQUIRED_COLUMNS: Record<string, readonly string[]> = {
    [ROOTS_TABLE]: ['id', 'path'],
    [FILES_TABLE]: ['id', 'asset_id', 'root_id', 'relative_path', 'size', 'mtime_ms', 'state'],
    [VECTORS_TABLE]: ['index_name', 'asset_id', 'embedding'],
    [MEDIA_TABLE]: ['hash', 'size', 'bytes'],
    assets: ['id', 'content_hash'],
    layers: ['asset_id', 'idx'],
    tags: ['id', 'name'],
    asset_tags: ['asset_id', 'tag_id'],
    ai_tag_decisions: ['asset_id', 'tag_id'],
    comments: ['id', 'asset_id', 'author', 'created_at'],
    comment_revisions: ['comment_id', 'revision'],
    asset_captions: ['asset_id', 'language', 'text'],
    asset_ocr: ['asset_id'],
    phase_states: ['asset_id', 'state'],
    phase_results: ['content_hash'],
    vector_indexes: ['name', 'axis', 'model', 'dimensions'],
    collections: ['id', 'uid', 'parent_id', 'name'],
    collection_members: ['collection_id', 'asset_id', 'position'],
    filter_presets: ['id', 'uid', 'name', 'filters']
};

/** The manifest of an export file, parsed and checked. */
export interface ExportManifest {
    readonly formatVersion: number;
    readonly schemaVersion: number;
    readonly generator: string;
    readonly createdAt: string;
    readonly scopeLabel: string;
    readonly includesMedia: boolean;
    readonly includesPaths: boolean;
    readonly assets: number;
    readonly files: number;
    readonly vectors: number;
    readonly media: number;
    readonly mediaBytes: number;
    readonly collections: number;
}

/** Raised for a file that must not be imported: the reason code of `TransferErrors.Refused` and what was found. */
export class ExportFileRefusal extends Error {
    constructor(readonly reason: TransferErrorReason, readonly file: string, readonly detail: string) {
        super(`${file}: ${reason}: ${detail}`);
    }

    /** The RPC error the transfer service answers with. */
    toRefused(): Error {
        return TransferErrors.Refused({ reason: this.reason, file: this.file, detail: this.detail });
    }
}

/**
 * An export file (see `export-format.ts`) opened for reading only and
 * checked as a whole before anything reads its rows: SQLite header and
 * length (truncation), manifest format and versions, SQLite's integrity
 * check, the tables being plain tables (never views or virtual tables, so
 * reading runs no SQL of the file's), the manifest's counts against the
 * rows, media sizes and names, vector lengths and the shape of every path.
 * The connection runs with `trusted_schema` off and `query_only` on, in
 * one read transaction from the checks to {@link close}, so another
 * process cannot change the file between the checks and the merge.
 */
export class ExportFile {

    protected readonly columnCache = new Map<string, readonly string[] | undefined>();

    protected constructor(readonly file: string, readonly db: Connection, readonly manifest: ExportManifest, readonly bytes: number) { }

    /**
     * Opens and checks `file`; throws {@link ExportFileRefusal} with the
     * reason when it is not an export this archive (schema version
     * `archiveSchemaVersion`) can import.
     */
    static open(file: string, archiveSchemaVersion: number): ExportFile {
        const bytes = checkHeader(file);
        let db: Connection;
        try {
            db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
        } catch (error) {
            throw new ExportFileRefusal('damaged', file, describe(error));
        }
        try {
            db.pragma('trusted_schema = OFF');
            db.pragma('query_only = ON');
            db.pragma('cell_size_check = ON');
            // One read transaction until close: what the checks saw is what the merge reads (a writer cannot commit meanwhile).
            db.exec('BEGIN');
            db.prepare('SELECT count(*) FROM sqlite_schema').get();
            const manifest = readManifest(db, file, archiveSchemaVersion);
            const exportFile = new ExportFile(file, db, manifest, bytes);
            exportFile.check();
            return exportFile;
        } catch (error) {
            db.close();
            if (error instanceof ExportFileRefusal) {
                throw error;
            }
            throw new ExportFileRefusal('damaged', file, describe(error));
        }
    }

    /** The table's columns, or undefined when the file does not have it (an older exporting schema). */
    columns(table: string): readonly string[] | undefined {
        if (!this.columnCache.has(table)) {
            const exists = this.db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(table);
            const columns = exists ? (this.db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[]) : undefined;
            this.columnCache.set(table, columns);
        }
        return this.columnCache.get(table);
    }

    /** Every row of a table (which must be one of the format's, checked to be a plain table), in `orderBy` order. */
    rows<T = Record<string, unknown>>(table: string, orderBy?: string): T[] {
        if (!this.columns(table)) {
            return [];
        }
        return this.db.prepare(`SELECT * FROM "${table}"${orderBy ? ` ORDER BY ${orderBy}` : ''}`).all() as T[];
    }

    /** Rows one at a time (for the large tables: vectors, media). */
    iterate<T = Record<string, unknown>>(table: string, orderBy?: string): IterableIterator<T> {
        if (!this.columns(table)) {
            return [][Symbol.iterator]();
        }
        return this.db.prepare(`SELECT * FROM "${table}"${orderBy ? ` ORDER BY ${orderBy}` : ''}`).iterate() as IterableIterator<T>;
    }

    /** How many rows a table has (0 when it is absent). */
    count(table: string): number {
        return this.columns(table) ? this.db.prepare(`SELECT count(*) FROM "${table}"`).pluck().get() as number : 0;
    }

    /** The names (content hashes) of the media entries. */
    mediaHashes(): Set<string> {
        return new Set(this.db.prepare(`SELECT hash FROM ${MEDIA_TABLE}`).pluck().all() as string[]);
    }

    /** The exporting archive's roots and how many of the file's assets have a file below each. */
    roots(): { id: number; path: string; assets: number }[] {
        // Counted in one pass over the files (a count per root would read every file once per root).
        return this.db.prepare(`SELECT r.id, r.path, coalesce(c.assets, 0) AS assets FROM ${ROOTS_TABLE} r
            LEFT JOIN (SELECT root_id, count(DISTINCT asset_id) AS assets FROM ${FILES_TABLE} WHERE root_id IS NOT NULL GROUP BY root_id) c ON c.root_id = r.id
            ORDER BY r.id`).all() as { id: number; path: string; assets: number }[];
    }

    close(): void {
        if (this.db.open) {
            this.db.close();
        }
    }

    protected refuse(reason: TransferErrorReason, detail: string): never {
        throw new ExportFileRefusal(reason, this.file, detail);
    }

    protected check(): void {
        checkExportSchema(this.db, (reason, detail) => this.refuse(reason, detail));
        // CHECK constraints are the exporting archive's; this archive's own constraints judge the rows during the merge.
        this.db.pragma('ignore_check_constraints = ON');
        const problems = (this.db.pragma('integrity_check(20)') as { integrity_check: string }[]).map(row => row.integrity_check);
        if (problems.length !== 1 || problems[0] !== 'ok') {
            this.refuse('damaged', `SQLite's integrity check failed: ${problems.slice(0, 3).join('; ')}`);
        }
        // Only plain tables are read: a view or virtual table under a format table's name would run the file's own SQL.
        for (const table of [MANIFEST_TABLE, ROOTS_TABLE, FILES_TABLE, VECTORS_TABLE, MEDIA_TABLE, ...PORTABLE_TABLES]) {
            const entry = this.db.prepare('SELECT type, sql FROM sqlite_schema WHERE name = ? COLLATE NOCASE').get(table) as { type: string; sql: string | null } | undefined;
            if (entry && (entry.type !== 'table' || !/^\s*CREATE\s+TABLE/i.test(entry.sql ?? ''))) {
                this.refuse('damaged', `${table} is a ${entry.type === 'table' ? 'virtual table' : entry.type}, not a table`);
            }
        }
        for (const table of [ROOTS_TABLE, FILES_TABLE, VECTORS_TABLE, MEDIA_TABLE, 'assets']) {
            if (!this.columns(table)) {
                this.refuse('damaged', `the table ${table} is missing`);
            }
        }
        for (const [table, required] of Object.entries(REQUIRED_COLUMNS)) {
            const columns = this.columns(table);
            const missing = columns && required.filter(column => !columns.includes(column));
            if (missing?.length) {
                this.refuse('damaged', `the table ${table} lacks the columns ${missing.join(', ')}`);
            }
        }
        checkExportContent(this, (reason, detail) => this.refuse(reason, detail));
    }
}

/** The file exists, is SQLite and is as long as its header says (a shorter one was truncated); answers its length. */
function checkHeader(file: string): number {
    let stat: fs.Stats;
    try {
        stat = fs.statSync(file);
    } catch (error) {
        throw new ExportFileRefusal('not-found', file, describe(error));
    }
    if (!stat.isFile()) {
        throw new ExportFileRefusal('not-found', file, 'it is not a regular file');
    }
    const header = Buffer.alloc(100);
    let read: number;
    try {
        const fd = fs.openSync(file, 'r');
        try {
            read = fs.readSync(fd, header, 0, header.length, 0);
        } finally {
            fs.closeSync(fd);
        }
    } catch (error) {
        throw new ExportFileRefusal('not-found', file, describe(error));
    }
    if (read < SQLITE_HEADER.length || !header.subarray(0, SQLITE_HEADER.length).equals(SQLITE_HEADER)) {
        throw new ExportFileRefusal('not-an-export', file, 'the file is not an SQLite database');
    }
    if (read < 100) {
        throw new ExportFileRefusal('damaged', file, 'the file ends inside its header');
    }
    // Reading a write-ahead-log database would make SQLite create files beside it: an export is one file in rollback-journal mode.
    if (header[18] === 2 || header[19] === 2) {
        throw new ExportFileRefusal('damaged', file, 'it is in write-ahead-log mode; an export is a single file in rollback-journal mode');
    }
    const pageSize = header.readUInt16BE(16) === 1 ? 65536 : header.readUInt16BE(16);
    if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) {
        throw new ExportFileRefusal('damaged', file, `the header gives an impossible page size (${pageSize})`);
    }
    // The header's page count is valid when its "version valid for" equals the change counter.
    const pages = header.readUInt32BE(28);
    if (header.readUInt32BE(92) === header.readUInt32BE(24) && pages > 0 && stat.size < pages * pageSize) {
        throw new ExportFileRefusal('damaged', file, `the file is truncated: it holds ${formatBytes(stat.size)} of the ${formatBytes(pages * pageSize)} its header declares`);
    }
    if (stat.size % pageSize !== 0) {
        throw new ExportFileRefusal('damaged', file, `the file's length (${stat.size} bytes) is not a whole number of ${pageSize}-byte pages`);
    }
    return stat.size;
}

function readManifest(db: Connection, file: string, archiveSchemaVersion: number): ExportManifest {
    const entry = db.prepare('SELECT type, sql FROM sqlite_schema WHERE name = ?').get(MANIFEST_TABLE) as { type: string; sql: string | null } | undefined;
    if (entry?.type !== 'table' || !/^\s*CREATE\s+TABLE/i.test(entry.sql ?? '')) {
        throw new ExportFileRefusal('not-an-export', file, `the database has no ${MANIFEST_TABLE} table`);
    }
    // Stored columns only: a computed one would run the file's SQL.
    const columns = db.prepare('SELECT name FROM pragma_table_xinfo(?) WHERE hidden = 0').pluck().all(MANIFEST_TABLE) as string[];
    if (!columns.includes('key') || !columns.includes('value')) {
        throw new ExportFileRefusal('not-an-export', file, `its ${MANIFEST_TABLE} table has no key and value columns`);
    }
    const values = new Map<string, unknown>();
    for (const row of db.prepare(`SELECT key, value FROM ${MANIFEST_TABLE}`).all() as { key: unknown; value: unknown }[]) {
        if (typeof row.key === 'string') {
            if (values.has(row.key)) {
                throw new ExportFileRefusal('damaged', file, `the manifest gives ${row.key} twice`);
            }
            values.set(row.key, row.value);
        }
    }
    if (values.get(ManifestKey.format) !== EXPORT_FORMAT) {
        throw new ExportFileRefusal('not-an-export', file, `its manifest names the format ${JSON.stringify(values.get(ManifestKey.format) ?? null)}, not ${EXPORT_FORMAT}`);
    }
    const text = (key: string): string => {
        const value = values.get(key);
        if (typeof value !== 'string') {
            throw new ExportFileRefusal('damaged', file, `the manifest's ${key} is missing or not text`);
        }
        return value;
    };
    const count = (key: string): number => {
        const value = text(key);
        if (!/^\d{1,15}$/.test(value)) {
            throw new ExportFileRefusal('damaged', file, `the manifest's ${key} is not a whole number: ${JSON.stringify(value)}`);
        }
        return Number(value);
    };
    const flag = (key: string): boolean => {
        const value = text(key);
        if (value !== 'true' && value !== 'false') {
            throw new ExportFileRefusal('damaged', file, `the manifest's ${key} is neither true nor false: ${JSON.stringify(value)}`);
        }
        return value === 'true';
    };
    const formatVersion = count(ManifestKey.formatVersion);
    if (formatVersion > EXPORT_FORMAT_VERSION) {
        throw new ExportFileRefusal('newer-version', file, `it has export format version ${formatVersion}; this ImageParser reads up to ${EXPORT_FORMAT_VERSION}`);
    }
    const schemaVersion = count(ManifestKey.schemaVersion);
    if (schemaVersion > archiveSchemaVersion) {
        throw new ExportFileRefusal('newer-version', file, `it comes from archive schema version ${schemaVersion}; this archive has ${archiveSchemaVersion}`);
    }
    if (formatVersion < 1) {
        throw new ExportFileRefusal('damaged', file, `its manifest gives format version ${formatVersion}`);
    }
    return {
        formatVersion, schemaVersion,
        generator: text(ManifestKey.generator),
        createdAt: text(ManifestKey.createdAt),
        scopeLabel: text(ManifestKey.scopeLabel),
        includesMedia: flag(ManifestKey.includesMedia),
        includesPaths: flag(ManifestKey.includesPaths),
        assets: count(ManifestKey.assets),
        files: count(ManifestKey.files),
        vectors: count(ManifestKey.vectors),
        media: count(ManifestKey.media),
        mediaBytes: count(ManifestKey.mediaBytes),
        collections: count(ManifestKey.collections)
    };
}

function describe(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
