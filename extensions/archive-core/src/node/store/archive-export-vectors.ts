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
    /** Per chunk, the highest slot chosen in it (the validity bits up to it decide whether SQL must check them). */
    protected lastOffsets = new Map<number, number>();
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
            const chunks = prepared(this.db, 'SELECT chunk_id, max(chunk_offset) AS last FROM temp.export_vector_slots GROUP BY chunk_id ORDER BY chunk_id')
                .all() as { chunk_id: number; last: number }[];
            this.chunks = chunks.map(chunk => chunk.chunk_id);
            this.lastOffsets = new Map(chunks.map(chunk => [chunk.chunk_id, chunk.last]));
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
     * One chunk's chosen vectors, cut from the chunk's blob by SQL (read once
     * per statement by a constant subquery, so it never crosses into
     * JavaScript; sliced per slot whose validity bit is set: the bitmap is
     * checked in SQL only when a chosen slot's bit is clear); checked against
     * vec0 on the chunk's first one, else looked up one by one.
     */
    protected copyChunk(chunkId: number): number {
        const chunk = prepared(this.db, `SELECT c.validity, (SELECT length(v.vectors) FROM src."${this.index}_vector_chunks00" v WHERE v.rowid = c.chunk_id) AS length
            FROM src."${this.index}_chunks" c WHERE c.chunk_id = ?`).get(chunkId) as { validity: unknown; length: number | null } | undefined;
        const slots = prepared(this.db, 'SELECT asset_id FROM temp.export_vector_slots WHERE chunk_id = ? ORDER BY chunk_offset').pluck();
        if (!chunk || !Buffer.isBuffer(chunk.validity) || typeof chunk.length !== 'number') {
            return this.lookUp(slots.all(chunkId) as number[]);
        }
        const validity = chunk.validity;
        const allValid = allBitsSet(validity, this.lastOffsets.get(chunkId) ?? -1);
        const copied = prepared(this.db, `INSERT OR IGNORE INTO main.${VECTORS_TABLE} (index_name, asset_id, embedding)
            SELECT :index, s.asset_id, substr((SELECT vectors FROM src."${this.index}_vector_chunks00" WHERE rowid = :chunk), s.chunk_offset * :bytes + 1, :bytes)
            FROM temp.export_vector_slots s
            WHERE s.chunk_id = :chunk AND (s.chunk_offset + 1) * :bytes <= :length${allValid ? '' : ` AND ${VALID_BIT}`}`)
            .run({ index: this.index, bytes: this.bytes, chunk: chunkId, length: chunk.length, ...(allValid ? {} : { validity }) }).changes;
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

/** Whether bits 0 to `last` of a validity bitmap (bit `i % 8` of byte `i / 8`) are all set. */
export function allBitsSet(bitmap: Uint8Array, last: number): boolean {
    if (last < 0 || bitmap.length * 8 <= last) {
        return false;
    }
    const fullBytes = Math.floor((last + 1) / 8);
    for (let i = 0; i < fullBytes; i++) {
        if (bitmap[i] !== 0xff) {
            return false;
        }
    }
    const rest = (last + 1) % 8;
    return rest === 0 || (bitmap[fullBytes] & ((1 << rest) - 1)) === ((1 << rest) - 1);
}
