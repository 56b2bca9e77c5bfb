import { inject, injectable } from '@theia/core/shared/inversify';
import type { Database } from 'better-sqlite3';
import { ArchiveStore } from './archive-store';

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
    /** The `k` assets whose vectors are nearest to `query`, nearest first. */
    nearest(index: string, query: Float32Array, k: number): Promise<VectorNeighbour[]>;
    /** The stored vectors of these assets (assets without one are left out). */
    vectors(index: string, assetIds: readonly number[]): Promise<Map<number, Float32Array>>;
}

/**
 * Stores one vector inside the caller's transaction; `index` must be a name
 * from `vector_indexes` (checked by the callers). vec0 refuses INSERT OR
 * REPLACE, so the old row is deleted first.
 */
export function writeVector(db: Database, index: string, assetId: number, vector: Float32Array): void {
    db.prepare(`DELETE FROM ${index} WHERE asset_id = ?`).run(BigInt(assetId));
    db.prepare(`INSERT INTO ${index} (asset_id, embedding) VALUES (?, ?)`).run(BigInt(assetId), Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength));
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

    async nearest(index: string, query: Float32Array, k: number): Promise<VectorNeighbour[]> {
        const { database } = await this.store.open();
        const db = database.reader;
        this.checkDimensions(db.prepare('SELECT dimensions FROM vector_indexes WHERE name = ?').get(index), index, query);
        const rows = db.prepare(`SELECT asset_id, distance FROM ${index} WHERE embedding MATCH ? AND k = ? ORDER BY distance`)
            .all(Buffer.from(query.buffer, query.byteOffset, query.byteLength), k) as { asset_id: number | bigint; distance: number }[];
        return rows.map(row => ({ assetId: Number(row.asset_id), distance: row.distance }));
    }

    async vectors(index: string, assetIds: readonly number[]): Promise<Map<number, Float32Array>> {
        const { database } = await this.store.open();
        const db = database.reader;
        this.checkDimensions(db.prepare('SELECT dimensions FROM vector_indexes WHERE name = ?').get(index), index, undefined);
        const rows = db.prepare(`SELECT asset_id, embedding FROM ${index} WHERE asset_id IN (SELECT value FROM json_each(?))`)
            .all(JSON.stringify(assetIds)) as { asset_id: number | bigint; embedding: Buffer }[];
        return new Map(rows.map(row => [Number(row.asset_id),
            new Float32Array(row.embedding.buffer.slice(row.embedding.byteOffset, row.embedding.byteOffset + row.embedding.byteLength))]));
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
