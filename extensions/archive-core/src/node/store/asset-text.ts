import * as path from 'path';
import type { Database } from 'better-sqlite3';
import { prepared } from './database';
import { toGrams } from './text-grams';
import { refreshCaptionWords } from './caption-words';

/**
 * Rebuilds an asset's full-text rows (`asset_text` for trigram matching,
 * `asset_grams` for one- and two-character terms) from its file names and
 * paths, layer names, layer text, tags (without rejected AI tags), AI
 * captions, comments and the text OCR read in the image, and the caption
 * words autocomplete offers. Call it inside the write transaction that changed any of them.
 */
export function refreshAssetText(db: Database, assetId: number): void {
    const paths = prepared(db, "SELECT path FROM files WHERE asset_id = ? AND state != 'missing'").pluck().all(assetId) as string[];
    const layers = prepared(db, 'SELECT name, text FROM layers WHERE asset_id = ? ORDER BY idx').all(assetId) as { name: string; text: string | null }[];
    // AI tags a user rejected are not the asset's words any more.
    const tags = prepared(db, `SELECT DISTINCT t.name FROM asset_tags a JOIN tags t ON t.id = a.tag_id
        WHERE a.asset_id = ? AND NOT (a.source = 'ai' AND EXISTS (
            SELECT 1 FROM ai_tag_decisions d WHERE d.asset_id = a.asset_id AND d.tag_id = a.tag_id AND d.decision = 'rejected'))
        ORDER BY t.name`).pluck().all(assetId) as string[];
    const captions = prepared(db, 'SELECT text FROM asset_captions WHERE asset_id = ? ORDER BY language').pluck().all(assetId) as string[];
    const comments = prepared(db, 'SELECT body FROM comments WHERE asset_id = ? AND deleted_at IS NULL ORDER BY id').pluck().all(assetId) as string[];
    const ocr = prepared(db, 'SELECT text FROM asset_ocr WHERE asset_id = ?').pluck().get(assetId) as string | undefined;
    const columns = [
        paths.map(p => path.basename(p)).join('\n'),
        paths.join('\n'),
        layers.map(layer => layer.name).join('\n'),
        layers.map(layer => layer.text).filter(text => !!text).join('\n'),
        tags.join('\n'),
        captions.join('\n'),
        comments.join('\n'),
        ocr ?? ''
    ];
    prepared(db, 'DELETE FROM asset_text WHERE rowid = ?').run(assetId);
    prepared(db, 'INSERT INTO asset_text (rowid, name, path, layers, text, tags, captions, comments, ocr) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(assetId, ...columns);
    prepared(db, 'DELETE FROM asset_grams WHERE rowid = ?').run(assetId);
    prepared(db, 'INSERT INTO asset_grams (rowid, name, path, layers, text, tags, captions, comments, ocr) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(assetId, ...columns.map(toGrams));
    refreshCaptionWords(db, assetId);
}
