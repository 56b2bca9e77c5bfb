import type { Database } from 'better-sqlite3';
import { SEARCH_HIT_TAG_LIMIT, SearchSort } from '../../common/search-protocol';
import type { SqlCondition } from '../search/search-filter-compiler';
import { prepared } from './database';

/** A full-text table: `asset_text` (trigrams) or `asset_grams` (bigrams); see `text-grams.ts`. */
export type TextTable = 'asset_text' | 'asset_grams';

/** An order for assets other than relevance. */
export interface AssetOrder {
    readonly by: Exclude<SearchSort['by'], 'relevance'>;
    readonly direction: SearchSort['direction'];
    /** `manual`: the collection whose order it is (`filterable_collections.position`; ascending is the collection's own order). */
    readonly collectionId?: number;
}

/** What a search hit shows of an asset, read in one query per page. */
export interface SearchHitRow {
    id: number;
    kind: string;
    width: number | null;
    height: number | null;
    layer_count: number;
    rating: number;
    /**
     * JSON `{ fileId, filePath, rootId, rootPath }` of the first file on disk
     * (a missing one when none is left), made into an `AssetLocation` by the engine.
     */
    file: string | null;
    missing: number;
    /** JSON array of the first tag names. */
    tag_names: string | null;
    t_name: string | null;
    t_path: string | null;
    t_layers: string | null;
    t_text: string | null;
    t_tags: string | null;
    t_captions: string | null;
    t_comments: string | null;
    t_ocr: string | null;
}

/** File name of a path in SQL (the part after the last slash). */
const NAME_EXPRESSION = `(SELECT lower(replace(f.path, rtrim(f.path, replace(f.path, '/', '')), '')) FROM files f WHERE f.asset_id = a.id ORDER BY f.id LIMIT 1)`;

/** Order expressions over `filterable_assets a` (`manual`: see {@link manualOrderExpression}). */
const ORDER_EXPRESSIONS: Record<Exclude<AssetOrder['by'], 'manual'>, string> = {
    modified: 'a.modified_ms',
    added: 'a.registered_at',
    name: NAME_EXPRESSION,
    rating: 'a.rating',
    resolution: 'a.width * a.height',
    layers: 'a.layer_count'
};

/** A collection's own order: its members' positions (a manual collection's order, a smart collection's rank). */
function manualOrderExpression(collectionId: number | undefined): string {
    if (collectionId === undefined || !Number.isSafeInteger(collectionId)) {
        throw new RangeError('The manual order needs the id of a collection.');
    }
    // An integer checked above: safe to write into the SQL text, and the ORDER BY has no parameters of its own.
    return `(SELECT min(fc.position) FROM filterable_collections fc WHERE fc.collection_id = ${collectionId} AND fc.asset_id = a.id)`;
}

/**
 * The reads one search makes, on one read connection. Every `filter` is a
 * compiled {@link SqlCondition} over `filterable_assets a` (the assets search
 * lists; see migration 15): the engine ANDs the filter compilers' and the
 * query text's conditions. Only the store runs these statements.
 */
export interface SearchIndexReader {
    /** A number that changes when another connection commits: answers cached under an older one are stale. */
    dataVersion(): number;
    /** Every listed asset passing `filter`, in `order` (ties by id). */
    browse(filter: SqlCondition, order: AssetOrder): number[];
    /** These assets in `order` (ties by id). */
    ordered(ids: readonly number[], order: AssetOrder): number[];
    /** The 40 most used tags among these assets, with how many of them carry each. */
    tagCloud(ids: readonly number[]): { name: string; count: number }[];
    /** What hits show of these assets (in no particular order; unknown ids are left out). */
    hitRows(ids: readonly number[]): SearchHitRow[];
    /** The ids among these that are listed and pass `filter`. */
    passing(ids: readonly number[], filter: SqlCondition): Set<number>;
    /** Assets whose full text matches the FTS5 `expression` in `table`. */
    textMatches(table: TextTable, expression: string): Set<number>;
    /** How many assets match, counting no further than `cap`. */
    countTextMatches(table: TextTable, expression: string, cap: number): number;
    /**
     * Matches passing `filter`, best bm25 first (weights per column, in
     * column order), `[id, score]`; with `allowed`, only those ids. At most `limit`.
     */
    rankTextMatches(table: TextTable, expression: string, weights: readonly number[], filter: SqlCondition, limit: number,
        allowed?: ReadonlySet<number>): [number, number][];
    /** Every match with its bm25 score, newest asset first, unfiltered; the caller may stop early (`return()`). */
    textMatchesNewestFirst(table: TextTable, expression: string, weights: readonly number[]): IterableIterator<[number, number]>;
    /** The asset's perceptual hash (hex), listed or not. */
    perceptualHash(assetId: number): string | undefined;
    /** Listed assets with a perceptual hash, passing `filter`, but `excluded`: `[id, hash]`. */
    perceptualHashes(excluded: number, filter: SqlCondition): [number, string][];
}

/** The {@link SearchIndexReader} over an archive's read connection. */
export class SqliteSearchIndexReader implements SearchIndexReader {

    constructor(protected readonly db: Database) { }

    dataVersion(): number {
        return this.db.pragma('data_version', { simple: true }) as number;
    }

    browse(filter: SqlCondition, order: AssetOrder): number[] {
        return this.db.prepare(`SELECT a.id FROM filterable_assets a WHERE (${filter.sql})
                ORDER BY ${orderBy(order)}, a.id`).pluck().all(...filter.params) as number[];
    }

    ordered(ids: readonly number[], order: AssetOrder): number[] {
        return this.db.prepare(`SELECT a.id FROM filterable_assets a WHERE a.id IN (SELECT value FROM json_each(?))
                ORDER BY ${orderBy(order)}, a.id`).pluck().all(JSON.stringify(ids)) as number[];
    }

    tagCloud(ids: readonly number[]): { name: string; count: number }[] {
        return prepared(this.db, `SELECT t.name, count(DISTINCT x.asset_id) AS count FROM asset_tags x JOIN tags t ON t.id = x.tag_id
            WHERE x.asset_id IN (SELECT value FROM json_each(?)) GROUP BY t.id ORDER BY count DESC, t.name LIMIT 40`)
            .all(JSON.stringify(ids)) as { name: string; count: number }[];
    }

    hitRows(ids: readonly number[]): SearchHitRow[] {
        return prepared(this.db, `SELECT a.id, a.kind, a.width, a.height, a.layer_count, a.rating,
                (SELECT json_object('fileId', f.id, 'filePath', f.path, 'rootId', f.root_id, 'rootPath', r.path)
                    FROM files f LEFT JOIN roots r ON r.id = f.root_id WHERE f.asset_id = a.id ORDER BY f.state = 'missing', f.id LIMIT 1) AS file,
                NOT EXISTS (SELECT 1 FROM files f WHERE f.asset_id = a.id AND f.state != 'missing') AS missing,
                (SELECT json_group_array(name) FROM (SELECT DISTINCT t.name FROM asset_tags x JOIN tags t ON t.id = x.tag_id
                    WHERE x.asset_id = a.id ORDER BY t.name COLLATE NOCASE LIMIT ${SEARCH_HIT_TAG_LIMIT})) AS tag_names,
                t.name AS t_name, t.path AS t_path, t.layers AS t_layers, t.text AS t_text, t.tags AS t_tags, t.captions AS t_captions, t.comments AS t_comments, t.ocr AS t_ocr
            FROM assets a LEFT JOIN asset_text t ON t.rowid = a.id WHERE a.id IN (SELECT value FROM json_each(?))`)
            .all(JSON.stringify(ids)) as SearchHitRow[];
    }

    passing(ids: readonly number[], filter: SqlCondition): Set<number> {
        return new Set(this.db.prepare(`SELECT a.id FROM filterable_assets a WHERE a.id IN (SELECT value FROM json_each(?)) AND (${filter.sql})`)
            .pluck().all(JSON.stringify(ids), ...filter.params) as number[]);
    }

    textMatches(table: TextTable, expression: string): Set<number> {
        return new Set(this.db.prepare(`SELECT rowid FROM ${table} WHERE ${table} MATCH ?`).pluck().all(expression) as number[]);
    }

    countTextMatches(table: TextTable, expression: string, cap: number): number {
        return this.db.prepare(`SELECT count(*) FROM (SELECT rowid FROM ${table} WHERE ${table} MATCH ? LIMIT ${Math.floor(cap)})`)
            .pluck().get(expression) as number;
    }

    rankTextMatches(table: TextTable, expression: string, weights: readonly number[], filter: SqlCondition, limit: number,
        allowed?: ReadonlySet<number>): [number, number][] {
        const matches = `SELECT m.rowid AS id, bm25(${table}, ${bm25Weights(weights)}) AS score FROM ${table} m WHERE ${table} MATCH ?`;
        // The matches first, then the filters on their assets: joining inside the MATCH query makes SQLite probe per asset.
        const filtered = `WITH matches AS MATERIALIZED (${matches}) SELECT matches.id, matches.score FROM matches JOIN filterable_assets a ON a.id = matches.id
                WHERE (${filter.sql}) ORDER BY matches.score, matches.id`;
        const params = [expression, ...filter.params];
        if (!allowed) {
            return this.db.prepare(`${filtered} LIMIT ${Math.floor(limit)}`).raw().all(...params) as [number, number][];
        }
        const rows: [number, number][] = [];
        for (const row of this.db.prepare(filtered).raw().iterate(...params) as IterableIterator<[number, number]>) {
            if (allowed.has(row[0])) {
                rows.push(row);
                if (rows.length >= limit) {
                    break;
                }
            }
        }
        return rows;
    }

    textMatchesNewestFirst(table: TextTable, expression: string, weights: readonly number[]): IterableIterator<[number, number]> {
        return this.db.prepare(`SELECT rowid, bm25(${table}, ${bm25Weights(weights)}) FROM ${table} WHERE ${table} MATCH ? ORDER BY rowid DESC`)
            .raw().iterate(expression) as IterableIterator<[number, number]>;
    }

    perceptualHash(assetId: number): string | undefined {
        return prepared(this.db, 'SELECT phash FROM assets WHERE id = ?').pluck().get(assetId) as string | undefined;
    }

    perceptualHashes(excluded: number, filter: SqlCondition): [number, string][] {
        return this.db.prepare(`SELECT a.id, a.phash FROM filterable_assets a WHERE a.phash IS NOT NULL AND a.id != ? AND (${filter.sql})`)
            .raw().all(excluded, ...filter.params) as [number, string][];
    }
}

function orderBy(order: AssetOrder): string {
    const expression = order.by === 'manual' ? manualOrderExpression(order.collectionId) : ORDER_EXPRESSIONS[order.by];
    return `${expression} ${order.direction === 'asc' ? 'ASC' : 'DESC'}`;
}

/** bm25's column weights as SQL numbers (`10.0, 2.0, ...`). */
function bm25Weights(weights: readonly number[]): string {
    return weights.map(weight => {
        if (!Number.isFinite(weight)) {
            throw new RangeError(`A bm25 weight must be a finite number, not ${weight}`);
        }
        return Number.isInteger(weight) ? weight.toFixed(1) : String(weight);
    }).join(', ');
}
