import type BetterSqlite3 = require('better-sqlite3');
import { prepared } from './database';
import { VECTORS_TABLE } from '../transfer/export-format';

type Connection = BetterSqlite3.Database;

/** Selections up to this size copy their vectors by lookups; larger ones read whole chunks. */
const LOOKUP_LIMIT = 2000;
const LOOKUP_BATCH = 500;
const HEX = `'0123456789ABCDEF'`;
/** The slot's bit in the chunk's validity bitmap (`:validity`, bit `chunk_offset % 8` of byte `chunk_offset / 8`), in SQL. */
const VALID_BIT = `((instr(${HEX}, substr(hex(substr(:validity, s.chunk_offset / 8 + 1, 1)), 1, 1)) - 1) * 16
    + instr(${HEX}, substr(hex(substr(:validity, s.chunk_offset / 8 + 1, 1)), 2, 1)) - 1) & (1 << (s.chunk_offset % 8)) != 0`;

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
 * mismatch, falls back to lookups. A free slot (validity bit clear) is
 * never copied.
 */
export class ExportVectorCopier {

    protected chunks: number[] = [];
    protected lookups: number[] = [];
    protected readonly bytes: number;

    constructor(protected readonly db: Connection, readonly index: string, dimensions: number, ids: readonly number[]) {
        this.bytes = 4 * dimensions;
        if (ids.length > LOOKUP_LIMIT && this.hasChunkLayout()) {
            // Where each chosen asset's vector lies, indexed by chunk (the rowids table has no index on its chunk).
            this.db.exec(`DROP TABLE IF EXISTS temp.export_vector_slots;
                CREATE TEMP TABLE export_vector_slots (chunk_id INTEGER NOT NULL, chunk_offset INTEGER NOT NULL, asset_id INTEGER PRIMARY KEY);
                INSERT INTO temp.export_vector_slots (chunk_id, chunk_offset, asset_id)
                    SELECT r.chunk_id, r.chunk_offset, r.rowid FROM src."${index}_rowids" r JOIN temp.export_ids t ON t.id = r.rowid;
                CREATE INDEX temp.export_vector_slots_chunk ON export_vector_slots (chunk_id, chunk_offset);`);
            this.chunks = prepared(this.db, 'SELECT DISTINCT chunk_id FROM temp.export_vector_slots ORDER BY chunk_id').pluck().all() as number[];
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
        try {
            const version = this.db.prepare(`SELECT value FROM src."${this.index}_info" WHERE key = 'CREATE_VERSION'`).pluck().get();
            return columns('rowids') === 'rowid,id,chunk_id,chunk_offset' && columns('vector_chunks00') === 'rowid,vectors'
                && columns('chunks') === 'chunk_id,size,validity,rowids' && /^v0\.1\./.test(String(version));
        } catch {
            return false;
        }
    }

    /**
     * One chunk's chosen vectors, cut from the chunk's blob by SQL (bound
     * once, sliced per slot whose validity bit is set); checked against
     * vec0 on the chunk's first one, else looked up one by one.
     */
    protected copyChunk(chunkId: number): number {
        const vectors = prepared(this.db, `SELECT vectors FROM src."${this.index}_vector_chunks00" WHERE rowid = ?`).pluck().get(chunkId) as Buffer | undefined;
        const validity = prepared(this.db, `SELECT validity FROM src."${this.index}_chunks" WHERE chunk_id = ?`).pluck().get(chunkId) as Buffer | undefined;
        const slots = prepared(this.db, 'SELECT asset_id FROM temp.export_vector_slots WHERE chunk_id = ? ORDER BY chunk_offset').pluck();
        if (!vectors || !validity) {
            return this.lookUp(slots.all(chunkId) as number[]);
        }
        const copied = prepared(this.db, `INSERT OR IGNORE INTO main.${VECTORS_TABLE} (index_name, asset_id, embedding)
            SELECT :index, s.asset_id, substr(:vectors, s.chunk_offset * :bytes + 1, :bytes) FROM temp.export_vector_slots s
            WHERE s.chunk_id = :chunk AND (s.chunk_offset + 1) * :bytes <= length(:vectors) AND ${VALID_BIT}`)
            .run({ index: this.index, vectors, validity, bytes: this.bytes, chunk: chunkId }).changes;
        const first = prepared(this.db, `SELECT asset_id, embedding FROM main.${VECTORS_TABLE} WHERE index_name = ? AND asset_id IN
            (SELECT asset_id FROM temp.export_vector_slots WHERE chunk_id = ?) ORDER BY asset_id LIMIT 1`).get(this.index, chunkId) as
            { asset_id: number; embedding: Buffer } | undefined;
        if (!first || first.embedding.equals(this.lookUpOne(first.asset_id) ?? Buffer.alloc(0))) {
            return copied;
        }
        // Not the layout this reads: this chunk's vectors come from vec0 instead.
        prepared(this.db, `DELETE FROM main.${VECTORS_TABLE} WHERE index_name = ? AND asset_id IN (SELECT asset_id FROM temp.export_vector_slots WHERE chunk_id = ?)`)
            .run(this.index, chunkId);
        return this.lookUp(slots.all(chunkId) as number[]);
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
