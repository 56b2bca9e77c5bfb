/**
 * A PSD's text layers are indexed from their text already (the `text`
 * field); the OCR phase reads the composite, where those layers are drawn
 * too. Rather than composite the document again without them (slow, and
 * text layers often have no pixels stored), lines OCR read that a text
 * layer already holds are dropped: a line whose letters and digits appear in
 * the text layers' letters and digits with at most a quarter of them wrong.
 * What only the pixels hold (a logo, a photographed sign, rasterized type)
 * stays.
 */

/** The share of a line's characters that may differ from the text layers for it to count as theirs (OCR misreads a few). */
export const LAYER_LINE_TOLERANCE = 0.25;
/** Text layer text beyond this many characters is not compared (bounds the work on documents full of type). */
const MAX_LAYER_CHARS = 20_000;

/** Splits lines into those to index and those a text layer already holds. */
export function dropTextLayerLines(lines: readonly string[], layerTexts: readonly string[]): { kept: string[]; dropped: number } {
    const corpus = Array.from(comparableText(layerTexts.join(''))).slice(0, MAX_LAYER_CHARS);
    if (!corpus.length) {
        return { kept: [...lines], dropped: 0 };
    }
    const kept = lines.filter(line => {
        const chars = Array.from(comparableText(line));
        return !chars.length || substringDistance(chars, corpus) > Math.floor(chars.length * LAYER_LINE_TOLERANCE);
    });
    return { kept, dropped: lines.length - kept.length };
}

/** Letters and digits only, lowercased: OCR's spacing and punctuation are not compared. */
function comparableText(text: string): string {
    return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).join('');
}

/** The fewest edits that turn `needle` into some substring of `haystack` (Sellers' algorithm). */
function substringDistance(needle: readonly string[], haystack: readonly string[]): number {
    let previous = new Array<number>(haystack.length + 1).fill(0);
    for (let i = 1; i <= needle.length; i++) {
        const current = [i];
        for (let j = 1; j <= haystack.length; j++) {
            current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (needle[i - 1] === haystack[j - 1] ? 0 : 1));
        }
        previous = current;
    }
    return Math.min(...previous);
}
