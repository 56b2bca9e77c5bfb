import * as fs from 'fs';
import * as path from 'path';
import BetterSqlite3 = require('better-sqlite3');
import * as sqliteVec from 'sqlite-vec';
import { ArchiveOpenError } from './archive-open-error';
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
 */
export class ArchiveDatabase {

    protected readerConnection: Connection | undefined;

    protected constructor(readonly file: string, readonly writer: Connection, readonly schemaVersion: number) { }

    static open(file: string, options: ArchiveDatabaseOptions = {}): ArchiveDatabase {
        const migrations = options.migrations ?? ARCHIVE_MIGRATIONS;
        const latest = migrations.length ? migrations[migrations.length - 1].version : 0;
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

    /**
     * Runs `work` in one `BEGIN IMMEDIATE` transaction on the writer: it takes
     * the write lock up front, so concurrent writers wait (busy timeout)
     * instead of failing halfway.
     */
    write<T>(work: (db: Connection) => T): T {
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
        this.readerConnection?.close();
        this.readerConnection = undefined;
        if (this.writer.open) {
            this.writer.close();
        }
    }
}

/** The first column of the first row `sql` returns, or undefined when it returns no row. */
export function selectValue<T>(db: Connection, sql: string, ...params: unknown[]): T {
    const row = db.prepare(sql).raw().get(...params) as unknown[] | undefined;
    return row?.[0] as T;
}

function openConnection(file: string, readonly: boolean): Connection {
    const db = new BetterSqlite3(file, { readonly, fileMustExist: readonly, timeout: BUSY_TIMEOUT_MS });
    db.pragma('foreign_keys = ON');
    sqliteVec.load(db);
    return db;
}

/**
 * Checks a file that already exists with read-only access, so that nothing is
 * written to a file this archive does not own.
 */
function inspectExistingFile(file: string, latestVersion: number): void {
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
    if (!hasSqliteHeader(file)) {
        throw new ArchiveOpenError('not-sqlite', file, 'the file is not an SQLite database');
    }
    let db: Connection;
    try {
        db = new BetterSqlite3(file, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    } catch (error) {
        throw new ArchiveOpenError('inaccessible', file, describe(error));
    }
    try {
        let applicationId: number;
        let userVersion: number;
        let tableCount: number;
        try {
            applicationId = db.pragma('application_id', { simple: true }) as number;
            userVersion = db.pragma('user_version', { simple: true }) as number;
            tableCount = selectValue<number>(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'");
        } catch (error) {
            throw new ArchiveOpenError('corrupt', file, describe(error));
        }
        if (applicationId !== ARCHIVE_APPLICATION_ID && (tableCount > 0 || applicationId !== 0)) {
            throw new ArchiveOpenError('foreign', file,
                `it is an SQLite database of another program (application_id ${applicationId}, ${tableCount} tables)`);
        }
        if (userVersion > latestVersion) {
            throw new ArchiveOpenError('newer-schema', file,
                `its schema version ${userVersion} is newer than this ImageParser knows (${latestVersion}); update ImageParser`);
        }
        let problems: string[];
        try {
            problems = (db.pragma('quick_check') as { quick_check: string }[]).map(row => row.quick_check);
        } catch (error) {
            throw new ArchiveOpenError('corrupt', file, describe(error));
        }
        if (problems.length !== 1 || problems[0] !== 'ok') {
            throw new ArchiveOpenError('corrupt', file, `the integrity check failed: ${problems.slice(0, 3).join('; ')}`);
        }
    } finally {
        db.close();
    }
}

function hasSqliteHeader(file: string): boolean {
    const header = Buffer.alloc(SQLITE_HEADER.length);
    const fd = fs.openSync(file, 'r');
    try {
        const read = fs.readSync(fd, header, 0, header.length, 0);
        return read === header.length && header.equals(SQLITE_HEADER);
    } finally {
        fs.closeSync(fd);
    }
}

function describe(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
