import type { Database } from 'better-sqlite3';
import { prepared, selectValue } from './database';
import { refreshAssetText } from './asset-text';

/**
 * How a file's annotations reach its new content: `move` when the old
 * content is held by no file any more (it becomes an earlier version and the
 * file keeps one set of annotations), `copy` when another file still holds
 * the old content (the two files go separate ways from here).
 */
export type CarryMode = 'move' | 'copy';

/**
 * What a file's change of content did with its annotations, kept on the
 * version it closed (`file_versions.carried`): `moved` or `copied` to the new
 * content, or `kept` on the old content because the new content already had
 * annotations of its own to show (the file joined it, as a copy does).
 */
export type CarryOutcome = 'moved' | 'copied' | 'kept';

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

/**
 * Manual collection memberships: the new content takes the old one's place
 * in each collection (beside it when copied) and its place as a cover.
 * Smart collections follow by themselves: their searches are run again.
 */
export const collectionCarrier: AnnotationCarrier = {
    kind: 'collections',
    carry(db, from, to, mode) {
        prepared(db, `INSERT OR IGNORE INTO collection_members (collection_id, asset_id, position, added_at)
            SELECT collection_id, ?, position, added_at FROM collection_members WHERE asset_id = ?`).run(to, from);
        if (mode === 'move') {
            prepared(db, 'DELETE FROM collection_members WHERE asset_id = ?').run(from);
            prepared(db, 'UPDATE collections SET cover_asset_id = ? WHERE cover_asset_id = ?').run(to, from);
        }
    }
};

/** Every kind of annotation that follows a file to its new content, in order. */
export const ANNOTATION_CARRIERS: readonly AnnotationCarrier[] = [userTagCarrier, ratingCarrier, commentCarrier, collectionCarrier];

/** Carries every kind of annotation from one asset to another and refreshes both assets' full-text rows. Call it inside the write transaction. */
export function carryAnnotations(db: Database, from: number, to: number, mode: CarryMode): void {
    for (const carrier of ANNOTATION_CARRIERS) {
        carrier.carry(db, from, to, mode);
    }
    refreshAssetText(db, from);
    refreshAssetText(db, to);
}

/**
 * Whether a content already has a life of its own that carrying into it would
 * change: a current (not missing) file other than `fileId` holds it (a file
 * that is itself pending in this run counts by what it held, since what it
 * holds now is not known yet), or it is an earlier version whose file left it
 * by joining another content, so its annotations stayed on it.
 */
export function hasOwnLife(db: Database, fileId: number, assetId: number): boolean {
    const held = selectValue<number | undefined>(db, "SELECT 1 FROM files WHERE asset_id = ? AND id != ? AND state != 'missing' LIMIT 1", assetId, fileId);
    if (held !== undefined) {
        return true;
    }
    const lastLeft = selectValue<string | null | undefined>(db, `SELECT carried FROM file_versions WHERE asset_id = ? AND replaced_at IS NOT NULL
        ORDER BY replaced_at DESC, id DESC LIMIT 1`, assetId);
    return lastLeft === 'kept';
}

/**
 * A file went from content `from` to content `to` (both assets; the file
 * already points at `to`): carries its annotations when `to` has no life of
 * its own (new to the archive, a missing file's content, or an earlier
 * version whose annotations moved on), moving them when no file holds `from`
 * any more and copying them when one still does; otherwise the file joins
 * `to` and `from` keeps its annotations. Call it inside the write transaction.
 */
export function carryOnChange(db: Database, fileId: number, from: number, to: number): CarryOutcome {
    if (hasOwnLife(db, fileId, to)) {
        refreshAssetText(db, from);
        return 'kept';
    }
    const stillHeld = selectValue<number | undefined>(db, 'SELECT 1 FROM files WHERE asset_id = ? LIMIT 1', from) !== undefined;
    carryAnnotations(db, from, to, stillHeld ? 'copy' : 'move');
    return stillHeld ? 'copied' : 'moved';
}
