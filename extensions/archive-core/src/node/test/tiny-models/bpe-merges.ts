/**
 * BPE merges that make each given word exactly one token. A word is the
 * list of its base symbols, starting with the word-start marker (`Ġ` of
 * byte-level BPE, `▁` of SentencePiece-style BPE), so every merge's left
 * side is a word's beginning: a colour word is never found inside another
 * word ("bored" does not hold "red").
 *
 * Merges are appended lowest priority last; a new merge can only apply
 * when none of the earlier ones does, so words already made one token stay so.
 */
export function learnMerges(words: readonly (readonly string[])[]): [string, string][] {
    const merges: [string, string][] = [];
    const ranks = new Map<string, number>();
    for (const word of words) {
        for (let parts = segment(word, ranks); parts.length > 1; parts = segment(word, ranks)) {
            const key = pairKey(parts[0], parts[1]);
            if (ranks.has(key)) {
                throw new Error(`BPE merges for ${word.join('')} do not converge`);
            }
            ranks.set(key, merges.length);
            merges.push([parts[0], parts[1]]);
        }
    }
    return merges;
}

/** Applies merges as BPE does: the lowest-ranked adjacent pair first, the leftmost on ties. */
export function segment(symbols: readonly string[], ranks: ReadonlyMap<string, number>): string[] {
    const parts = [...symbols];
    for (;;) {
        let best = -1;
        let bestRank = Infinity;
        for (let i = 0; i + 1 < parts.length; i++) {
            const rank = ranks.get(pairKey(parts[i], parts[i + 1]));
            if (rank !== undefined && rank < bestRank) {
                best = i;
                bestRank = rank;
            }
        }
        if (best < 0) {
            return parts;
        }
        parts.splice(best, 2, parts[best] + parts[best + 1]);
    }
}

function pairKey(left: string, right: string): string {
    return JSON.stringify([left, right]);
}
