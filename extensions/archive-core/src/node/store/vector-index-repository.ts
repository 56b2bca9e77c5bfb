import { inject, injectable } from '@theia/core/shared/inversify';
import type { Database } from 'better-sqlite3';
import { ArchiveStore } from './archive-store';
import { prepared, selectValue } from './database';
import { BitCodeCache } from './bit-code-cache';

/** The search axis a vector index serves: V (visual) or M (meaning of captions). */
export type VectorAxis = 'visual' | 'meaning';

/** One nearest-neighbour answer: the asset and its cosine distance to the query (0 = same direction). */
export interface VectorNeighbour {
    readonly assetId: number;
    readonly distance: number;
}

export const VectorIndexRepository = Symbol('VectorIndexRepository');

/**
 * The sqlite-vec tables, one per (axis, model). The registry table records each
 * index's dimensions so a vector of the wrong size is refused.
 */
export interface VectorIndexRepository {
    /** Creates the index for this axis and model if missing and returns its name. */
    ensureIndex(axis: VectorAxis, model: string, dimensions: number): Promise<string>;
    /** Stores the asset's vector, replacing any earlier one. */
    put(index: string, assetId: number, vector: Float32Array): Promise<void>;
    /**
     * The `k` assets whose vectors are nearest to `query`, nearest first. On a
     * quantized index, `candidates` (default: 25k, at least 500) bit-distance
     * candidates are rescored; more candidates, better recall, slower.
     */
    nearest(index: string, query: Float32Array, k: number, candidates?: number): Promise<VectorNeighbour[]>;
    /** The stored vectors of these assets (assets without one are left out). */
    vectors(index: string, assetIds: readonly number[]): Promise<Map<number, Float32Array>>;
    /** Exact cosine distances from `query` to these assets' vectors. */
    distances(index: string, query: Float32Array, assetIds: readonly number[]): Promise<Map<number, number>>;
    /**
     * Builds (or rebuilds) the index's quantizer: the center is the mean of
     * the vectors now stored; every vector gets its sign bits (relative to the
     * center) and an int8 copy. From then on `nearest` scans bits first and
     * rescores the candidates by cosine over the int8 copies, and writes keep
     * both current. Answers the number of vectors quantized.
     */
    quantize(index: string): Promise<number>;
    /** Whether the index has a quantizer. */
    isQuantized(index: string): Promise<boolean>;
    /** How many vectors the index holds; 0 for an index that was never created. */
    count(index: string): Promise<number>;
}

/** How many bit-distance candidates per wanted neighbour the rescoring pass sees. */
export const RESCORE_FACTOR = 25;
/** At least this many candidates are rescored, whatever k is. */
export const RESCORE_MINIMUM = 500;

/**
 * Stores one vector inside the caller's transaction; `index` must be a name
 * from `vector_indexes` (checked by the callers). vec0 refuses INSERT OR
 * REPLACE, so the old row is deleted first.
 */
export function writeVector(db: Database, index: string, assetId: number, vector: Float32Array): void {
    const blob = Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
    prepared(db, `DELETE FROM ${index} WHERE asset_id = ?`).run(BigInt(assetId));
    prepared(db, `INSERT INTO ${index} (asset_id, embedding) VALUES (?, ?)`).run(BigInt(assetId), blob);
    const quantizer = quantizerOf(db, index);
    if (quantizer) {
        prepared(db, `DELETE FROM ${quantizer.bits_table} WHERE asset_id = ?`).run(BigInt(assetId));
        prepared(db, `INSERT INTO ${quantizer.bits_table} (asset_id, embedding) VALUES (?, vec_quantize_binary(vec_sub(?, ?)))`)
            .run(BigInt(assetId), blob, quantizer.center);
        prepared(db, `INSERT OR REPLACE INTO ${int8TableOf(index)} (asset_id, embedding) VALUES (?, ?)`).run(assetId, toInt8(vector));
    }
}

/** The plain table of a quantized index's int8 vectors (each scaled by its own largest magnitude), for rescoring. */
function int8TableOf(index: string): string {
    return `${index}_int8`;
}

/** A vector as int8 scaled to its largest magnitude: cosine needs only the direction. */
export function toInt8(vector: Float32Array): Buffer {
    let max = 0;
    for (let i = 0; i < vector.length; i++) {
        max = Math.max(max, Math.abs(vector[i]));
    }
    const scale = max ? 127 / max : 0;
    const out = new Int8Array(vector.length);
    for (let i = 0; i < vector.length; i++) {
        out[i] = Math.round(vector[i] * scale);
    }
    return Buffer.from(out.buffer);
}

/** Cosine distance between a float query (with its norm) and an int8 vector. */
function int8CosineDistance(query: Float32Array, queryNorm: number, stored: Buffer): number {
    const values = new Int8Array(stored.buffer, stored.byteOffset, stored.length);
    let dot = 0, norm = 0;
    for (let i = 0; i < values.length; i++) {
        dot += query[i] * values[i];
        norm += values[i] * values[i];
    }
    return norm && queryNorm ? 1 - dot / (Math.sqrt(norm) * queryNorm) : 1;
}

interface QuantizerRow {
    bits_table: string;
    center: Buffer;
}

function quantizerOf(db: Database, index: string): QuantizerRow | undefined {
    return prepared(db, 'SELECT bits_table, center FROM vector_quantizers WHERE name = ?').get(index) as QuantizerRow | undefined;
}

/** The name of the vec0 table of an (axis, model) pair. */
export function vectorIndexName(axis: VectorAxis, model: string): string {
    return `vec_${axis}_${model.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`;
}

/** Creates the vec0 table and its registry row inside the caller's transaction, if missing. */
export function createVectorIndex(db: Database, axis: VectorAxis, model: string, dimensions: number): string {
    if (!Number.isInteger(dimensions) || dimensions <= 0) {
        throw new Error(`A vector index needs a positive whole number of dimensions, not ${dimensions}`);
    }
    const name = vectorIndexName(axis, model);
    const existing = db.prepare('SELECT dimensions FROM vector_indexes WHERE name = ?').get(name) as { dimensions: number } | undefined;
    if (existing) {
        if (existing.dimensions !== dimensions) {
            throw new Error(`Vector index ${name} holds ${existing.dimensions}-dimensional vectors, not ${dimensions}`);
        }
        return name;
    }
    db.exec(`CREATE VIRTUAL TABLE ${name} USING vec0(asset_id INTEGER PRIMARY KEY, embedding float[${dimensions}] distance_metric=cosine)`);
    db.prepare('INSERT INTO vector_indexes (name, axis, model, dimensions, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(name, axis, model, dimensions, new Date().toISOString());
    return name;
}

@injectable()
export class SqliteVectorIndexRepository implements VectorIndexRepository {

    @inject(ArchiveStore)
    protected readonly store: ArchiveStore;

    /** In-memory first-pass codes per quantized index. */
    protected readonly codeCaches = new Map<string, BitCodeCache>();

    async ensureIndex(axis: VectorAxis, model: string, dimensions: number): Promise<string> {
        const { database } = await this.store.open();
        return database.write(db => createVectorIndex(db, axis, model, dimensions));
    }

    async put(index: string, assetId: number, vector: Float32Array): Promise<void> {
        const { database } = await this.store.open();
        database.write(db => {
            this.checkDimensions(db.prepare('SELECT dimensions FROM vector_indexes WHERE name = ?').get(index), index, vector);
            writeVector(db, index, assetId, vector);
        });
    }

    async nearest(index: string, query: Float32Array, k: number, candidates?: number): Promise<VectorNeighbour[]> {
        const { database } = await this.store.open();
        const db = database.reader;
        this.checkDimensions(db.prepare('SELECT dimensions FROM vector_indexes WHERE name = ?').get(index), index, query);
        const blob = Buffer.from(query.buffer, query.byteOffset, query.byteLength);
        const quantizer = quantizerOf(db, index);
        if (!quantizer) {
            return this.exact(db, index, blob, k);
        }
        // First pass: Hamming distance over the leading sign bits, in memory; second: cosine over the candidates' int8 vectors.
        const code = db.prepare('SELECT vec_quantize_binary(vec_sub(?, ?))').pluck().get(blob, quantizer.center) as Buffer;
        let cache = this.codeCaches.get(index);
        if (!cache) {
            cache = new BitCodeCache(quantizer.bits_table);
            this.codeCaches.set(index, cache);
        }
        const pool = cache.candidates(db, code, Math.max(k, candidates ?? Math.max(k * RESCORE_FACTOR, RESCORE_MINIMUM)));
        return [...this.int8Distances(db, index, query, pool)]
            .map(([assetId, distance]) => ({ assetId, distance }))
            .sort((a, b) => a.distance - b.distance || a.assetId - b.assetId)
            .slice(0, k);
    }

    /** Cosine distances through the int8 table: one indexed read per candidate, in C. */
    protected int8Distances(db: Database, index: string, query: Float32Array, assetIds: readonly number[]): Map<number, number> {
        let queryNorm = 0;
        for (let i = 0; i < query.length; i++) {
            queryNorm += query[i] * query[i];
        }
        queryNorm = Math.sqrt(queryNorm);
        const rows = db.prepare(`SELECT asset_id, embedding FROM ${int8TableOf(index)} WHERE asset_id IN (SELECT value FROM json_each(?))`)
            .raw().all(JSON.stringify(assetIds)) as [number, Buffer][];
        return new Map(rows.map(([assetId, embedding]) => [assetId, int8CosineDistance(query, queryNorm, embedding)]));
    }

    /** Exact float KNN, over the whole index or among `among` only. */
    protected exact(db: Database, index: string, blob: Buffer, k: number, among?: readonly number[]): VectorNeighbour[] {
        if (among && !among.length) {
            return [];
        }
        const restriction = among ? ` AND asset_id IN (${among.map(() => '?').join(', ')})` : '';
        const rows = db.prepare(`SELECT asset_id, distance FROM ${index} WHERE embedding MATCH ? AND k = ?${restriction} ORDER BY distance`)
            .all(blob, Math.min(k, among?.length ?? k), ...(among ?? [])) as { asset_id: number | bigint; distance: number }[];
        return rows.map(row => ({ assetId: Number(row.asset_id), distance: row.distance }));
    }

    async distances(index: string, query: Float32Array, assetIds: readonly number[]): Promise<Map<number, number>> {
        const { database } = await this.store.open();
        const db = database.reader;
        this.checkDimensions(db.prepare('SELECT dimensions FROM vector_indexes WHERE name = ?').get(index), index, query);
        if (quantizerOf(db, index)) {
            return this.int8Distances(db, index, query, assetIds);
        }
        const result = new Map<number, number>();
        const blob = Buffer.from(query.buffer, query.byteOffset, query.byteLength);
        // SQLite takes at most 32,766 parameters per statement.
        for (let start = 0; start < assetIds.length; start += 30_000) {
            const chunk = assetIds.slice(start, start + 30_000);
            for (const neighbour of this.exact(db, index, blob, chunk.length, chunk)) {
                result.set(neighbour.assetId, neighbour.distance);
            }
        }
        return result;
    }

    async quantize(index: string): Promise<number> {
        this.codeCaches.delete(index);
        const { database } = await this.store.open();
        return database.write(db => {
            const row = db.prepare('SELECT dimensions FROM vector_indexes WHERE name = ?').get(index) as { dimensions: number } | undefined;
            if (!row) {
                throw new Error(`No vector index named ${index}`);
            }
            const sum = new Float64Array(row.dimensions);
            let count = 0;
            const int8Table = int8TableOf(index);
            db.exec(`DROP TABLE IF EXISTS ${int8Table}`);
            db.exec(`CREATE TABLE ${int8Table} (asset_id INTEGER PRIMARY KEY, embedding BLOB NOT NULL)`);
            const insert = db.prepare(`INSERT INTO ${int8Table} (asset_id, embedding) VALUES (?, ?)`);
            // Read through the other connection: a statement being iterated blocks its own connection's writes.
            for (const [assetId, embedding] of database.reader.prepare(`SELECT asset_id, embedding FROM ${index}`).raw().iterate() as IterableIterator<[number | bigint, Buffer]>) {
                const vector = new Float32Array(embedding.buffer.slice(embedding.byteOffset, embedding.byteOffset + row.dimensions * 4));
                for (let i = 0; i < vector.length; i++) {
                    sum[i] += vector[i];
                }
                insert.run(Number(assetId), toInt8(vector));
                count++;
            }
            const center = Float32Array.from(sum, value => count ? value / count : 0);
            const centerBlob = Buffer.from(center.buffer);
            const bits = `${index}_bits`;
            db.exec(`DROP TABLE IF EXISTS ${bits}`);
            db.exec(`CREATE VIRTUAL TABLE ${bits} USING vec0(asset_id INTEGER PRIMARY KEY, embedding bit[${row.dimensions}])`);
            db.prepare(`INSERT INTO ${bits} (asset_id, embedding) SELECT asset_id, vec_quantize_binary(vec_sub(embedding, ?)) FROM ${index}`).run(centerBlob);
            db.prepare(`INSERT INTO vector_quantizers (name, bits_table, center, built_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET bits_table = excluded.bits_table, center = excluded.center, built_at = excluded.built_at`)
                .run(index, bits, centerBlob, new Date().toISOString());
            return count;
        });
    }

    async count(index: string): Promise<number> {
        const { database } = await this.store.open();
        const db = database.reader;
        // The name goes into the SQL text: only a registered index is counted.
        if (selectValue<number>(db, 'SELECT count(*) FROM vector_indexes WHERE name = ?', index) === 0) {
            return 0;
        }
        return selectValue<number>(db, `SELECT count(*) FROM ${index}`);
    }

    async isQuantized(index: string): Promise<boolean> {
        const { database } = await this.store.open();
        return !!quantizerOf(database.reader, index);
    }

    async vectors(index: string, assetIds: readonly number[]): Promise<Map<number, Float32Array>> {
        const { database } = await this.store.open();
        const db = database.reader;
        this.checkDimensions(db.prepare('SELECT dimensions FROM vector_indexes WHERE name = ?').get(index), index, undefined);
        // One point lookup per asset: vec0 answers `asset_id = ?` from its index but scans the table for IN (subquery).
        const lookup = db.prepare(`SELECT embedding FROM ${index} WHERE asset_id = ?`).pluck();
        const result = new Map<number, Float32Array>();
        for (const assetId of assetIds) {
            const embedding = lookup.get(BigInt(assetId)) as Buffer | undefined;
            if (embedding) {
                result.set(assetId, new Float32Array(embedding.buffer.slice(embedding.byteOffset, embedding.byteOffset + embedding.byteLength)));
            }
        }
        return result;
    }

    protected checkDimensions(row: unknown, index: string, vector: Float32Array | undefined): void {
        const dimensions = (row as { dimensions: number } | undefined)?.dimensions;
        if (dimensions === undefined) {
            throw new Error(`No vector index named ${index}`);
        }
        if (vector && vector.length !== dimensions) {
            throw new Error(`Vector index ${index} holds ${dimensions}-dimensional vectors; got ${vector.length}`);
        }
    }
}
