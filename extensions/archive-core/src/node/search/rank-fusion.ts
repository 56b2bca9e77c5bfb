import type { SearchAxisId } from '../../common/search-protocol';
import type { AxisCandidate } from './search-axis';

/** The usual RRF constant: ranks past the first few dozen count for little. */
export const RRF_K = 60;

export interface FusedHit {
    readonly assetId: number;
    readonly score: number;
    readonly axes: Partial<Record<SearchAxisId, { rank: number; candidate: AxisCandidate }>>;
}

/**
 * Weighted reciprocal-rank fusion: each axis adds weight / (k + rank) for the
 * hits it ranked. Ranks, not raw scores, are fused because the axes' scores
 * (bm25, cosine similarity) are on unrelated scales; a hit found by two axes
 * rises above hits found by one. Ties keep the first axis's order.
 */
export function fuseRanks(lists: ReadonlyMap<SearchAxisId, readonly AxisCandidate[]>, weights: Partial<Record<SearchAxisId, number>>): FusedHit[] {
    const fused = new Map<number, { score: number; axes: FusedHit['axes']; first: number }>();
    let order = 0;
    for (const [axis, candidates] of lists) {
        const weight = weights[axis] ?? 1;
        candidates.forEach((candidate, index) => {
            const rank = index + 1;
            let hit = fused.get(candidate.assetId);
            if (!hit) {
                hit = { score: 0, axes: {}, first: order++ };
                fused.set(candidate.assetId, hit);
            }
            hit.score += weight / (RRF_K + rank);
            (hit.axes as Record<string, unknown>)[axis] = { rank, candidate };
        });
    }
    return [...fused.entries()]
        .sort(([, a], [, b]) => b.score - a.score || a.first - b.first)
        .map(([assetId, hit]) => ({ assetId, score: hit.score, axes: hit.axes }));
}
