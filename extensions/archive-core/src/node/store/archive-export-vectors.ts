import type BetterSqlite3 = require('better-sqlite3');
import { prepared } from './database';
import { VECTORS_TABLE } from '../transfer/export-format';

type Connection = BetterSqlite3.Database;

/** Selections up to this size copy their vectors by lookups; larger ones read whole chunks. */
const LOOKUP_LIMIT = 2000;
const LOOKUP_BATCH = 500;

/**
 * Copies the selected assets' vectors of one sqlite-vec index (attached as
 * `src`, chosen ids in `temp.export_ids`) into the export's vectors table,
 * one step at a time (so the caller can report progress and cancel).
 *
 * vec0 answers one vector per lookup, which caps a whole-archive export at
 * about 100 MB/s. A large selection instead reads the index's storage as
 * sqlite-vec 0.1 lays it out (`<index>_rowids`: asset → chunk and offset;
 * `<index>_vector_chunks00`: one blob of vectors per chunk; a validity bitmap
 * per chunk in `<index>_chunks`), one chunk per step, and checks the first
 * vector of every chunk against a vec0 lookup: any other layout, or a
 * mismatch, falls back to lookups.
 */
export class ExportVectorCopier {

    protected chunks: number[] = [];
    protected lookups: number[] = [];
    protected readonly bytes: number;

    constructor(protected readonly db: Connection, readonly index: string, dimensions: number, ids: readonly number[]) {
        this.bytes = 4 * dimensions;
        if (ids.length > LOOKUP_LIMIT && this.hasChunkLayout()) {
            this.chunks = prepared(this.db, `SELECT DISTINCT r.chunk_id FROM src."${index}_rowids" r
                WHERE r.rowid IN (SELECT id FROM temp.export_ids) ORDER BY r.chunk_id`).pluck().all() as number[];
        } else {
            this.lookups = [...ids];
        }
    }

    get steps(): number {
        return this.chunks.length + Math.ceil(this.lookups.length / LOOKUP_BATCH);
    }

    /** Copies step `step` (of {@link steps}); answers the vectors copied. */
    copy(step: number): number {
        if (step < this.chunks.length) {
            return this.copyChunk(this.chunks[step]);
        }
        const batch = step - this.chunks.length;
        return this.lookUp(this.lookups.slice(batch * LOOKUP_BATCH, (batch + 1) * LOOKUP_BATCH));
    }

    protected hasChunkLayout(): boolean {
        const columns = (table: string) => (this.db.prepare(`PRAGMA src.table_info("${this.index}_${table}")`).all() as { name: string }[]).map(c => c.name).join(',');
        const version = this.db.prepare(`SELECT value FROM src."${this.index}_info" WHERE key = 'CREATE_VERSION'`).pluck();
        try {
            return columns('rowids') === 'rowid,id,chunk_id,chunk_offset' && columns('vector_chunks00') === 'rowid,vectors'
                && columns('chunks') === 'chunk_id,size,validity,rowids' && /^v0\.1\./.test(String(version.get()));
        } catch {
            return false;
        }
    }

    protected copyChunk(chunkId: number): number {
        const vectors = prepared(this.db, `SELECT vectors FROM src."${this.index}_vector_chunks00" WHERE rowid = ?`).pluck().get(chunkId) as Buffer | undefined;
        const validity = prepared(this.db, `SELECT validity FROM src."${this.index}_chunks" WHERE chunk_id = ?`).pluck().get(chunkId) as Buffer | undefined;
        const rows = prepared(this.db, `SELECT r.rowid AS assetId, r.chunk_offset AS offset FROM src."${this.index}_rowids" r
            WHERE r.chunk_id = ? AND r.rowid IN (SELECT id FROM temp.export_ids) ORDER BY r.chunk_offset`).all(chunkId) as { assetId: number; offset: number }[];
        const usable = vectors && validity && rows.every(row => (row.offset + 1) * this.bytes <= vectors.length && (validity[row.offset >> 3] & (1 << (row.offset & 7))) !== 0);
        const slice = (offset: number) => vectors!.subarray(offset * this.bytes, (offset + 1) * this.bytes);
        if (!usable || (rows.length && !slice(rows[0].offset).equals(this.lookUpOne(rows[0].assetId) ?? Buffer.alloc(0)))) {
            return this.lookUp(rows.map(row => row.assetId));
        }
        const write = prepared(this.db, `INSERT OR IGNORE INTO main.${VECTORS_TABLE} (index_name, asset_id, embedding) VALUES (?, ?, ?)`);
        for (const row of rows) {
            write.run(this.index, row.assetId, slice(row.offset));
        }
        return rows.length;
    }

    protected lookUpOne(assetId: number): Buffer | undefined {
        return prepared(this.db, `SELECT embedding FROM src."${this.index}" WHERE asset_id = ?`).pluck().get(BigInt(assetId)) as Buffer | undefined;
    }

    protected lookUp(ids: readonly number[]): number {
        const write = prepared(this.db, `INSERT OR IGNORE INTO main.${VECTORS_TABLE} (index_name, asset_id, embedding) VALUES (?, ?, ?)`);
        let copied = 0;
        for (const id of ids) {
            const embedding = this.lookUpOne(id);
            if (embedding?.length === this.bytes) {
                write.run(this.index, id, embedding);
                copied++;
            }
        }
        return copied;
    }
}
