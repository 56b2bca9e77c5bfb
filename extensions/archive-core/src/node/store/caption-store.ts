import type { Database } from 'better-sqlite3';
import type { AiTag, AssetCaption, CaptionLanguage } from '../../common/ai-protocol';
import { prepared } from './database';
import { PhaseIds } from '../../common/job-protocol';
import { refreshAssetText } from './asset-text';
import { reopenForNewInput } from './phase-state-repository';

/** What the caption phase stores for one asset: the captions and AI tags one model gave. */
export interface CaptionResult {
    readonly model: string;
    readonly captions: readonly { readonly language: CaptionLanguage; readonly text: string }[];
    readonly tags: readonly { readonly name: string; readonly confidence?: number }[];
}

export namespace CaptionResult {
    /** Whether a stored or reused phase result has this shape. */
    export function is(value: unknown): value is CaptionResult {
        const result = value as CaptionResult | undefined;
        return !!result && typeof result.model === 'string' && Array.isArray(result.captions) && Array.isArray(result.tags)
            && result.captions.every(caption => (caption?.language === 'en' || caption?.language === 'ko') && typeof caption.text === 'string')
            && result.tags.every(tag => typeof tag?.name === 'string' && (tag.confidence === undefined || typeof tag.confidence === 'number'));
    }
}

/**
 * Writes an asset's captions and AI tags inside the caller's write
 * transaction (the job's): the asset's captions are replaced by these, its
 * AI tags by these (a tag a user rejected for the asset is kept out, one
 * that is already a user tag is not suggested again), and its full-text rows
 * are refreshed, so the words are found at once. Captions that differ from
 * the ones stored send the asset's caption embeddings back to be computed
 * anew. Writing the same result twice changes nothing.
 */
export function writeCaptionResult(db: Database, assetId: number, result: CaptionResult): void {
    if (!prepared(db, 'SELECT 1 FROM assets WHERE id = ?').get(assetId)) {
        return;
    }
    const now = new Date().toISOString();
    const before = captionTextOf(db, assetId);
    prepared(db, 'DELETE FROM asset_captions WHERE asset_id = ?').run(assetId);
    for (const caption of result.captions) {
        prepared(db, `INSERT INTO asset_captions (asset_id, language, model, text, created_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (asset_id, language) DO UPDATE SET model = excluded.model, text = excluded.text, created_at = excluded.created_at`)
            .run(assetId, caption.language, result.model, caption.text, now);
    }
    prepared(db, "DELETE FROM asset_tags WHERE asset_id = ? AND source = 'ai'").run(assetId);
    for (const tag of result.tags) {
        prepared(db, 'INSERT INTO tags (name) VALUES (?) ON CONFLICT (name) DO NOTHING').run(tag.name);
        const tagId = prepared(db, 'SELECT id FROM tags WHERE name = ?').pluck().get(tag.name) as number;
        const decided = prepared(db, 'SELECT decision FROM ai_tag_decisions WHERE asset_id = ? AND tag_id = ?').pluck().get(assetId, tagId);
        if (decided === 'rejected') {
            continue;
        }
        prepared(db, `INSERT INTO asset_tags (asset_id, tag_id, source, confidence, model) VALUES (?, ?, 'ai', ?, ?)
            ON CONFLICT DO UPDATE SET confidence = excluded.confidence, model = excluded.model`)
            .run(assetId, tagId, tag.confidence ?? null, result.model);
    }
    refreshAssetText(db, assetId);
    if (before !== undefined && before !== captionTextOf(db, assetId)) {
        // New words for the same image: the caption embeddings kept for it were made from the old ones.
        reopenForNewInput(db, PhaseIds.TEXT, assetId);
    }
}

/** The asset's captions as one text (language and words), undefined when it has none. */
function captionTextOf(db: Database, assetId: number): string | undefined {
    const rows = prepared(db, 'SELECT language, text FROM asset_captions WHERE asset_id = ? ORDER BY language').all(assetId) as { language: string; text: string }[];
    return rows.length ? JSON.stringify(rows) : undefined;
}

/** The asset's captions, English first. */
export function captionsOf(db: Database, assetId: number): AssetCaption[] {
    const rows = prepared(db, 'SELECT language, model, text, created_at FROM asset_captions WHERE asset_id = ? ORDER BY language')
        .all(assetId) as { language: CaptionLanguage; model: string; text: string; created_at: string }[];
    return rows.map(row => ({ language: row.language, model: row.model, text: row.text, createdAt: row.created_at }));
}

/** The asset's AI tags with their state, most confident first (accepted: it is a user tag now; rejected: turned down). */
export function aiTagsOf(db: Database, assetId: number): AiTag[] {
    const rows = prepared(db, `SELECT t.name, a.confidence, a.model, d.decision,
            EXISTS (SELECT 1 FROM asset_tags u WHERE u.asset_id = a.asset_id AND u.tag_id = a.tag_id AND u.source = 'user') AS is_user
        FROM asset_tags a JOIN tags t ON t.id = a.tag_id
        LEFT JOIN ai_tag_decisions d ON d.asset_id = a.asset_id AND d.tag_id = a.tag_id
        WHERE a.asset_id = ? AND a.source = 'ai'
        ORDER BY a.confidence IS NULL, a.confidence DESC, t.name`)
        .all(assetId) as { name: string; confidence: number | null; model: string | null; decision: string | null; is_user: number }[];
    return rows.map(row => ({
        name: row.name,
        confidence: row.confidence ?? undefined,
        model: row.model ?? '',
        state: row.decision === 'rejected' ? 'rejected' : row.decision === 'accepted' || row.is_user ? 'accepted' : 'suggested'
    }));
}
