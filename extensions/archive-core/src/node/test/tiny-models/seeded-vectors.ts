/** A seeded random number generator (mulberry32): the same seed gives the same model files every run. */
export function seededRandom(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6D2B79F5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** A normally distributed number from a uniform generator (Box-Muller). */
export function gaussian(random: () => number): number {
    return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * `count` orthonormal vectors of `dimensions` numbers (Gram-Schmidt on
 * Gaussian vectors; `count` ≤ `dimensions`): a projection that keeps
 * angles, so what is apart before stays apart after.
 */
export function orthonormalRows(count: number, dimensions: number, seed: number): Float32Array[] {
    if (count > dimensions) {
        throw new Error(`${count} orthonormal vectors do not fit in ${dimensions} dimensions`);
    }
    const random = seededRandom(seed);
    const rows: Float64Array[] = [];
    while (rows.length < count) {
        const row = Float64Array.from({ length: dimensions }, () => gaussian(random));
        for (const previous of rows) {
            const dot = row.reduce((sum, value, i) => sum + value * previous[i], 0);
            row.forEach((value, i) => { row[i] = value - dot * previous[i]; });
        }
        const norm = Math.hypot(...row);
        if (norm > 1e-6) {
            rows.push(row.map(value => value / norm));
        }
    }
    return rows.map(row => Float32Array.from(row));
}
