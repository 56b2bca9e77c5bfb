import { addedTokens } from './tiny-tokenizer';

/** What differs between the tiny BPE tokenizers' `tokenizer.json` files. */
export interface BpeTokenizerParts {
    /** The special tokens and their ids. */
    readonly specials: readonly (readonly [string, number])[];
    readonly normalizer: object;
    readonly preTokenizer: object | null;
    readonly postProcessor: object;
    readonly decoder: object;
    readonly vocab: ReadonlyMap<string, number>;
    readonly merges: readonly [string, string][];
    /**
     * The unknown token of a vocabulary that falls back to byte tokens
     * (`<0xEB>`, as Gemma's); null for byte-level BPE, which needs neither.
     */
    readonly byteFallbackUnknown: string | null;
}

/** A BPE `tokenizer.json` as the `tokenizers` library writes it. */
export function bpeTokenizerJson(parts: BpeTokenizerParts): object {
    const byteFallback = parts.byteFallbackUnknown !== null;
    return {
        version: '1.0',
        truncation: null,
        padding: null,
        added_tokens: addedTokens(parts.specials),
        normalizer: parts.normalizer,
        pre_tokenizer: parts.preTokenizer,
        post_processor: parts.postProcessor,
        decoder: parts.decoder,
        model: {
            type: 'BPE',
            dropout: null,
            unk_token: parts.byteFallbackUnknown,
            continuing_subword_prefix: null,
            end_of_word_suffix: null,
            fuse_unk: byteFallback,
            byte_fallback: byteFallback,
            ignore_merges: false,
            vocab: Object.fromEntries(parts.vocab),
            merges: parts.merges
        }
    };
}
