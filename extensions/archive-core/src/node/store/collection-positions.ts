import type { Database } from 'better-sqlite3';
import { prepared } from './database';

/**
 * Below this gap between neighbours a midpoint loses precision: the list is
 * renumbered 1, 2, 3, ... first (a REAL keeps about 15 digits, so this takes
 * some 40 insertions at one spot).
 */
export const MIN_POSITION_GAP = 1e-6;

/**
 * `count` ascending positions strictly between `previous` and `next`
 * (either may be undefined: the start or the end of the list), or undefined
 * when they would lie closer than {@link MIN_POSITION_GAP}.
 */
export function positionsBetween(previous: number | undefined, next: number | undefined, count: number): number[] | undefined {
    if (next === undefined) {
        const start = previous ?? 0;
        return Array.from({ length: count }, (_, index) => start + index + 1);
    }
    const low = previous ?? next - count - 1;
    const step = (next - low) / (count + 1);
    if (step < MIN_POSITION_GAP) {
        return undefined;
    }
    return Array.from({ length: count }, (_, index) => low + step * (index + 1));
}

/** Renumbers a manual collection's members 1, 2, 3, ... in their order. */
export function renumberMembers(db: Database, collectionId: number): void {
    prepared(db, `UPDATE collection_members SET position = (
            SELECT r.n FROM (SELECT asset_id, row_number() OVER (ORDER BY position, asset_id) AS n
                FROM collection_members WHERE collection_id = ?) r WHERE r.asset_id = collection_members.asset_id)
        WHERE collection_id = ?`).run(collectionId, collectionId);
}

/** Renumbers the live collections in one folder (NULL: the top) 1, 2, 3, ... in their order. */
export function renumberSiblings(db: Database, parentId: number | null): void {
    const ids = prepared(db, `SELECT id FROM collections WHERE parent_id IS ? AND deleted_at IS NULL ORDER BY position, id`)
        .pluck().all(parentId) as number[];
    ids.forEach((id, index) => prepared(db, 'UPDATE collections SET position = ? WHERE id = ?').run(index + 1, id));
}

/**
 * The position for a collection placed in a folder (NULL: the top) before a
 * live sibling (undefined: last), leaving `movingId` itself out of the
 * neighbours. Throws a readable Error when `beforeId` is not in that folder.
 */
export function siblingPosition(db: Database, parentId: number | null, beforeId: number | undefined, movingId?: number): number {
    for (let attempt = 0; attempt < 2; attempt++) {
        if (beforeId === undefined) {
            const last = prepared(db, 'SELECT max(position) FROM collections WHERE parent_id IS ? AND deleted_at IS NULL AND id IS NOT ?')
                .pluck().get(parentId, movingId ?? null) as number | null;
            return (last ?? 0) + 1;
        }
        const before = prepared(db, 'SELECT position FROM collections WHERE id = ? AND parent_id IS ? AND deleted_at IS NULL')
            .pluck().get(beforeId, parentId) as number | undefined;
        if (before === undefined || beforeId === movingId) {
            throw new Error(`Collection ${beforeId} is not in that folder: nothing can be placed before it.`);
        }
        const previous = prepared(db, `SELECT max(position) FROM collections WHERE parent_id IS ? AND deleted_at IS NULL
            AND id IS NOT ? AND (position < ? OR (position = ? AND id < ?))`).pluck().get(parentId, movingId ?? null, before, before, beforeId) as number | null;
        const position = positionsBetween(previous ?? undefined, before, 1);
        if (position) {
            return position[0];
        }
        renumberSiblings(db, parentId);
    }
    throw new Error('Cannot find room among the collections there.');
}

/**
 * Inserts the assets not yet in the collection, in the given order, before
 * a member (undefined: at the end), renumbering when the gap is too small.
 * Answers how many were added.
 */
export function insertMembers(db: Database, id: number, assetIds: readonly number[], beforeAssetId: number | undefined): number {
    const fresh = [...new Set(assetIds)].filter(assetId => !prepared(db, 'SELECT 1 FROM collection_members WHERE collection_id = ? AND asset_id = ?').get(id, assetId));
    if (!fresh.length) {
        return 0;
    }
    const known = prepared(db, 'SELECT count(*) FROM assets WHERE id IN (SELECT value FROM json_each(?))').pluck().get(JSON.stringify(fresh)) as number;
    if (known !== fresh.length) {
        const unknown = fresh.find(assetId => !prepared(db, 'SELECT 1 FROM assets WHERE id = ?').get(assetId));
        throw new Error(`There is no asset ${unknown} in the archive.`);
    }
    let positions: number[] | undefined;
    for (let attempt = 0; !positions && attempt < 2; attempt++) {
        positions = memberPositions(db, id, beforeAssetId, fresh.length);
        if (!positions) {
            renumberMembers(db, id);
        }
    }
    if (!positions) {
        throw new Error('Cannot find room for the assets in the collection.');
    }
    const now = new Date().toISOString();
    fresh.forEach((assetId, index) => prepared(db, 'INSERT INTO collection_members (collection_id, asset_id, position, added_at) VALUES (?, ?, ?, ?)')
        .run(id, assetId, positions![index], now));
    return fresh.length;
}

function memberPositions(db: Database, id: number, beforeAssetId: number | undefined, count: number): number[] | undefined {
    if (beforeAssetId === undefined) {
        const last = prepared(db, 'SELECT max(position) FROM collection_members WHERE collection_id = ?').pluck().get(id) as number | null;
        return positionsBetween(last ?? 0, undefined, count);
    }
    const before = prepared(db, 'SELECT position FROM collection_members WHERE collection_id = ? AND asset_id = ?').pluck().get(id, beforeAssetId) as number | undefined;
    if (before === undefined) {
        throw new Error(`Asset ${beforeAssetId} is not in the collection: nothing can be placed before it.`);
    }
    const previous = prepared(db, `SELECT max(position) FROM collection_members WHERE collection_id = ?
        AND (position < ? OR (position = ? AND asset_id < ?))`).pluck().get(id, before, before, beforeAssetId) as number | null;
    return positionsBetween(previous ?? undefined, before, count);
}
