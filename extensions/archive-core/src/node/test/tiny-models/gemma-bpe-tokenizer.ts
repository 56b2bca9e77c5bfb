import { learnMerges } from './bpe-merges';
import { bpeTokenizerJson } from './bpe-tokenizer-json';
import { normalizeWord, templateProcessing, TinyTokenizer } from './tiny-tokenizer';

/** The word-start marker of SentencePiece-style vocabularies. */
const MARKER = '\u2581';

/**
 * A Gemma-style BPE `tokenizer.json` with byte fallback, as SigLIP2's: the
 * text (NFC, lower case) gets `▁` before it and for each space; known words
 * are one `▁word` token each; any character the vocabulary lacks falls back
 * to its UTF-8 bytes (`<0xEB>`), so Korean the model never saw still
 * encodes and decodes back unchanged.
 * Ids: `<pad>` 0, `<eos>` 1, `<bos>` 2, `<unk>` 3, the 256 byte tokens, then the pieces.
 */
export function gemmaBpeTokenizer(words: readonly string[], modelMaxLength: number): TinyTokenizer {
    const normalized = [...new Set(words.map(normalizeWord))];
    const symbols = normalized.map(word => [MARKER, ...Array.from(word)]);
    const merges = learnMerges(symbols);
    const vocab = new Map<string, number>();
    const add = (token: string) => vocab.has(token) || vocab.set(token, vocab.size);
    ['<pad>', '<eos>', '<bos>', '<unk>'].forEach(add);
    for (let byte = 0; byte < 256; byte++) {
        add(`<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`);
    }
    symbols.flat().forEach(add);
    merges.forEach(([left, right]) => add(left + right));
    const specials = ['<pad>', '<eos>', '<bos>', '<unk>'].map(token => [token, vocab.get(token)!] as const);
    return {
        json: bpeTokenizerJson({
            specials,
            normalizer: {
                type: 'Sequence',
                normalizers: [
                    { type: 'NFC' },
                    { type: 'Lowercase' },
                    { type: 'Prepend', prepend: MARKER },
                    { type: 'Replace', pattern: { String: ' ' }, content: MARKER }
                ]
            },
            preTokenizer: null,
            postProcessor: templateProcessing([['<bos>', vocab.get('<bos>')!]], []),
            decoder: {
                type: 'Sequence',
                decoders: [
                    { type: 'Replace', pattern: { String: MARKER }, content: ' ' },
                    { type: 'ByteFallback' },
                    { type: 'Fuse' },
                    { type: 'Strip', content: ' ', start: 1, stop: 0 }
                ]
            },
            vocab,
            merges,
            byteFallbackUnknown: '<unk>'
        }),
        config: {
            tokenizer_class: 'GemmaTokenizer',
            bos_token: '<bos>',
            eos_token: '<eos>',
            pad_token: '<pad>',
            unk_token: '<unk>',
            model_max_length: modelMaxLength,
            clean_up_tokenization_spaces: false
        },
        size: vocab.size,
        wordId: word => vocab.get(MARKER + normalizeWord(word)),
        specialIds: specials.map(([, id]) => id)
    };
}
