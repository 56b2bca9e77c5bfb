/** The text fields a term can be limited to with a prefix. */
export type TermField = 'tag' | 'layer' | 'text' | 'ocr' | 'path' | 'ext';
export const TERM_FIELDS: readonly TermField[] = ['tag', 'layer', 'text', 'ocr', 'path', 'ext'];

/** One term of a free-text query. */
export interface QueryTerm {
    /** The words, as typed (a phrase may hold spaces). */
    readonly value: string;
    readonly field?: TermField;
    /** `-word`: assets matching it are excluded. */
    readonly negated: boolean;
    /** `"two words"`: the words together, in order. */
    readonly phrase: boolean;
}

/**
 * Splits query text into terms: words, "quoted phrases", a leading `-` for
 * negation, `field:` prefixes (`tag:`, `layer:`, `text:`, `ocr:` for text read
 * in the image, `path:`, `ext:`,
 * also before a phrase). A trailing `*` is accepted and dropped: every term
 * already matches inside words (so "배경" finds "캐릭터배경").
 */
export function parseQueryText(text: string): QueryTerm[] {
    const terms: QueryTerm[] = [];
    const pattern = /(-)?(?:([a-z]+):)?(?:"([^"]*)"?|(\S+))/giu;
    for (const match of text.matchAll(pattern)) {
        const [, minus, prefix, quoted, bare] = match;
        let field = prefix?.toLowerCase() as TermField | undefined;
        let value = quoted ?? bare ?? '';
        if (prefix && !TERM_FIELDS.includes(field!)) {
            // Not a field we know: the colon is part of the word (e.g. "12:30").
            value = `${prefix}:${value}`;
            field = undefined;
        }
        value = value.replace(/\*+$/u, '').trim();
        if (field === 'ext') {
            value = value.replace(/^\./, '').toLowerCase();
        }
        if (value) {
            terms.push({ value, field, negated: !!minus, phrase: quoted !== undefined });
        }
    }
    return terms;
}
