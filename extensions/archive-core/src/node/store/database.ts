import * as fs from 'fs';
import * as path from 'path';
import BetterSqlite3 = require('better-sqlite3');
import * as sqliteVec from 'sqlite-vec';
import { ArchiveErrors } from '../../common/archive-protocol';
import { ArchiveOpenError } from './archive-open-error';
import { isArchiveWritable, ReadableCopy, readableCopy } from './read-only-archive';
import { ARCHIVE_MIGRATIONS, Migration } from './migrations';
import { applyMigrations } from './migration-runner';

type Connection = BetterSqlite3.Database;

/** `PRAGMA application_id` of every ImageParser archive ("IPAR"). */
export const ARCHIVE_APPLICATION_ID = 0x49504152;

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');
const BUSY_TIMEOUT_MS = 5000;

export interface ArchiveDatabaseOptions {
    /** The migrations to apply; the archive's own list when omitted. */
    readonly migrations?: readonly Migration[];
    /** Open for reading only; by default, when the archive cannot be written (see {@link isArchiveWritable}). */
    readonly readOnly?: boolean;
}

/**
 * One archive's SQLite file: a single writer connection whose write
 * transactions are `BEGIN IMMEDIATE`, and a read-only connection for readers.
 * Both run in WAL mode with foreign keys on, a busy timeout and sqlite-vec.
 *
 * {@link ArchiveDatabase.open} checks the file before it writes anything: a
 * file that is not SQLite, an SQLite file of another program, a corrupt
 * archive or one from a newer schema raises {@link ArchiveOpenError} and is
 * left untouched.
 *
 * An archive that cannot be written (read-only folder, file or mount) opens
 * read-only: one read-only connection serves {@link reader} and
 * {@link writer}, and {@link write} raises `ArchiveErrors.ReadOnly`.
 */
export class ArchiveDatabase {

    protected readerConnection: Connection | undefined;

    protected constructor(readonly file: string, readonly writer: Connection, readonly schemaVersion: number,
        /** True when the archive can only be read: every {@link write} is refused. */
        readonly readOnly = false,
        protected readonly release: () => void = () => undefined) {
        if (readOnly) {
            this.readerConnection = writer;
        }
    }

    static open(file: string, options: ArchiveDatabaseOptions = {}): ArchiveDatabase {
        const migrations = options.migrations ?? ARCHIVE_MIGRATIONS;
        const latest = migrations.length ? migrations[migrations.length - 1].version : 0;
        if (options.readOnly ?? !isArchiveWritable(file)) {
            return ArchiveDatabase.openReadOnly(file, latest);
        }
        inspectExistingFile(file, latest);
        try {
            fs.mkdirSync(path.dirname(file), { recursive: true });
        } catch (error) {
            throw new ArchiveOpenError('inaccessible', file, describe(error));
        }
        let writer: Connection;
        try {
            writer = openConnection(file, false);
        } catch (error) {
            throw new ArchiveOpenError('inaccessible', file, describe(error));
        }
        try {
            writer.pragma('journal_mode = WAL');
            writer.pragma('synchronous = NORMAL');
            if (writer.pragma('application_id', { simple: true }) !== ARCHIVE_APPLICATION_ID) {
                writer.pragma(`application_id = ${ARCHIVE_APPLICATION_ID}`);
            }
            const version = applyMigrations(writer, migrations);
            return new ArchiveDatabase(file, writer, version);
        } catch (error) {
            writer.close();
            throw error;
        }
    }

    /** Opens an archive that cannot be written, from a copy when SQLite cannot read it in place; it must exist and have the latest schema. */
    protected static openReadOnly(file: string, latestVersion: number): ArchiveDatabase {
        if (!fs.existsSync(file)) {
            throw new ArchiveOpenError('inaccessible', file, 'the archive folder is read-only and holds no archive yet');
        }
        let readable: ReadableCopy;
        try {
            readable = readableCopy(file);
        } catch (error) {
            throw new ArchiveOpenError('inaccessible', file, describe(error));
        }
        try {
            inspectExistingFile(readable.file, latestVersion, file);
            let connection: Connection;
            try {
                connection = openConnection(readable.file, true);
            } catch (error) {
                throw new ArchiveOpenError('inaccessible', file, describe(error));
            }
            const version = connection.pragma('user_version', { simple: true }) as number;
            if (version < latestVersion) {
                connection.close();
                throw new ArchiveOpenError('read-only-outdated', file,
                    `it is read-only and has schema version ${version}; this ImageParser needs ${latestVersion} and cannot upgrade it`);
            }
            return new ArchiveDatabase(file, connection, version, true, () => readable.dispose());
        } catch (error) {
            readable.dispose();
            throw error;
        }
    }

    /**
     * Runs `work` in one `BEGIN IMMEDIATE` transaction on the writer: it takes
     * the write lock up front, so concurrent writers wait (busy timeout)
     * instead of failing halfway. Raises `ArchiveErrors.ReadOnly` on a
     * read-only archive.
     */
    write<T>(work: (db: Connection) => T): T {
        if (this.readOnly) {
            throw ArchiveErrors.ReadOnly();
        }
        return this.writer.transaction(() => work(this.writer)).immediate();
    }

    /** A read-only connection that sees committed data; opened on first use. */
    get reader(): Connection {
        if (!this.readerConnection) {
            this.readerConnection = openConnection(this.file, true);
        }
        return this.readerConnection;
    }

    /** The SQLite library version, e.g. `3.50.2`. */
    sqliteVersion(): string {
        return selectValue<string>(this.reader, 'SELECT sqlite_version()');
    }

    /** The loaded sqlite-vec version, e.g. `v0.1.9`. */
    sqliteVecVersion(): string {
        return selectValue<string>(this.reader, 'SELECT vec_version()');
    }

    close(): void {
        if (this.readerConnection?.open) {
            this.readerConnection.close();
        }
        this.readerConnection = undefined;
        if (this.writer.open) {
            this.writer.close();
        }
        this.release();
    }
}

/** The first column of the first row `sql` returns, or undefined when it returns no row. */
export function selectValue<T>(db: Connection, sql: string, ...params: unknown[]): T {
    const row = prepared(db, sql).raw().get(...params) as unknown[] | undefined;
    return row?.[0] as T;
}

const statementCache = new WeakMap<Connection, Map<string, BetterSqlite3.Statement>>();

/**
 * The connection's prepared statement for `sql`, prepared once: hot paths
 * (one ingest transaction per file, every search) skip re-parsing SQL. A
 * statement's modes (`pluck`, `raw`) stick, so one SQL text is used one way.
 */
export function prepared(db: Connection, sql: string): BetterSqlite3.Statement {
    let statements = statementCache.get(db);
    if (!statements) {
        statements = new Map();
        statementCache.set(db, statements);
    }
    let statement = statements.get(sql);
    if (!statement) {
        statement = db.prepare(sql);
        statements.set(sql, statement);
    }
    return statement;
}

function openConnection(file: string, readonly: boolean): Connection {
    const db = new BetterSqlite3(file, { readonly, fileMustExist: readonly, timeout: BUSY_TIMEOUT_MS });
    db.pragma('foreign_keys = ON');
    sqliteVec.load(db);
    return db;
}

/**
 * Checks a file that already exists before anything opens it for writing.
 * Whose file it is and its schema version come from the 100-byte SQLite header,
 * so another program's database is refused without even a read-only
 * connection (which would leave -wal and -shm files beside a WAL database).
 * Only a file that is ours gets the integrity check.
 */
function inspectExistingFile(file: string, latestVersion: number, named = file): void {
    try {
        inspectFile(file, latestVersion);
    } catch (error) {
        // A read-only archive is inspected from its copy: the user knows it by its own name.
        throw error instanceof ArchiveOpenError && named !== file ? new ArchiveOpenError(error.code, named, error.detail) : error;
    }
}

function inspectFile(file: string, latestVersion: number): void {
    let stat: fs.Stats;
    try {
        stat = fs.statSync(file);
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
            return;
        }
        throw new ArchiveOpenError('inaccessible', file, describe(error));
    }
    if (!stat.isFile()) {
        throw new ArchiveOpenError('inaccessible', file, 'it is not a regular file');
    }
    if (stat.size === 0) {
        return;
    }
    const header = readHeader(file);
    if (header.length < SQLITE_HEADER.length || !header.subarray(0, SQLITE_HEADER.length).equals(SQLITE_HEADER)) {
        throw new ArchiveOpenError('not-sqlite', file, 'the file is not an SQLite database');
    }
    // With a write-ahead log beside it the header may lag behind the log: ask SQLite instead.
    const identity = header.length >= 100 && !hasContent(`${file}-wal`) ? identityFromHeader(header) : identityFromSqlite(file);
    if (identity.applicationId !== ARCHIVE_APPLICATION_ID && (identity.applicationId !== 0 || identity.hasSchema)) {
        throw new ArchiveOpenError('foreign', file, `it is an SQLite database of another program (application_id ${identity.applicationId})`);
    }
    if (identity.userVersion > latestVersion) {
        throw new ArchiveOpenError('newer-schema', file,
            `its schema version ${identity.userVersion} is newer than this ImageParser knows (${latestVersion}); update ImageParser`);
    }
    if (identity.hasSchema) {
        quickCheck(file);
    }
}

interface FileIdentity {
    readonly applicationId: number;
    readonly userVersion: number;
    /** Whether any table, index or view was ever created in the file. */
    readonly hasSchema: boolean;
}

/** Reads the header fields documented in SQLite's file format: schema cookie (40), user version (60), application id (68). */
function identityFromHeader(header: Buffer): FileIdentity {
    return {
        hasSchema: header.readUInt32BE(40) !== 0,
        userVersion: header.readInt32BE(60),
        applicationId: header.readInt32BE(68)
    };
}

function identityFromSqlite(file: string): FileIdentity {
    return withReadOnly(file, db => ({
        applicationId: db.pragma('application_id', { simple: true }) as number,
        userVersion: db.pragma('user_version', { simple: true }) as number,
        hasSchema: selectValue<number>(db, 'SELECT count(*) FROM sqlite_schema') > 0
    }));
}

function quickCheck(file: string): void {
    const problems = withReadOnly(file, db => (db.pragma('quick_check') as { quick_check: string }[]).map(row => row.quick_check));
    if (problems.length !== 1 || problems[0] !== 'ok') {
        throw new ArchiveOpenError('corrupt', file, `the integrity check failed: ${problems.slice(0, 3).join('; ')}`);
    }
}

/** Runs `read` on a read-only connection; SQLite errors while reading mean a damaged file. */
function withReadOnly<T>(file: string, read: (db: Connection) => T): T {
    let db: Connection;
    try {
        db = new BetterSqlite3(file, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    } catch (error) {
        throw new ArchiveOpenError('inaccessible', file, describe(error));
    }
    try {
        return read(db);
    } catch (error) {
        throw new ArchiveOpenError('corrupt', file, describe(error));
    } finally {
        db.close();
    }
}

function readHeader(file: string): Buffer {
    const header = Buffer.alloc(100);
    const fd = fs.openSync(file, 'r');
    try {
        return header.subarray(0, fs.readSync(fd, header, 0, header.length, 0));
    } finally {
        fs.closeSync(fd);
    }
}

function hasContent(file: string): boolean {
    try {
        return fs.statSync(file).size > 0;
    } catch {
        return false;
    }
}

function describe(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
