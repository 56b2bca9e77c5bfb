import type { Database } from 'better-sqlite3';

/** 32-bit words of each code kept in memory: the sign bits of the first 256 dimensions. */
const WORDS = 8;

function popcount(value: number): number {
    value = value - ((value >>> 1) & 0x55555555);
    value = (value & 0x33333333) + ((value >>> 2) & 0x33333333);
    return (((value + (value >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/**
 * The first pass of a quantized nearest-neighbour search, in memory: the
 * leading 256 sign bits of every vector (32 bytes each, 32 MB per million)
 * scanned by Hamming distance in a tight loop, with the candidates picked by
 * a counting sort over the 257 possible distances. sqlite-vec's own bit KNN
 * reads all the bits and slows with k; this reads an eighth of them and does
 * not. Loaded on first use from the quantizer's bit table; rows added later
 * (higher asset ids) are appended when the database has changed.
 */
export class BitCodeCache {
    protected ids = new Float64Array(0);
    protected codes = new Uint32Array(0);
    protected size = 0;
    protected maxId = 0;
    protected version: number | undefined;

    constructor(protected readonly bitsTable: string) { }

    /** The `count` assets whose codes are nearest to `query` (a code from `vec_quantize_binary`). */
    candidates(db: Database, query: Buffer, count: number): number[] {
        this.refresh(db);
        const q = new Uint32Array(WORDS);
        for (let w = 0; w < WORDS && w * 4 + 4 <= query.length; w++) {
            q[w] = query.readUInt32LE(w * 4);
        }
        const distances = new Uint16Array(this.size);
        const histogram = new Uint32Array(WORDS * 32 + 1);
        const codes = this.codes;
        for (let i = 0, offset = 0; i < this.size; i++, offset += WORDS) {
            let distance = 0;
            for (let w = 0; w < WORDS; w++) {
                distance += popcount(codes[offset + w] ^ q[w]);
            }
            distances[i] = distance;
            histogram[distance]++;
        }
        let threshold = 0;
        for (let seen = 0; threshold < histogram.length; threshold++) {
            seen += histogram[threshold];
            if (seen >= count) {
                break;
            }
        }
        const result: number[] = [];
        for (let i = 0; i < this.size && result.length < count; i++) {
            if (distances[i] < threshold) {
                result.push(this.ids[i]);
            }
        }
        for (let i = 0; i < this.size && result.length < count; i++) {
            if (distances[i] === threshold) {
                result.push(this.ids[i]);
            }
        }
        return result;
    }

    protected refresh(db: Database): void {
        const version = db.pragma('data_version', { simple: true }) as number;
        if (version === this.version) {
            return;
        }
        const rows = db.prepare(`SELECT asset_id, embedding FROM ${this.bitsTable} WHERE asset_id > ?`).raw().all(this.maxId) as [number | bigint, Buffer][];
        this.grow(this.size + rows.length);
        for (const [assetId, code] of rows) {
            const id = Number(assetId);
            this.ids[this.size] = id;
            for (let w = 0; w < WORDS && w * 4 + 4 <= code.length; w++) {
                this.codes[this.size * WORDS + w] = code.readUInt32LE(w * 4);
            }
            this.size++;
            this.maxId = Math.max(this.maxId, id);
        }
        this.version = version;
    }

    protected grow(capacity: number): void {
        if (capacity <= this.ids.length) {
            return;
        }
        const next = Math.max(capacity, Math.ceil(this.ids.length * 1.5));
        const ids = new Float64Array(next);
        ids.set(this.ids.subarray(0, this.size));
        const codes = new Uint32Array(next * WORDS);
        codes.set(this.codes.subarray(0, this.size * WORDS));
        this.ids = ids;
        this.codes = codes;
    }
}
