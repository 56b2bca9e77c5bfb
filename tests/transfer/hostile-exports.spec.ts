import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Container } from '@theia/core/shared/inversify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TransferErrorReason } from '../../extensions/archive-core/src/common/archive-transfer-protocol';
import { ArchiveStore } from '../../extensions/archive-core/src/node/store/archive-store';
import { disposeArchiveTestContainer, makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { ArchiveImporter } from '../../extensions/archive-core/src/node/transfer/archive-importer';
import { exportPathProblem } from '../../extensions/archive-core/src/node/transfer/export-paths';
import { writeSearchFixtures } from '../search/search-fixtures';
import { annotateArchive, archiveFingerprint, createTransferContainer, editExport, exportTo, importInto, refusalOf } from './transfer-archives';
import BetterSqlite3 = require('better-sqlite3');

const corpus = path.resolve(__dirname, '../../../shared/corpus');

/**
 * Hostile export files, each refused with its reason before anything is
 * written: archive B's database and media folder are byte-identical before
 * and after every refused import.
 */
describe('hostile export files', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let a: Container;
    let b: Container;
    let images: string;
    let valid: string;
    let archiveB: string;
    let counter = 0;
    const refusals = new Map<TransferErrorReason, number>();

    /** A copy of the valid export, edited by `edit`. */
    const hostile = (edit: (file: string) => void): string => {
        const file = path.join(temp.folder, `hostile-${++counter}.imageparser-export`);
        fs.copyFileSync(valid, file);
        edit(file);
        return file;
    };

    /** Imports `file` into B (images mapped to B's folder) and answers the refusal, checking B did not change. */
    const refuse = async (file: string, rootMap?: Record<string, string>, foundByMerge = false): Promise<{ reason: TransferErrorReason; detail?: string }> => {
        const before = archiveFingerprint(archiveB);
        const refusal = await refusalOf(importInto(b, { file, rootMap }));
        expect(archiveFingerprint(archiveB)).toBe(before);
        refusals.set(refusal.reason, (refusals.get(refusal.reason) ?? 0) + 1);
        if (!rootMap && !foundByMerge) {
            // inspect (which knows no mapping and merges nothing) refuses the same way, writing nothing either.
            const inspected = await refusalOf(b.get<ArchiveImporter>(ArchiveImporter).inspect(file));
            expect(inspected.reason).toBe(refusal.reason);
            expect(archiveFingerprint(archiveB)).toBe(before);
        }
        return refusal;
    };

    /** A copy of the valid export edited by `sql` with foreign keys off (rows that reference nothing) and, with `unsafe`, the schema writable. */
    const edited = (sql: string, ...params: unknown[]): string => hostile(file => {
        const db = new BetterSqlite3(file);
        try {
            db.pragma('foreign_keys = OFF');
            if (params.length) {
                db.prepare(sql).run(...params);
            } else {
                db.exec(sql);
            }
        } finally {
            db.close();
        }
    });
    /** The table rewritten without its constraints, so a row breaking them can be written (the export's tables keep the archive's). */
    const unconstrained = (table: string) => `CREATE TABLE loose AS SELECT * FROM ${table}; DROP TABLE ${table}; ALTER TABLE loose RENAME TO ${table};`;
    /** The first file's relative path set to `value`. */
    const firstPath = (value: string) => edited('UPDATE export_files SET relative_path = ? WHERE id = (SELECT min(id) FROM export_files)', value);

    /** A dry run of a file that is safe to take: it imports as the valid one would, and B does not change. */
    const accepts = async (file: string, what: string) => {
        const before = archiveFingerprint(archiveB);
        const report = await importInto(b, { file, dryRun: true });
        expect(report.assetsAdded, what).toBe(10);
        expect(archiveFingerprint(archiveB), what).toBe(before);
    };

    beforeAll(async () => {
        temp = makeTempFolder('imageparser-hostile-');
        images = path.join(temp.folder, 'images');
        await writeSearchFixtures(images);
        a = createTransferContainer(path.join(temp.folder, 'a'));
        await annotateArchive(a, images);
        valid = path.join(temp.folder, 'valid.imageparser-export');
        await exportTo(a, valid);
        archiveB = path.join(temp.folder, 'b');
        b = createTransferContainer(archiveB);
        await b.get<ArchiveStore>(ArchiveStore).open();
    }, 120_000);

    afterAll(async () => {
        const total = [...refusals.values()].reduce((sum, count) => sum + count, 0);
        console.log(`${total} hostile files refused, archive B byte-identical after each: ${[...refusals].map(([reason, count]) => `${reason} ${count}`).join(', ')}`);
        await disposeArchiveTestContainer(a);
        await disposeArchiveTestContainer(b);
        temp.remove();
    });

    it('accepts the untouched file (dry run), so every refusal below is the edit\'s doing', async () => {
        const before = archiveFingerprint(archiveB);
        const report = await importInto(b, { file: valid, dryRun: true });
        expect(report.assetsAdded).toBe(10);
        expect(archiveFingerprint(archiveB)).toBe(before);
    });

    it('refuses a file from a newer export format or a newer archive schema as newer-version', async () => {
        const format = await refuse(hostile(file => editExport(file, "UPDATE export_manifest SET value = '2' WHERE key = 'formatVersion'")));
        expect(format.reason).toBe('newer-version');
        expect(format.detail).toContain('format version 2');
        const schema = await refuse(hostile(file => editExport(file, "UPDATE export_manifest SET value = '999' WHERE key = 'schemaVersion'")));
        expect(schema.reason).toBe('newer-version');
        expect(schema.detail).toContain('999');
    });

    it('refuses what is not an export: an image, an empty file, text, another SQLite database, an archive itself', async () => {
        const png = fs.readdirSync(path.join(corpus, 'raster')).find(name => name.endsWith('.png'))!;
        expect((await refuse(path.join(corpus, 'raster', png))).reason).toBe('not-an-export');
        const empty = path.join(temp.folder, 'empty.imageparser-export');
        fs.writeFileSync(empty, '');
        expect((await refuse(empty)).reason).toBe('not-an-export');
        const text = path.join(temp.folder, 'notes.imageparser-export');
        fs.writeFileSync(text, 'format=imageparser-archive-export\n');
        expect((await refuse(text)).reason).toBe('not-an-export');
        const other = hostile(file => editExport(file, "UPDATE export_manifest SET value = 'someone-elses-format' WHERE key = 'format'"));
        expect((await refuse(other)).reason).toBe('not-an-export');
        const noManifest = hostile(file => editExport(file, 'DROP TABLE export_manifest'));
        expect((await refuse(noManifest)).reason).toBe('not-an-export');
        expect((await refuse(path.join(temp.folder, 'missing.imageparser-export'))).reason).toBe('not-found');
    });

    it('refuses a damaged file and a truncated one as damaged', async () => {
        const damaged = hostile(file => {
            const bytes = fs.readFileSync(file);
            const pageSize = bytes.readUInt16BE(16);
            // Scribble over the middle of every page but the first: the b-tree pages no longer parse.
            for (let page = 1; page * pageSize < bytes.length; page++) {
                bytes.fill(0xa5, page * pageSize + 8, page * pageSize + Math.min(pageSize, 200));
            }
            fs.writeFileSync(file, bytes);
        });
        expect((await refuse(damaged)).reason).toBe('damaged');
        const truncated = hostile(file => fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2)));
        const cut = await refuse(truncated);
        expect(cut.reason).toBe('damaged');
        expect(cut.detail).toContain('truncated');
        // Sizes in human units, not raw byte counts.
        expect(cut.detail).toMatch(/^the file is truncated: it holds [\d.]+ (KiB|MiB) of the [\d.]+ (KiB|MiB) its header declares$/);
        const header = hostile(file => fs.truncateSync(file, 60));
        expect((await refuse(header)).reason).toBe('damaged');
        // A file switched to write-ahead-log mode: refused without SQLite creating -wal and -shm files beside it.
        const wal = hostile(file => editExport(file, 'PRAGMA journal_mode = WAL'));
        const walRefusal = await refuse(wal);
        expect(walRefusal.reason).toBe('damaged');
        expect(walRefusal.detail).toContain('write-ahead-log');
        expect(fs.existsSync(`${wal}-wal`) || fs.existsSync(`${wal}-shm`)).toBe(false);
    });

    it('refuses paths that escape: ../, absolute, a relative root, a Windows ..\\', async () => {
        for (const evil of ['../../../etc/passwd', 'colours/../../../outside.png', '/etc/passwd', 'C:/Windows/win.ini', '..\\..\\evil.png', 'colours//red.png']) {
            const refusal = await refuse(hostile(file => editExport(file, 'UPDATE export_files SET relative_path = ? WHERE id = (SELECT min(id) FROM export_files)', evil)));
            expect(refusal.reason, evil).toBe('unsafe-path');
        }
        const relativeRoot = await refuse(hostile(file => editExport(file, "UPDATE export_roots SET path = 'images/here'")));
        expect(relativeRoot.reason).toBe('unsafe-path');
        const noPaths = await refuse(hostile(file => editExport(file, `UPDATE export_manifest SET value = 'false' WHERE key = 'includesPaths';
            DELETE FROM export_roots; UPDATE export_files SET root_id = NULL;
            UPDATE export_files SET relative_path = 'scenes/forest.psd' WHERE id = (SELECT min(id) FROM export_files)`)));
        expect(noPaths.reason).toBe('unsafe-path');
    });

    it('refuses a path that escapes its mapped root through a symlink in this archive\'s folders', async () => {
        const outside = path.join(temp.folder, 'outside');
        fs.mkdirSync(outside);
        const mapped = path.join(temp.folder, 'b-images');
        fs.mkdirSync(mapped);
        // The destination's "scenes" folder is a link to a folder outside the mapped root.
        fs.symlinkSync(outside, path.join(mapped, 'scenes'));
        const rootMap = { [images]: mapped };
        const refusal = await refuse(valid, rootMap);
        expect(refusal.reason).toBe('unsafe-path');
        expect(refusal.detail).toContain(outside);
        // A link to a place that does not exist (yet) escapes as well.
        fs.unlinkSync(path.join(mapped, 'scenes'));
        fs.symlinkSync(path.join(outside, 'not-yet'), path.join(mapped, 'scenes'));
        expect((await refuse(valid, rootMap)).reason).toBe('unsafe-path');
    });

    it('refuses sizes that lie: manifest counts, media sizes, vector lengths, media bytes under another hash', async () => {
        const lies: [string, string, TransferErrorReason][] = [
            ['more assets declared', "UPDATE export_manifest SET value = value + 1 WHERE key = 'assets'", 'size-mismatch'],
            ['fewer files declared', "UPDATE export_manifest SET value = value - 1 WHERE key = 'files'", 'size-mismatch'],
            ['media bytes declared', "UPDATE export_manifest SET value = value + 7 WHERE key = 'mediaBytes'", 'size-mismatch'],
            ['a media entry\'s size', 'UPDATE export_media SET size = size + 1 WHERE hash = (SELECT min(hash) FROM export_media)', 'size-mismatch'],
            ['a short vector', 'UPDATE export_vectors SET embedding = substr(embedding, 1, 8) WHERE asset_id = (SELECT min(asset_id) FROM export_vectors)', 'size-mismatch'],
            ['vector dimensions', 'UPDATE vector_indexes SET dimensions = dimensions * 2', 'size-mismatch'],
            ['other bytes under a hash', `UPDATE export_media SET bytes = zeroblob(size) WHERE hash = (SELECT min(hash) FROM export_media)`, 'damaged'],
            ['a media name that is a path', "UPDATE export_media SET hash = '../../../../etc/cron.d/evil' WHERE hash = (SELECT min(hash) FROM export_media)", 'unsafe-path']
        ];
        for (const [what, sql, reason] of lies) {
            expect((await refuse(hostile(file => editExport(file, sql)))).reason, what).toBe(reason);
        }
    });

    it('refuses a file whose tables are views or whose rows this archive cannot take, writing nothing', async () => {
        const view = hostile(file => editExport(file, 'ALTER TABLE assets RENAME TO assets_real; CREATE VIEW assets AS SELECT * FROM assets_real'));
        expect((await refuse(view)).reason).toBe('damaged');
        // A layer without a name, a comment without an author: caught by the archive's NOT NULL halfway through the merge, which rolls back.
        // The export's own tables keep the archive's constraints: the rows are rewritten into tables without them.
        const unconstrained = (table: string) => `CREATE TABLE loose AS SELECT * FROM ${table}; DROP TABLE ${table}; ALTER TABLE loose RENAME TO ${table};`;
        const badLayer = hostile(file => editExport(file, `${unconstrained('layers')} UPDATE layers SET name = NULL WHERE rowid = (SELECT max(rowid) FROM layers)`));
        expect((await refuse(badLayer, undefined, true)).reason).toBe('damaged');
        const badRow = hostile(file => editExport(file, `${unconstrained('comments')} UPDATE comments SET author = NULL WHERE id = (SELECT max(id) FROM comments)`));
        const refusal = await refuse(badRow, undefined, true);
        expect(refusal.reason).toBe('damaged');
        expect(refusal.detail).toContain('NOT NULL');
    });

    it("refuses SQL of the file's own in its schema before any of it runs: triggers, views, virtual tables, expression and partial indexes, computed columns", async () => {
        const found: [string, string, string][] = [
            ['a trigger', 'CREATE TRIGGER t AFTER INSERT ON assets BEGIN SELECT 1; END', 'the trigger "t"'],
            ['a view under another name', 'CREATE VIEW v AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c', 'the view "v"'],
            ['a virtual table', 'CREATE VIRTUAL TABLE vt USING fts5(x)', 'the virtual table "vt"'],
            ['an index on an expression', "CREATE INDEX costly ON assets(length(printf('%.*c', 100000, 'x')))", 'the index "costly" is on an expression'],
            ['an index with a WHERE clause', 'CREATE INDEX some ON assets(id) WHERE length(content_hash) > 0', 'the index "some" has a WHERE clause'],
            ['a computed column', "ALTER TABLE tags ADD COLUMN costly AS (length(printf('%.*c', 100000, 'x')))", 'the computed column "costly"']
        ];
        for (const [what, sql, detail] of found) {
            const refusal = await refuse(edited(sql));
            expect(refusal.reason, what).toBe('damaged');
            expect(refusal.detail, what).toContain(detail);
        }
        // A virtual table of a module this process does not have (sqlite-vec's), written into the schema by hand.
        const foreign = hostile(file => {
            const db = new BetterSqlite3(file);
            db.unsafeMode(true);
            db.exec("PRAGMA writable_schema = ON; INSERT INTO sqlite_schema VALUES ('table', 'vt', 'vt', 0, 'CREATE VIRTUAL TABLE vt USING vec0(x)')");
            db.close();
        });
        expect((await refuse(foreign)).detail).toContain('the virtual table "vt"');
        // A manifest whose value is computed: not a manifest an export writes.
        const computed = await refuse(edited(`${unconstrained('export_manifest')} ALTER TABLE export_manifest RENAME COLUMN value TO stored;
            ALTER TABLE export_manifest ADD COLUMN value AS (stored)`));
        expect(computed.reason).toBe('not-an-export');
    });

    it('takes what is harmless: an extra table, an index on columns, planner statistics, AUTOINCREMENT counters, other page sizes, a UTF-16 database, a sparse tail', async () => {
        await accepts(edited('CREATE TABLE extra (x); INSERT INTO extra VALUES (randomblob(10000))'), 'an extra table');
        await accepts(edited('CREATE INDEX by_asset ON export_files(asset_id)'), 'an index on a column');
        await accepts(edited("ANALYZE; UPDATE sqlite_stat1 SET stat = '1 1'; INSERT INTO sqlite_stat1 VALUES ('assets', 'nothing', 'x y z')"), 'planner statistics');
        await accepts(edited('CREATE TABLE counted (id INTEGER PRIMARY KEY AUTOINCREMENT); INSERT INTO counted VALUES (NULL); UPDATE sqlite_sequence SET seq = 9223372036854775807'), 'sqlite_sequence');
        await accepts(edited('PRAGMA page_size = 512; VACUUM'), '512-byte pages');
        await accepts(edited('PRAGMA page_size = 65536; VACUUM'), '64 KiB pages');
        await accepts(hostile(file => {
            fs.rmSync(file);
            const from = new BetterSqlite3(valid, { readonly: true });
            const to = new BetterSqlite3(file);
            to.pragma("encoding = 'UTF-16le'");
            const entries = from.prepare("SELECT type, name, sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY type = 'index', rowid").all() as { type: string; name: string; sql: string }[];
            for (const { type, name, sql } of entries) {
                to.exec(sql);
                if (type === 'table') {
                    const columns = from.prepare(`SELECT name FROM pragma_table_info('${name}')`).pluck().all() as string[];
                    const insert = to.prepare(`INSERT INTO "${name}" VALUES (${columns.map(() => '?').join(', ')})`);
                    for (const row of from.prepare(`SELECT * FROM "${name}"`).raw().iterate() as IterableIterator<unknown[]>) {
                        insert.run(...row);
                    }
                }
            }
            from.close();
            to.close();
        }), 'UTF-16');
        // Many gigabytes past the pages the header counts, costing no disk: never read.
        await accepts(hostile(file => fs.truncateSync(file, 8 * 1024 ** 3)), 'a sparse tail');
        const uncounted = await refuse(hostile(file => {
            const bytes = fs.readFileSync(file);
            // The header's page count no longer valid: SQLite takes the file's length, and the integrity check finds pages never used.
            bytes.writeUInt32BE(bytes.readUInt32BE(24) + 1, 24);
            fs.writeFileSync(file, bytes);
            fs.truncateSync(file, 8 * 1024 ** 3);
        }));
        expect(uncounted.reason).toBe('damaged');
        // Header fields that lie: bytes reserved at the end of every page that the pages do not leave free, a page size that is no power of two.
        const header = (edit: (bytes: Buffer) => void) => hostile(file => {
            const bytes = fs.readFileSync(file);
            edit(bytes);
            fs.writeFileSync(file, bytes);
        });
        expect((await refuse(header(bytes => bytes.writeUInt8(32, 20)))).reason).toBe('damaged');
        expect(await refuse(header(bytes => bytes.writeUInt16BE(1000, 16)))).toMatchObject({ reason: 'damaged', detail: 'the header gives an impossible page size (1000)' });
    });

    it('refuses a folder, a pipe and a link to a device instead of a file, without reading from them', async () => {
        const folder = path.join(temp.folder, 'folder.imageparser-export');
        fs.mkdirSync(folder);
        const fifo = path.join(temp.folder, 'pipe.imageparser-export');
        execFileSync('mkfifo', [fifo]);
        const device = path.join(temp.folder, 'zero.imageparser-export');
        fs.symlinkSync('/dev/zero', device);
        for (const file of [folder, fifo, device]) {
            const refusal = await refuse(file);
            expect(refusal, file).toMatchObject({ reason: 'not-found', detail: 'it is not a regular file' });
        }
    });

    it('refuses a manifest that gives a key twice or absurd numbers', async () => {
        const twice = await refuse(edited(`${unconstrained('export_manifest')} INSERT INTO export_manifest VALUES ('formatVersion', '1')`));
        expect(twice).toMatchObject({ reason: 'damaged', detail: 'the manifest gives formatVersion twice' });
        for (const value of ['-1', '1e308', 'NaN', '9007199254740993', '0x10', ' 10']) {
            const refusal = await refuse(edited("UPDATE export_manifest SET value = ? WHERE key = 'assets'", value));
            expect(refusal.reason, value).toBe('damaged');
            expect(refusal.detail, value).toContain('not a whole number');
        }
    });

    it('refuses whole numbers beyond 2^53 and values of another kind than the archive keeps (SQLite stores them as given)', async () => {
        const beyond: [string, string][] = [
            ['UPDATE export_files SET id = 9007199254740993 WHERE id = (SELECT max(id) FROM export_files)', 'export_files holds the number 9007199254740993 in id'],
            ['UPDATE tags SET id = 9007199254740993 WHERE id = (SELECT max(id) FROM tags)', 'tags holds the number 9007199254740993 in id'],
            ['UPDATE export_files SET size = -9007199254740993 WHERE id = (SELECT min(id) FROM export_files)', 'export_files holds the number -9007199254740993 in size']
        ];
        const kinds: [string, string][] = [
            ['UPDATE tags SET name = CAST(name AS BLOB)', 'tags holds a blob in name, where this archive keeps text'],
            ['UPDATE comments SET body = CAST(body AS BLOB)', 'comments holds a blob in body, where this archive keeps text'],
            ["UPDATE assets SET width = 'wide'", 'assets holds text in width, where this archive keeps numbers'],
            ['UPDATE collections SET name = CAST(name AS BLOB)', 'has a name that is not text'],
            ['UPDATE filter_presets SET filters = CAST(filters AS BLOB)', "the filter preset \"preset-uid-1\"'s filters is missing or not text"]
        ];
        for (const [sql, detail] of [...beyond, ...kinds]) {
            expect(await refuse(edited(sql)), sql).toMatchObject({ reason: 'damaged', detail: expect.stringContaining(detail) });
        }
    });

    it('refuses rows that reference nothing in the file: members, covers, layers, tags, revisions', async () => {
        const orphans: [string, string][] = [
            ['UPDATE collection_members SET asset_id = 99999 WHERE position = (SELECT min(position) FROM collection_members)', 'collection_members names asset_id 99999'],
            ['UPDATE collection_members SET collection_id = 99999', 'collection_members names collection_id 99999'],
            ['UPDATE collections SET cover_asset_id = 99999 WHERE cover_asset_id IS NOT NULL', 'collections names cover_asset_id 99999'],
            ['UPDATE layers SET asset_id = 99999 WHERE rowid = (SELECT min(rowid) FROM layers)', 'layers names asset_id 99999'],
            ['UPDATE asset_tags SET tag_id = 99999 WHERE rowid = (SELECT min(rowid) FROM asset_tags)', 'asset_tags names tag_id 99999'],
            ['UPDATE comment_revisions SET comment_id = 99999 WHERE rowid = (SELECT min(rowid) FROM comment_revisions)', 'comment_revisions names comment_id 99999']
        ];
        for (const [sql, detail] of orphans) {
            expect(await refuse(edited(sql)), sql).toMatchObject({ reason: 'damaged', detail: expect.stringContaining(detail) });
        }
    });

    it('refuses collections and presets the app could not show: circles, collections inside non-folders, unknown kinds, no name, saved searches that are not JSON, absurdly deep or huge', async () => {
        const manual = "(SELECT id FROM collections WHERE uid = 'manual-uid-1')";
        const bad: [string, string][] = [
            ["UPDATE collections SET parent_id = id WHERE uid = 'folder-uid-1'", 'the collection "folder-uid-1" lies in a circle of folders, inside itself'],
            [`UPDATE collections SET parent_id = ${manual} WHERE uid = 'folder-uid-1'`, 'the collection "folder-uid-1" lies inside "manual-uid-1", which is not a folder'],
            [`UPDATE collections SET parent_id = ${manual} WHERE uid = 'smart-uid-1'`, 'the collection "smart-uid-1" lies inside "manual-uid-1", which is not a folder'],
            [`${unconstrained('collections')} UPDATE collections SET kind = 'album' WHERE uid = 'manual-uid-1'`, 'the collection "manual-uid-1" is of the unknown kind "album"'],
            ["UPDATE collections SET name = '   ' WHERE uid = 'manual-uid-1'", 'the collection "manual-uid-1" has no usable name'],
            [`${unconstrained('collections')} UPDATE collections SET uid = 'manual-uid-1' WHERE uid = 'folder-uid-1'`, 'two entries have the uid "manual-uid-1"'],
            ["UPDATE collections SET query = '{not json' WHERE uid = 'smart-uid-1'", 'the collection "smart-uid-1"\'s saved search is not JSON'],
            ["UPDATE collections SET query = '[1, 2]' WHERE uid = 'smart-uid-1'", 'A smart collection needs a search to save'],
            ["UPDATE collections SET query = '{}' WHERE uid = 'manual-uid-1'", 'the collection "manual-uid-1" is a manual, yet it has a saved search'],
            [`UPDATE collections SET query = '{"filters": [{"kind": "rating", "min": ${'['.repeat(10_000)}${']'.repeat(10_000)}}]}' WHERE uid = 'smart-uid-1'`, 'nests more than 32 levels deep'],
            [`UPDATE collections SET query = '{"text": "' || printf('%.*c', 5000000, 'x') || '"}' WHERE uid = 'smart-uid-1'`, 'is longer than 4 MiB'],
            [`UPDATE filter_presets SET filters = '{"kind": 1}'`, 'Filters must be a list of filter clauses'],
            // Not a collection, but read back as JSON by the phase that finds it: a phase result that is not JSON.
            [`INSERT INTO phase_results (content_hash, phase, model, config_version, result, created_at)
                SELECT content_hash, 'caption', 'm', '', '{not json', '2026-01-01' FROM assets LIMIT 1`, 'a result of the phase "caption" is not JSON'],
            [`UPDATE filter_presets SET filters = '[${'['.repeat(10_000)}${']'.repeat(10_000)}]'`, 'Filters must be a list of filter clauses']
        ];
        for (const [sql, detail] of bad) {
            expect(await refuse(edited(sql)), sql.slice(0, 80)).toMatchObject({ reason: 'damaged', detail: expect.stringContaining(detail) });
        }
    });

    it('refuses paths no disk holds or that name one file twice: 10,000 levels, 4,000-character names, dot-and-space parts, NFC/NFD twins, one path twice', async () => {
        const unsafe: [string, string][] = [
            [`${'a/'.repeat(10_000)}deep.png`, 'is 20008 characters long; no path is longer than 4096'],
            [`${'a/'.repeat(300)}deep.png`, 'passes through 300 folders; a path passes through at most 255'],
            [`${'x'.repeat(4000)}.png`, 'has a name of 4004 bytes; a name has at most 255'],
            ['colours/.../red.png', 'has a part made only of dots and spaces'],
            ['colours/.. /red.png', 'has a part made only of dots and spaces'],
            ['colours/ /red.png', 'has a part made only of dots and spaces']
        ];
        for (const [value, detail] of unsafe) {
            expect(await refuse(firstPath(value)), value.slice(0, 40)).toMatchObject({ reason: 'unsafe-path', detail: expect.stringContaining(detail) });
        }
        const twoFirst = (first: string, second: string) => edited(`UPDATE export_files SET root_id = (SELECT min(id) FROM export_roots),
            relative_path = CASE WHEN id = (SELECT min(id) FROM export_files) THEN ? ELSE ? END WHERE id IN (SELECT id FROM export_files ORDER BY id LIMIT 2)`, first, second);
        const forms = await refuse(twoFirst('caf\u00e9.png', 'cafe\u0301.png'));
        expect(forms).toMatchObject({ reason: 'unsafe-path', detail: expect.stringContaining('are one name in two Unicode forms') });
        const twice = await refuse(twoFirst('same.png', 'same.png'));
        expect(twice).toMatchObject({ reason: 'damaged', detail: 'two files have the path "same.png" below one root folder' });
        // Text that is odd but cannot escape: right-to-left marks, zero-width spaces, invalid UTF-8 (read as U+FFFD), a Windows device name on Linux.
        for (const odd of [`colours/\u202Egnp.exe`, '.\u200B./red.png', 'CON', 'colours/NUL.png']) {
            await accepts(firstPath(odd), odd);
        }
        await accepts(edited("UPDATE export_files SET relative_path = CAST(x'2e2ec0af' AS TEXT) || 'x.png' WHERE id = (SELECT min(id) FROM export_files)"), 'invalid UTF-8');
        // A thumbnail named by a path instead of a hash: the asset arrives without it, nothing is read or written there.
        await accepts(edited("UPDATE assets SET thumbnail_hash = '../../../../etc/passwd'"), 'a thumbnail hash that is a path');
    });

    it('refuses, on Windows, device names and names Windows does not allow', () => {
        for (const name of ['CON', 'colours/nul.png', 'COM1.psd', 'colours/LPT9', 'red.png:hidden', 'colours/red.png.', 'colours/red ', 'a<b.png']) {
            expect(exportPathProblem(name, 'relative', 'win32'), name).toMatch(/Windows keeps for a device or does not allow/);
            expect(exportPathProblem(name, 'relative', 'linux'), name).toBeUndefined();
        }
        expect(exportPathProblem('colours/console.png', 'relative', 'win32')).toBeUndefined();
    });

    it('refuses two paths of other content that are one file on this disk (a disk that does not tell case apart, here a hard link)', async () => {
        const mapped = path.join(temp.folder, 'b-images-linked');
        fs.cpSync(images, mapped, { recursive: true });
        const names = (fs.readdirSync(mapped, { recursive: true }) as string[]).filter(name => name.endsWith('.png')).sort();
        // What a case-insensitive disk does to Hero.png and hero.png: both names lead to one file.
        const file = hostile(copy => editExport(copy, `UPDATE export_files SET relative_path = CASE WHEN id = (SELECT min(id) FROM export_files) THEN 'Hero.png' ELSE 'hero.png' END,
            root_id = (SELECT min(id) FROM export_roots) WHERE id IN (SELECT id FROM export_files ORDER BY id LIMIT 2)`));
        fs.copyFileSync(path.join(mapped, names[0]), path.join(mapped, 'Hero.png'));
        fs.linkSync(path.join(mapped, 'Hero.png'), path.join(mapped, 'hero.png'));
        const refusal = await refuse(file, { [images]: mapped });
        expect(refusal).toMatchObject({ reason: 'unsafe-path', detail: `Hero.png and hero.png are the same file at ${path.join(mapped, 'hero.png')}` });
        // Two separate files (a disk that tells case apart) import as two.
        fs.rmSync(path.join(mapped, 'hero.png'));
        fs.copyFileSync(path.join(mapped, names[1]), path.join(mapped, 'hero.png'));
        const before = archiveFingerprint(archiveB);
        expect((await importInto(b, { file, rootMap: { [images]: mapped }, dryRun: true })).filesAdded).toBe(10);
        expect(archiveFingerprint(archiveB)).toBe(before);
    });

    it('holds the file from its checks to the end of the merge: another process cannot change what was checked', async () => {
        const file = hostile(() => undefined);
        const attempts: string[] = [];
        await importInto(b, { file, dryRun: true }, new AbortController().signal, progress => {
            if (progress.step === 'merge' && !attempts.length) {
                // Between the checks and the merge, a writer swaps a checked saved search for one the app cannot read.
                const writer = new BetterSqlite3(file, { timeout: 0 });
                try {
                    writer.exec("UPDATE collections SET query = '{not json' WHERE kind = 'smart'");
                    attempts.push('written');
                } catch (error) {
                    attempts.push(String((error as { code?: unknown }).code));
                } finally {
                    writer.close();
                }
            }
        });
        expect(attempts).toEqual(['SQLITE_BUSY']);
    });

    it('refuses to import below a Windows root folder left unmapped on this machine, and imports it mapped', async () => {
        const windows = 'C:\\Art\\images';
        const file = edited('UPDATE export_roots SET path = ?', windows);
        // Inspecting answers the root, for the user to map.
        expect((await b.get<ArchiveImporter>(ArchiveImporter).inspect(file)).roots.map(root => root.path)).toEqual([windows]);
        const refusal = await refuse(file, {}, true);
        expect(refusal).toMatchObject({ reason: 'unsafe-path', detail: `the root folder ${JSON.stringify(windows)} is not a folder of this machine; map it to one to import its files` });
        const before = archiveFingerprint(archiveB);
        expect((await importInto(b, { file, rootMap: { [windows]: images }, dryRun: true })).filesAdded).toBe(10);
        expect(archiveFingerprint(archiveB)).toBe(before);
    });
});
