import * as path from 'path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArchiveDatabase } from './database';
import { ARCHIVE_MIGRATIONS } from './migrations';
import { writeOcrText } from './ocr-text-repository';
import { makeTempFolder } from '../test/archive-test-container';

describe('OCR text in the archive', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let file: string;

    beforeEach(() => {
        temp = makeTempFolder();
        file = path.join(temp.folder, 'archive.db');
    });

    afterEach(() => temp.remove());

    const match = (db: ArchiveDatabase, table: string, expression: string) =>
        db.reader.prepare(`SELECT rowid FROM ${table} WHERE ${table} MATCH ? ORDER BY rowid`).pluck().all(expression);

    it('upgrades an archive made before OCR: its text stays searchable, and OCR text becomes searchable in its own field', () => {
        const before = ARCHIVE_MIGRATIONS.findIndex(migration => migration.name === 'ocr-text');
        const old = ArchiveDatabase.open(file, { migrations: ARCHIVE_MIGRATIONS.slice(0, before) });
        old.write(db => {
            db.prepare(`INSERT INTO assets (id, content_hash, kind, width, height, layer_count, rating, registered_at, phash)
                VALUES (1, ?, 'png', 10, 10, 0, 0, ?, '0000000000000000')`).run('a'.repeat(64), new Date().toISOString());
            db.prepare('INSERT INTO asset_text (rowid, name, layers) VALUES (1, ?, ?)').run('poster.png', '배경 Background');
            db.prepare('INSERT INTO asset_grams (rowid, name, layers) VALUES (1, ?, ?)').run('po os st te er pn ng', '배경 ba ac ck kg gr ro ou un nd');
        });
        old.close();

        const db = ArchiveDatabase.open(file);
        try {
            expect(match(db, 'asset_text', 'Background')).toEqual([1]);
            expect(match(db, 'asset_grams', '배경')).toEqual([1]);
            expect(match(db, 'asset_text', '{ocr} : 해바라기')).toEqual([]);

            db.write(w => writeOcrText(w, 1, { model: 'tesseract-5/kor+eng', text: '해바라기 들판\nSummer', lineCount: 2, droppedLayerLines: 0 }));
            expect(match(db, 'asset_text', '{ocr} : 해바라기')).toEqual([1]);
            expect(match(db, 'asset_grams', '{ocr} : 들판')).toEqual([1]);
            expect(match(db, 'asset_text', '{text layers} : 해바라기')).toEqual([]);
            // Writing the same text again changes nothing; another model's reading replaces it.
            db.write(w => writeOcrText(w, 1, { model: 'tesseract-5/kor+eng', text: '해바라기 들판\nSummer', lineCount: 2, droppedLayerLines: 0 }));
            expect(db.reader.prepare('SELECT count(*) FROM asset_ocr').pluck().get()).toBe(1);
            db.write(w => writeOcrText(w, 1, { model: 'other/kor', text: '바다', lineCount: 1, droppedLayerLines: 0 }));
            expect(match(db, 'asset_text', '{ocr} : 해바라기')).toEqual([]);
            expect(match(db, 'asset_grams', '{ocr} : 바다')).toEqual([1]);
        } finally {
            db.close();
        }
    });
});
