import * as fs from 'fs';
import * as path from 'path';
import { byteLevelBpeTokenizer } from './byte-level-bpe-tokenizer';
import { OnnxGraph } from './onnx-graph';
import { gaussian, orthonormalRows, seededRandom } from './seeded-vectors';
import { FILLER_WORDS, SYNONYM_GROUPS } from './synonym-words';

export interface TinySentenceModelOptions {
    /** Hidden size (default 48). */
    readonly dimensions?: number;
    /**
     * Writes `config_sentence_transformers.json` with e5's prompts
     * (`query: `, `passage: `), as a folder of an e5-style model says it wants them.
     */
    readonly e5Prompts?: boolean;
}

/** How far each word lies from its group's direction (the group's direction has length 1). */
const WORD_SPREAD = 0.3;
/** The length of a filler word's vector, and of a byte or special token's. */
const FILLER_LENGTH = 0.15;
const PIECE_LENGTH = 0.05;

/**
 * Writes a tiny sentence-embedding model folder the real
 * `@huggingface/transformers` `AutoModel` loads for feature extraction
 * (`config.json` of a BERT-type encoder, `tokenizer.json` byte-level BPE
 * that round-trips Korean, `tokenizer_config.json`, `onnx/model.onnx` with
 * inputs `input_ids`, `attention_mask` and output `last_hidden_state`).
 *
 * Each token's hidden state is its word's vector: words of one
 * {@link SYNONYM_GROUPS} group lie close together (cat, kitten, 고양이),
 * groups at right angles, filler words and word pieces short and alike, so
 * mean pooling ranks a caption about a cat first for "kitten" or "고양이".
 */
export function writeTinySentenceModel(folder: string, options: TinySentenceModelOptions = {}): void {
    const dimensions = options.dimensions ?? 48;
    const words = [...SYNONYM_GROUPS.flatMap(group => group.words), ...FILLER_WORDS];
    const tokenizer = byteLevelBpeTokenizer({ words, bos: '<s>', eos: '</s>', pad: '<pad>', tokenizerClass: 'PreTrainedTokenizerFast', modelMaxLength: 512 });
    const directions = orthonormalRows(SYNONYM_GROUPS.length + 1, dimensions, 23);
    const filler = directions[SYNONYM_GROUPS.length];
    const random = seededRandom(29);
    const table = new Float32Array(tokenizer.size * dimensions);
    const set = (id: number | undefined, vector: ArrayLike<number>) => {
        if (id === undefined) {
            throw new Error('the tokenizer does not make every known word one token');
        }
        table.set(vector, id * dimensions);
    };
    for (let id = 0; id < tokenizer.size; id++) {
        set(id, filler.map(value => value * PIECE_LENGTH));
    }
    FILLER_WORDS.forEach(word => set(tokenizer.wordId(word), filler.map(value => value * FILLER_LENGTH)));
    SYNONYM_GROUPS.forEach((group, g) => group.words.forEach(word => {
        const step = Float32Array.from({ length: dimensions }, () => gaussian(random));
        const length = Math.hypot(...step);
        set(tokenizer.wordId(word), directions[g].map((value, i) => value + WORD_SPREAD * step[i] / length));
    }));

    fs.mkdirSync(path.join(folder, 'onnx'), { recursive: true });
    const writeJson = (name: string, value: object) => fs.writeFileSync(path.join(folder, name), JSON.stringify(value, undefined, 2));
    writeJson('config.json', {
        model_type: 'bert', architectures: ['BertModel'], hidden_size: dimensions, vocab_size: tokenizer.size, max_position_embeddings: 512
    });
    writeJson('tokenizer.json', tokenizer.json);
    writeJson('tokenizer_config.json', tokenizer.config);
    if (options.e5Prompts) {
        writeJson('config_sentence_transformers.json', { prompts: { query: 'query: ', passage: 'passage: ' }, default_prompt_name: null });
    }
    fs.writeFileSync(path.join(folder, 'onnx', 'model.onnx'), sentenceEncoder(table, tokenizer.size, dimensions));
}

/** input_ids, attention_mask → last_hidden_state [batch, sequence, hidden]: each token's vector, padding zeroed. */
function sentenceEncoder(table: Float32Array, vocabSize: number, dimensions: number): Uint8Array {
    const graph = new OnnxGraph('tiny-sentence-encoder');
    const ids = graph.input('input_ids', 'int64', ['batch', 'sequence']);
    const mask = graph.input('attention_mask', 'int64', ['batch', 'sequence']);
    graph.output('last_hidden_state', 'float', ['batch', 'sequence', dimensions]);
    const embedded = graph.node('Gather', [graph.floats('word_vectors', [vocabSize, dimensions], table), ids], { axis: 0 });
    const keep = graph.node('Unsqueeze', [graph.node('Cast', [mask], { to: 1 }), graph.int64s('hidden_axis', [1], [2])]);
    graph.node('Mul', [embedded, keep], {}, 'last_hidden_state');
    return graph.encode();
}
