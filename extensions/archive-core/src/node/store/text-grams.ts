/**
 * Character bigrams of every word (runs of letters and digits), lowercased;
 * a one-character word stays as it is. FTS5's trigram tokenizer cannot match
 * a query shorter than three characters, and Korean words are often two
 * syllables (배경, 고양): indexing bigrams as tokens lets a two-character term
 * match inside any word ("배경" in "캐릭터배경") and a one-character term
 * match as a token prefix.
 */
export function toGrams(text: string): string {
    const grams: string[] = [];
    for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
        const chars = Array.from(word);
        if (chars.length === 1) {
            grams.push(chars[0]);
        }
        for (let i = 0; i + 1 < chars.length; i++) {
            grams.push(chars[i] + chars[i + 1]);
        }
    }
    return grams.join(' ');
}

/** The full-text columns, in table order, shared by `asset_text` and `asset_grams`. */
export const TEXT_COLUMNS = ['name', 'path', 'layers', 'text', 'tags', 'captions', 'comments', 'ocr'] as const;
export type TextColumn = typeof TEXT_COLUMNS[number];
