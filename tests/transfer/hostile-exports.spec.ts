import * as fs from 'fs';
import * as path from 'path';
import { Container } from '@theia/core/shared/inversify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TransferErrorReason } from '../../extensions/archive-core/src/common/archive-transfer-protocol';
import { ArchiveStore } from '../../extensions/archive-core/src/node/store/archive-store';
import { disposeArchiveTestContainer, makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { ArchiveImporter } from '../../extensions/archive-core/src/node/transfer/archive-importer';
import { writeSearchFixtures } from '../search/search-fixtures';
import { annotateArchive, archiveFingerprint, createTransferContainer, editExport, exportTo, importInto, refusalOf } from './transfer-archives';

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
});
