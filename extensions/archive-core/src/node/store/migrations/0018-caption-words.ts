import type { Migration } from './migration';
import { captionWordsOf } from '../caption-words';

/**
 * The words of each asset's AI captions (`caption_words`: one row per asset
 * and word, with the word's stem when it ends in a Korean particle), for the
 * search box's autocomplete. Filled from the captions already stored.
 */
export const captionWordsSchema: Migration = {
    version: 18,
    name: 'caption-words',
    up: db => {
        db.exec(`
            CREATE TABLE caption_words (
                asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
                word TEXT NOT NULL,
                stem TEXT NOT NULL,
                PRIMARY KEY (asset_id, word)
            ) WITHOUT ROWID;
            CREATE INDEX caption_words_word ON caption_words(word);
            CREATE INDEX caption_words_stem ON caption_words(stem);
        `);
        const captions = db.prepare('SELECT asset_id, group_concat(text, char(10)) AS text FROM asset_captions GROUP BY asset_id')
            .all() as { asset_id: number; text: string }[];
        const insert = db.prepare('INSERT OR IGNORE INTO caption_words (asset_id, word, stem) VALUES (?, ?, ?)');
        for (const { asset_id, text } of captions) {
            for (const { word, stem } of captionWordsOf(text)) {
                insert.run(asset_id, word, stem);
            }
        }
    }
};
