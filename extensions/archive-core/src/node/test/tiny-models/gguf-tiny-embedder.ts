import * as fs from 'fs';
import * as path from 'path';
import { GgufTensor, GgufValue, writeGguf } from './gguf-writer';

/**
 * The concepts the tiny GGUF embedder knows, each with its words in English
 * and Korean: words of one concept land close together, words of different
 * concepts are orthogonal.
 */
export const TINY_GGUF_CONCEPTS: Readonly<Record<string, readonly string[]>> = {
    cat: ['cat', 'cats', 'kitten', 'kittens', 'kitty', '고양이', '새끼고양이', '냥이'],
    dog: ['dog', 'dogs', 'puppy', 'puppies', 'hound', '강아지', '개', '멍멍이'],
    car: ['car', 'cars', 'automobile', 'automobiles', 'vehicle', 'vehicles', '자동차', '차', '승용차'],
    sea: ['sea', 'seas', 'ocean', 'oceans', 'waves', '바다', '대양', '파도'],
    tree: ['tree', 'trees', 'forest', 'woods', '나무', '숲'],
    house: ['house', 'houses', 'home', 'building', '집', '주택', '건물'],
    person: ['person', 'people', 'man', 'woman', 'child', '사람', '남자', '여자', '아이'],
    sky: ['sky', 'cloud', 'clouds', '하늘', '구름'],
    flower: ['flower', 'flowers', 'blossom', '꽃'],
    mountain: ['mountain', 'mountains', 'hill', '산', '언덕'],
    food: ['food', 'meal', 'dish', '음식', '요리'],
    sofa: ['sofa', 'couch', '소파'],
    red: ['red', 'crimson', '빨강', '빨간', '빨간색'],
    blue: ['blue', 'azure', '파랑', '파란', '파란색'],
    night: ['night', 'dark', '밤', '야경'],
    sleep: ['sleep', 'sleeping', 'asleep', 'nap', '잠', '자는', '낮잠']
};

/** Embedding width: one axis per concept, the rest give each word a small part of its own. */
const EMBEDDING_LENGTH = 32;
const FEED_FORWARD_LENGTH = 32;
const HEAD_COUNT = 2;
const CONTEXT_LENGTH = 512;
/** How far a word strays from its concept's axis (cosine between two synonyms ≈ 1 / (1 + WORD_SPREAD²)). */
const WORD_SPREAD = 0.3;
/** SentencePiece's word-start marker: llama.cpp writes it for each space and before the text. */
const WORD_START = '\u2581';
const enum TokenType { NORMAL = 1, UNKNOWN = 2, CONTROL = 3, BYTE = 6 }
/** llama.cpp's LLAMA_POOLING_TYPE_MEAN. */
const POOLING_MEAN = 1;

/**
 * Writes a tiny text-embedding model as a GGUF file that real llama.cpp
 * (through node-llama-cpp) loads and embeds with, and that is meaningful:
 * "kitten", "고양이" and "a cat on a sofa" land close, "car" lands far away.
 *
 * How: a llama-architecture transformer with one layer whose attention and
 * feed-forward weights are zero, so each token's hidden state is its
 * embedding, RMS-normed by the final norm and mean-pooled
 * (`llama.pooling_type` = mean). A
 * SentencePiece ("llama") vocabulary holds every known word as one token
 * (with the prefixes SentencePiece merges through), a word plus one more
 * letter as a token of its own (so "cathedral" is not read as "cat"), and
 * byte fallback. Known words carry their concept's axis plus a little of
 * their own; everything else (unknown words, particles, bytes, control
 * tokens) embeds as zero and so adds nothing to the mean.
 */
export function writeTinyEmbedderGguf(filePath: string, name = 'tiny-concepts-embedder'): void {
    fs.mkdirSync(path.dirname(filePath), { recursive: true });
    fs.writeFileSync(filePath, buildTinyEmbedderGguf(name));
}

/** The GGUF bytes {@link writeTinyEmbedderGguf} writes. */
export function buildTinyEmbedderGguf(name = 'tiny-concepts-embedder'): Buffer {
    const vocabulary = buildVocabulary();
    const architecture = 'llama';
    const headLength = EMBEDDING_LENGTH / HEAD_COUNT;
    const metadata = new Map<string, GgufValue>([
        ['general.architecture', { type: 'string', value: architecture }],
        ['general.name', { type: 'string', value: name }],
        [`${architecture}.context_length`, { type: 'u32', value: CONTEXT_LENGTH }],
        [`${architecture}.embedding_length`, { type: 'u32', value: EMBEDDING_LENGTH }],
        [`${architecture}.block_count`, { type: 'u32', value: 1 }],
        [`${architecture}.feed_forward_length`, { type: 'u32', value: FEED_FORWARD_LENGTH }],
        [`${architecture}.attention.head_count`, { type: 'u32', value: HEAD_COUNT }],
        [`${architecture}.attention.head_count_kv`, { type: 'u32', value: HEAD_COUNT }],
        [`${architecture}.attention.key_length`, { type: 'u32', value: headLength }],
        [`${architecture}.attention.value_length`, { type: 'u32', value: headLength }],
        [`${architecture}.attention.layer_norm_rms_epsilon`, { type: 'f32', value: 1e-6 }],
        [`${architecture}.rope.freq_base`, { type: 'f32', value: 10000 }],
        [`${architecture}.pooling_type`, { type: 'u32', value: POOLING_MEAN }],
        ['tokenizer.ggml.model', { type: 'string', value: 'llama' }],
        ['tokenizer.ggml.tokens', { type: 'string[]', value: vocabulary.tokens }],
        ['tokenizer.ggml.scores', { type: 'f32[]', value: vocabulary.scores }],
        ['tokenizer.ggml.token_type', { type: 'i32[]', value: vocabulary.types }],
        ['tokenizer.ggml.unknown_token_id', { type: 'u32', value: 0 }],
        ['tokenizer.ggml.bos_token_id', { type: 'u32', value: 1 }],
        ['tokenizer.ggml.eos_token_id', { type: 'u32', value: 2 }],
        ['tokenizer.ggml.add_bos_token', { type: 'bool', value: true }],
        ['tokenizer.ggml.add_eos_token', { type: 'bool', value: false }]
    ]);
    const zeros = (...dims: number[]): GgufTensor['data'] => new Float32Array(dims.reduce((a, b) => a * b, 1));
    const ones = (length: number): GgufTensor['data'] => new Float32Array(length).fill(1);
    const tensors: GgufTensor[] = [
        { name: 'token_embd.weight', dims: [EMBEDDING_LENGTH, vocabulary.tokens.length], data: vocabulary.embeddings },
        { name: 'output_norm.weight', dims: [EMBEDDING_LENGTH], data: ones(EMBEDDING_LENGTH) },
        { name: 'blk.0.attn_norm.weight', dims: [EMBEDDING_LENGTH], data: ones(EMBEDDING_LENGTH) },
        { name: 'blk.0.attn_q.weight', dims: [EMBEDDING_LENGTH, EMBEDDING_LENGTH], data: zeros(EMBEDDING_LENGTH, EMBEDDING_LENGTH) },
        { name: 'blk.0.attn_k.weight', dims: [EMBEDDING_LENGTH, EMBEDDING_LENGTH], data: zeros(EMBEDDING_LENGTH, EMBEDDING_LENGTH) },
        { name: 'blk.0.attn_v.weight', dims: [EMBEDDING_LENGTH, EMBEDDING_LENGTH], data: zeros(EMBEDDING_LENGTH, EMBEDDING_LENGTH) },
        { name: 'blk.0.attn_output.weight', dims: [EMBEDDING_LENGTH, EMBEDDING_LENGTH], data: zeros(EMBEDDING_LENGTH, EMBEDDING_LENGTH) },
        { name: 'blk.0.ffn_norm.weight', dims: [EMBEDDING_LENGTH], data: ones(EMBEDDING_LENGTH) },
        { name: 'blk.0.ffn_gate.weight', dims: [EMBEDDING_LENGTH, FEED_FORWARD_LENGTH], data: zeros(EMBEDDING_LENGTH, FEED_FORWARD_LENGTH) },
        { name: 'blk.0.ffn_up.weight', dims: [EMBEDDING_LENGTH, FEED_FORWARD_LENGTH], data: zeros(EMBEDDING_LENGTH, FEED_FORWARD_LENGTH) },
        { name: 'blk.0.ffn_down.weight', dims: [FEED_FORWARD_LENGTH, EMBEDDING_LENGTH], data: zeros(FEED_FORWARD_LENGTH, EMBEDDING_LENGTH) }
    ];
    return writeGguf(metadata, tensors);
}

interface Vocabulary {
    readonly tokens: string[];
    readonly scores: number[];
    readonly types: number[];
    /** `tokens.length` rows of {@link EMBEDDING_LENGTH} values. */
    readonly embeddings: Float32Array;
}

function buildVocabulary(): Vocabulary {
    const tokens = ['<unk>', '<s>', '</s>'];
    const types: number[] = [TokenType.UNKNOWN, TokenType.CONTROL, TokenType.CONTROL];
    const vectors = new Map<string, Float32Array>();
    for (let byte = 0; byte < 256; byte++) {
        tokens.push(`<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`);
        types.push(TokenType.BYTE);
    }
    const pieces = new Set<string>([WORD_START]);
    const concepts = Object.values(TINY_GGUF_CONCEPTS);
    concepts.forEach((words, axis) => {
        for (const word of words.flatMap(spellings)) {
            const piece = WORD_START + word;
            vectors.set(piece, wordVector(axis, concepts.length, piece));
            const characters = Array.from(piece);
            for (let end = 2; end <= characters.length; end++) {
                pieces.add(characters.slice(0, end).join(''));
            }
        }
    });
    for (const piece of vectors.keys()) {
        if (/[A-Za-z]$/.test(piece)) {
            for (const letter of 'abcdefghijklmnopqrstuvwxyz') {
                pieces.add(piece + letter);
            }
        }
    }
    for (const piece of pieces) {
        tokens.push(piece);
        types.push(TokenType.NORMAL);
    }
    // SentencePiece merges the pair whose result scores highest: longer pieces first.
    const scores = tokens.map((token, id) => types[id] === TokenType.NORMAL ? Array.from(token).length : 0);
    const embeddings = new Float32Array(tokens.length * EMBEDDING_LENGTH);
    tokens.forEach((token, id) => {
        const vector = vectors.get(token);
        if (vector) {
            embeddings.set(vector, id * EMBEDDING_LENGTH);
        }
    });
    return { tokens, scores, types, embeddings };
}

/** The spellings a word appears in within a sentence: as written, and capitalized when it has case. */
function spellings(word: string): string[] {
    const capitalized = word.charAt(0).toUpperCase() + word.slice(1);
    return capitalized === word ? [word] : [word, capitalized];
}

/** The concept's axis plus a little of a direction of the word's own (the same for both of its spellings). */
function wordVector(axis: number, conceptCount: number, piece: string): Float32Array {
    const vector = new Float32Array(EMBEDDING_LENGTH);
    vector[axis] = 1;
    const ownAxes = EMBEDDING_LENGTH - conceptCount;
    let seed = hash(piece.toLowerCase());
    for (let i = 0; i < ownAxes; i++) {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        vector[conceptCount + i] = ((seed / 0xffffffff) * 2 - 1) * WORD_SPREAD / Math.sqrt(ownAxes / 3);
    }
    return vector;
}

function hash(text: string): number {
    let value = 2166136261;
    for (const unit of Buffer.from(text, 'utf8')) {
        value = Math.imul(value ^ unit, 16777619) >>> 0;
    }
    return value;
}
