import type { Database } from 'better-sqlite3';
import { prepared } from './database';
import { refreshAssetText } from './asset-text';

/**
 * How a file's annotations reach its new content: `move` when the old
 * content is held by no file any more (it becomes an earlier version and the
 * file keeps one set of annotations), `copy` when another file still holds
 * the old content (the two files go separate ways from here).
 */
export type CarryMode = 'move' | 'copy';

/**
 * One kind of annotation that follows a file from one content to the next.
 * Runs inside the ingest transaction that records the new version; a later
 * kind (collection memberships) adds its carrier to {@link ANNOTATION_CARRIERS}.
 */
export interface AnnotationCarrier {
    readonly kind: string;
    carry(db: Database, from: number, to: number, mode: CarryMode): void;
}

/** User tags: the new content gets the union. AI tags describe pixels, so they stay with their content. */
export const userTagCarrier: AnnotationCarrier = {
    kind: 'tags',
    carry(db, from, to, mode) {
        prepared(db, `INSERT OR IGNORE INTO asset_tags (asset_id, tag_id, source, confidence)
            SELECT ?, tag_id, source, confidence FROM asset_tags WHERE asset_id = ? AND source = 'user'`).run(to, from);
        if (mode === 'move') {
            prepared(db, "DELETE FROM asset_tags WHERE asset_id = ? AND source = 'user'").run(from);
        }
    }
};

/** The rating: the new content keeps a rating of its own, else takes the old one. */
export const ratingCarrier: AnnotationCarrier = {
    kind: 'rating',
    carry(db, from, to, mode) {
        prepared(db, 'UPDATE assets SET rating = (SELECT rating FROM assets WHERE id = ?) WHERE id = ? AND rating = 0').run(from, to);
        if (mode === 'move') {
            prepared(db, 'UPDATE assets SET rating = 0 WHERE id = ?').run(from);
        }
    }
};

/**
 * Comments with their whole revision history: moved to the new content (one
 * thread per file), or copied when the old content stays with another file.
 * A comment whose copy is already on the new content (the same thread forked
 * earlier) is not carried twice.
 */
export const commentCarrier: AnnotationCarrier = {
    kind: 'comments',
    carry(db, from, to, mode) {
        const alreadyThere = `EXISTS (SELECT 1 FROM comments t WHERE t.asset_id = ? AND (t.copied_from = c.id OR t.id = c.copied_from))`;
        if (mode === 'move') {
            prepared(db, `UPDATE comments AS c SET asset_id = ? WHERE c.asset_id = ? AND NOT ${alreadyThere}`).run(to, from, to);
            return;
        }
        const originals = prepared(db, `SELECT c.id, c.author, c.body, c.created_at, c.updated_at, c.deleted_at FROM comments c
            WHERE c.asset_id = ? AND NOT ${alreadyThere} ORDER BY c.id`).all(from, to) as
            { id: number; author: string; body: string; created_at: string; updated_at: string; deleted_at: string | null }[];
        for (const comment of originals) {
            const copy = Number(prepared(db, `INSERT INTO comments (asset_id, author, body, created_at, updated_at, deleted_at, copied_from)
                VALUES (?, ?, ?, ?, ?, ?, ?)`).run(to, comment.author, comment.body, comment.created_at, comment.updated_at, comment.deleted_at, comment.id)
                .lastInsertRowid);
            prepared(db, `INSERT INTO comment_revisions (comment_id, revision, body, author, written_at)
                SELECT ?, revision, body, author, written_at FROM comment_revisions WHERE comment_id = ?`).run(copy, comment.id);
        }
    }
};

/** Every kind of annotation that follows a file to its new content, in order. */
export const ANNOTATION_CARRIERS: readonly AnnotationCarrier[] = [userTagCarrier, ratingCarrier, commentCarrier];

/** Carries every kind of annotation from one asset to another and refreshes both assets' full-text rows. Call it inside the write transaction. */
export function carryAnnotations(db: Database, from: number, to: number, mode: CarryMode): void {
    for (const carrier of ANNOTATION_CARRIERS) {
        carrier.carry(db, from, to, mode);
    }
    refreshAssetText(db, from);
    refreshAssetText(db, to);
}
