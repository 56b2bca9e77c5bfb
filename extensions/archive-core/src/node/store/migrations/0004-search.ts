import type { Migration } from './migration';
import { toGrams } from '../text-grams';

/** The full-text columns as they were at this version (later migrations add columns). */
const TEXT_COLUMNS = ['name', 'path', 'layers', 'text', 'tags', 'captions', 'comments'];

/**
 * Search: `asset_grams`, a word-bigram twin of `asset_text` for terms of one
 * or two characters (see text-grams.ts; a one-character prefix index makes a
 * one-character term one index lookup), filled from the existing text; and
 * indexes for the filters and sorts.
 */
export const searchSchema: Migration = {
    version: 4,
    name: 'search',
    up: db => {
        db.exec(`
            CREATE VIRTUAL TABLE asset_grams USING fts5(
                ${TEXT_COLUMNS.join(', ')},
                tokenize = 'unicode61 remove_diacritics 0',
                prefix = '1'
            );
            CREATE INDEX assets_registered_at ON assets (registered_at);
            CREATE INDEX assets_rating ON assets (rating);
        `);
        const insert = db.prepare(`INSERT INTO asset_grams (rowid, ${TEXT_COLUMNS.join(', ')}) VALUES (?, ${TEXT_COLUMNS.map(() => '?').join(', ')})`);
        const rows = db.prepare(`SELECT rowid, ${TEXT_COLUMNS.join(', ')} FROM asset_text`).raw().all() as unknown[][];
        for (const [rowid, ...columns] of rows) {
            insert.run(rowid, ...columns.map(value => toGrams(String(value ?? ''))));
        }
    }
};
