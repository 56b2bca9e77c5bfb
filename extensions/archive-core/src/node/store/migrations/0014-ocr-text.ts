import type { Migration } from './migration';

/** The full-text columns before this migration, and the column it adds. */
const BEFORE = ['name', 'path', 'layers', 'text', 'tags', 'captions', 'comments'];
const AFTER = [...BEFORE, 'ocr'];

/**
 * Text read in images: `asset_ocr` holds what the OCR phase read per asset
 * (with the model that read it), and both full-text tables get an `ocr`
 * column, searched with the `ocr:` prefix. FTS5 tables cannot gain a
 * column, so each is rebuilt with its rows copied over.
 */
export const ocrTextSchema: Migration = {
    version: 14,
    name: 'ocr-text',
    up: db => {
        db.exec(`
            CREATE TABLE asset_ocr (
                asset_id INTEGER PRIMARY KEY REFERENCES assets(id) ON DELETE CASCADE,
                model TEXT NOT NULL,
                text TEXT NOT NULL,
                line_count INTEGER NOT NULL,
                dropped_layer_lines INTEGER NOT NULL DEFAULT 0,
                read_width INTEGER,
                read_height INTEGER,
                recognized_at TEXT NOT NULL
            );
            CREATE VIRTUAL TABLE asset_text_ocr USING fts5(${AFTER.join(', ')}, tokenize = 'trigram');
            INSERT INTO asset_text_ocr (rowid, ${AFTER.join(', ')}) SELECT rowid, ${BEFORE.join(', ')}, '' FROM asset_text;
            DROP TABLE asset_text;
            ALTER TABLE asset_text_ocr RENAME TO asset_text;
            CREATE VIRTUAL TABLE asset_grams_ocr USING fts5(${AFTER.join(', ')}, tokenize = 'unicode61 remove_diacritics 0', prefix = '1');
            INSERT INTO asset_grams_ocr (rowid, ${AFTER.join(', ')}) SELECT rowid, ${BEFORE.join(', ')}, '' FROM asset_grams;
            DROP TABLE asset_grams;
            ALTER TABLE asset_grams_ocr RENAME TO asset_grams;
        `);
    }
};
