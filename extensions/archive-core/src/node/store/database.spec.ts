import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import BetterSqlite3 = require('better-sqlite3');
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ARCHIVE_APPLICATION_ID, ArchiveDatabase, selectValue } from './database';
import { ArchiveOpenError } from './archive-open-error';
import { ARCHIVE_MIGRATIONS, Migration } from './migrations';
import { makeTempFolder } from '../test/archive-test-container';

function sha256(file: string): string {
    return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function expectOpenError(file: string, code: ArchiveOpenError['code'], options = { ownArchive: false }): ArchiveOpenError {
    const before = sha256(file);
    let caught: unknown;
    try {
        ArchiveDatabase.open(file).close();
    } catch (error) {
        caught = error;
    }
    expect(caught).toBeInstanceOf(ArchiveOpenError);
    const error = caught as ArchiveOpenError;
    expect(error.code).toBe(code);
    expect(error.message).toContain(file);
    // Never overwritten; nothing at all is created beside a file that is not ours.
    expect(sha256(file)).toBe(before);
    expect(fs.existsSync(`${file}-journal`)).toBe(false);
    if (!options.ownArchive) {
        expect(fs.readdirSync(path.dirname(file))).toEqual([path.basename(file)]);
    }
    return error;
}

describe('ArchiveDatabase', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let file: string;

    beforeEach(() => {
        temp = makeTempFolder();
        file = path.join(temp.folder, 'nested', 'archive.sqlite');
    });
    afterEach(() => temp.remove());

    it('creates a new archive with WAL, foreign keys, a busy timeout, sqlite-vec and every migration', () => {
        const db = ArchiveDatabase.open(file);
        try {
            expect(fs.existsSync(file)).toBe(true);
            expect(db.writer.pragma('journal_mode', { simple: true })).toBe('wal');
            expect(db.writer.pragma('foreign_keys', { simple: true })).toBe(1);
            expect(db.writer.pragma('busy_timeout', { simple: true })).toBe(5000);
            expect(db.reader.pragma('foreign_keys', { simple: true })).toBe(1);
            expect(db.writer.pragma('application_id', { simple: true })).toBe(ARCHIVE_APPLICATION_ID);
            expect(db.schemaVersion).toBe(ARCHIVE_MIGRATIONS.length);
            expect(db.writer.pragma('user_version', { simple: true })).toBe(ARCHIVE_MIGRATIONS.length);
            expect(selectValue(db.writer, 'SELECT count(*) FROM schema_migrations')).toBe(ARCHIVE_MIGRATIONS.length);
            expect(db.sqliteVecVersion()).toMatch(/^v0\.1\.9$/);
            expect(selectValue(db.writer, 'SELECT vec_version()')).toBe(db.sqliteVecVersion());
            expect(db.sqliteVersion()).toMatch(/^3\.\d+\.\d+$/);
        } finally {
            db.close();
        }
    });

    it('re-opens idempotently: migrations run once and data survives', () => {
        const first = ArchiveDatabase.open(file);
        first.write(db => db.prepare("INSERT INTO roots (path, added_at) VALUES ('/art', '2026-01-01T00:00:00.000Z')").run());
        first.close();

        const second = ArchiveDatabase.open(file);
        try {
            expect(second.schemaVersion).toBe(ARCHIVE_MIGRATIONS.length);
            expect(selectValue(second.reader, 'SELECT count(*) FROM schema_migrations')).toBe(ARCHIVE_MIGRATIONS.length);
            expect(selectValue(second.reader, 'SELECT path FROM roots')).toBe('/art');
        } finally {
            second.close();
        }
    });

    it('applies only the migrations newer than the recorded version', () => {
        const runs: number[] = [];
        const step = (version: number): Migration => ({
            version, name: `step-${version}`,
            up: db => {
                runs.push(version);
                db.exec(`CREATE TABLE t${version} (x)`);
            }
        });
        ArchiveDatabase.open(file, { migrations: [step(1), step(2)] }).close();
        const reopened = ArchiveDatabase.open(file, { migrations: [step(1), step(2), step(3)] });
        try {
            expect(runs).toEqual([1, 2, 3]);
            expect(reopened.schemaVersion).toBe(3);
            expect(reopened.reader.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all())
                .toEqual([{ version: 1, name: 'step-1' }, { version: 2, name: 'step-2' }, { version: 3, name: 'step-3' }]);
        } finally {
            reopened.close();
        }
    });

    it('rolls a failing migration back whole and keeps the earlier version', () => {
        const broken: Migration = {
            version: 2, name: 'broken', up: db => {
                db.exec('CREATE TABLE half_done (x)');
                throw new Error('migration failed halfway');
            }
        };
        ArchiveDatabase.open(file, { migrations: [ARCHIVE_MIGRATIONS[0]] }).close();
        expect(() => ArchiveDatabase.open(file, { migrations: [ARCHIVE_MIGRATIONS[0], broken] })).toThrow('migration failed halfway');
        const db = ArchiveDatabase.open(file, { migrations: [ARCHIVE_MIGRATIONS[0]] });
        try {
            expect(db.schemaVersion).toBe(1);
            expect(selectValue(db.reader, "SELECT count(*) FROM sqlite_schema WHERE name = 'half_done'")).toBe(0);
        } finally {
            db.close();
        }
    });

    it('takes the write lock at the start of every write transaction (BEGIN IMMEDIATE)', () => {
        const db = ArchiveDatabase.open(file);
        const other = new BetterSqlite3(file, { timeout: 0 });
        try {
            db.write(() => {
                // Nothing written yet, but the lock is held: another writer is refused at once.
                expect(() => other.exec('BEGIN IMMEDIATE')).toThrow(/locked|busy/i);
            });
            other.exec('BEGIN IMMEDIATE');
            other.exec('COMMIT');
        } finally {
            other.close();
            db.close();
        }
    });

    it('has FTS5 ready: Korean and English text are found by substring', () => {
        const db = ArchiveDatabase.open(file);
        try {
            db.write(w => w.prepare('INSERT INTO asset_text (rowid, name, layers) VALUES (?, ?, ?)').run(1, '고양이_캐릭터.psd', 'Background 배경'));
            db.write(w => w.prepare('INSERT INTO asset_text (rowid, name, layers) VALUES (?, ?, ?)').run(2, 'dog_sketch.png', 'Lineart'));
            const find = (query: string) => db.reader.prepare('SELECT rowid FROM asset_text WHERE asset_text MATCH ? ORDER BY rowid').all(query);
            expect(find('"고양이"')).toEqual([{ rowid: 1 }]);
            expect(find('"캐릭터"')).toEqual([{ rowid: 1 }]);
            expect(find('"sketch"')).toEqual([{ rowid: 2 }]);
        } finally {
            db.close();
        }
    });

    it('refuses a file that is not SQLite and leaves it untouched', () => {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, 'these are the notes of an artist, not a database\n'.repeat(200));
        const error = expectOpenError(file, 'not-sqlite');
        expect(error.message).toContain('not an SQLite database');
    });

    it('refuses another program\'s SQLite database and leaves it untouched', () => {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        const foreign = new BetterSqlite3(file);
        foreign.exec("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices (total) VALUES (12.5)");
        foreign.close();
        const error = expectOpenError(file, 'foreign');
        expect(error.message).toContain('another program');
    });

    it('refuses a corrupted archive and leaves it untouched', () => {
        const db = ArchiveDatabase.open(file);
        db.write(w => {
            const insert = w.prepare("INSERT INTO roots (path, added_at) VALUES (?, '2026-01-01T00:00:00.000Z')");
            for (let i = 0; i < 2000; i++) {
                insert.run(`/art/folder-${i}-${'x'.repeat(40)}`);
            }
        });
        db.writer.pragma('wal_checkpoint(TRUNCATE)');
        db.close();
        const pageSize = 4096;
        const bytes = fs.readFileSync(file);
        expect(bytes.length).toBeGreaterThan(pageSize * 8);
        // Scribble over the middle pages, as a failing disk or a bad copy would.
        bytes.fill(0xa5, pageSize * 3, pageSize * 6);
        fs.writeFileSync(file, bytes);
        expectOpenError(file, 'corrupt', { ownArchive: true });
    });

    it('refuses a truncated archive and leaves it untouched', () => {
        const db = ArchiveDatabase.open(file);
        db.writer.pragma('wal_checkpoint(TRUNCATE)');
        db.close();
        fs.truncateSync(file, 200);
        expectOpenError(file, 'corrupt', { ownArchive: true });
    });

    it('refuses an archive from a newer ImageParser', () => {
        ArchiveDatabase.open(file).close();
        const raw = new BetterSqlite3(file);
        raw.pragma('user_version = 999');
        raw.close();
        const error = expectOpenError(file, 'newer-schema');
        expect(error.message).toContain('999');
    });
});
