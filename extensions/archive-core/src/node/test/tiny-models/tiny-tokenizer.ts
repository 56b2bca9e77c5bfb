/** A hand-made tokenizer for a tiny test model: the files a model folder holds, and which id each known word becomes. */
export interface TinyTokenizer {
    /** `tokenizer.json`. */
    readonly json: object;
    /** `tokenizer_config.json` (names `pad_token`, which padding needs). */
    readonly config: object;
    /** Ids run from 0 to `size - 1`. */
    readonly size: number;
    /** The id of the single token a known word becomes (after the word-start marker); undefined for any other word. */
    wordId(word: string): number | undefined;
    /** The ids of the special tokens (start, end, padding, unknown). */
    readonly specialIds: readonly number[];
}

/** Special tokens as `tokenizer.json` lists them. */
export function addedTokens(tokens: readonly (readonly [string, number])[]): object[] {
    return tokens.map(([content, id]) => ({
        id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true
    }));
}

/** A `TemplateProcessing` post-processor putting `before` and `after` around the text. */
export function templateProcessing(before: readonly (readonly [string, number])[], after: readonly (readonly [string, number])[]): object {
    const special = (token: string) => ({ SpecialToken: { id: token, type_id: 0 } });
    const single = [...before.map(([token]) => special(token)), { Sequence: { id: 'A', type_id: 0 } }, ...after.map(([token]) => special(token))];
    const pair = [...single, { Sequence: { id: 'B', type_id: 1 } }, ...after.map(([token]) => special(token))];
    return {
        type: 'TemplateProcessing',
        single,
        pair,
        special_tokens: Object.fromEntries([...before, ...after].map(([token, id]) => [token, { id: token, ids: [id], tokens: [token] }]))
    };
}

/** How the tiny tokenizers normalize a word before looking it up: NFC (Korean typed on macOS arrives decomposed) and lower case. */
export function normalizeWord(word: string): string {
    return word.normalize('NFC').toLowerCase();
}
