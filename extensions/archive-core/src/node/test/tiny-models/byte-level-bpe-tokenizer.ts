import { learnMerges } from './bpe-merges';
import { bpeTokenizerJson } from './bpe-tokenizer-json';
import { normalizeWord, templateProcessing, TinyTokenizer } from './tiny-tokenizer';

export interface ByteLevelBpeOptions {
    /** Words (English, Korean, …) that each become one token; any other text falls into byte tokens, never unknown. */
    readonly words: readonly string[];
    /** The text start and end tokens the post-processor adds. */
    readonly bos: string;
    readonly eos: string;
    /** The padding token (may be the end token, as in CLIP). */
    readonly pad: string;
    /** `tokenizer_config.json`'s `tokenizer_class`. */
    readonly tokenizerClass: string;
    readonly modelMaxLength: number;
}

/**
 * A byte-level BPE `tokenizer.json` (as CLIP's and Qwen3's): NFC and lower
 * case, GPT-2's byte-to-character map with a space added before the text,
 * so every word starts with `Ġ` and any UTF-8 text (Korean included)
 * encodes and decodes back unchanged.
 */
export function byteLevelBpeTokenizer(options: ByteLevelBpeOptions): TinyTokenizer {
    const byteChars = bytesToUnicode();
    const toSymbols = (text: string) => Array.from(new TextEncoder().encode(text), byte => byteChars[byte]);
    const words = [...new Set(options.words.map(normalizeWord))];
    const merges = learnMerges(words.map(word => toSymbols(` ${word}`)));
    const vocab = new Map<string, number>();
    const add = (token: string) => vocab.has(token) || vocab.set(token, vocab.size);
    byteChars.forEach(add);
    merges.forEach(([left, right]) => add(left + right));
    const specials = [...new Set([options.bos, options.eos, options.pad])].map(token => {
        add(token);
        return [token, vocab.get(token)!] as const;
    });
    const id = (token: string) => vocab.get(token)!;
    return {
        json: bpeTokenizerJson({
            specials,
            normalizer: { type: 'Sequence', normalizers: [{ type: 'NFC' }, { type: 'Lowercase' }] },
            preTokenizer: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
            postProcessor: templateProcessing([[options.bos, id(options.bos)]], [[options.eos, id(options.eos)]]),
            decoder: {
                type: 'Sequence',
                decoders: [
                    { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
                    { type: 'Strip', content: ' ', start: 1, stop: 0 }
                ]
            },
            vocab,
            merges,
            byteFallbackUnknown: null
        }),
        config: {
            tokenizer_class: options.tokenizerClass,
            bos_token: options.bos,
            eos_token: options.eos,
            pad_token: options.pad,
            model_max_length: options.modelMaxLength,
            clean_up_tokenization_spaces: false,
            add_prefix_space: true
        },
        size: vocab.size,
        wordId: word => vocab.get(toSymbols(` ${normalizeWord(word)}`).join('')),
        specialIds: specials.map(([, tokenId]) => tokenId)
    };
}

/** GPT-2's map of the 256 byte values to printable characters (a space is `Ġ`). */
export function bytesToUnicode(): string[] {
    const printable: number[] = [];
    const range = (from: string, to: string) => {
        for (let code = from.charCodeAt(0); code <= to.charCodeAt(0); code++) {
            printable.push(code);
        }
    };
    range('!', '~');
    range('¡', '¬');
    range('®', 'ÿ');
    const chars = new Array<string>(256);
    let extra = 0;
    for (let byte = 0; byte < 256; byte++) {
        chars[byte] = String.fromCharCode(printable.includes(byte) ? byte : 256 + extra++);
    }
    return chars;
}
