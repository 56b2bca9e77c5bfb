import type { Migration } from './migration';

/**
 * Binary-quantized companions of vector indexes: for each quantized index a
 * vec0 `bit[N]` table holding sign(vector - center), and the center (the mean
 * vector when the quantizer was built). Hamming distance over these bits is
 * the first pass of a nearest-neighbour search; exact cosine rescores it.
 */
export const vectorQuantizers: Migration = {
    version: 5,
    name: 'vector-quantizers',
    up: db => db.exec(`
        CREATE TABLE vector_quantizers (
            name TEXT PRIMARY KEY REFERENCES vector_indexes(name),
            bits_table TEXT NOT NULL,
            center BLOB NOT NULL,
            built_at TEXT NOT NULL
        );
    `)
};
