import * as fs from 'fs';
import * as path from 'path';
import { byteLevelBpeTokenizer } from './byte-level-bpe-tokenizer';
import { COLOUR_WORDS } from './colour-words';
import { gemmaBpeTokenizer } from './gemma-bpe-tokenizer';
import { OnnxGraph } from './onnx-graph';
import { orthonormalRows } from './seeded-vectors';
import { TinyTokenizer } from './tiny-tokenizer';

export type TinyImageTextFamily = 'clip' | 'siglip';

export interface TinyImageTextModelOptions {
    /** The side the preprocessor resizes (and CLIP crops) images to (default 32). */
    readonly imageSize?: number;
    /** Embedding dimensions (default 32 for CLIP, 48 for SigLIP). */
    readonly dimensions?: number;
}

/** Sharpness of the colour assignment: a pixel counts for the colours within about √T of it in RGB. */
const TEMPERATURE = 0.02;
/** What a token that names no colour adds to each colour (small: it must not drown the colour words). */
const FILLER = 0.02;

const CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073];
const CLIP_STD = [0.26862954, 0.26130258, 0.27577711];

/**
 * Writes a tiny CLIP- or SigLIP-style model folder that the real
 * `@huggingface/transformers` classes load (CLIPVisionModelWithProjection
 * and CLIPTextModelWithProjection, or SiglipVisionModel and SiglipTextModel):
 * `config.json`, `preprocessor_config.json`, `tokenizer.json`,
 * `tokenizer_config.json`, `onnx/vision_model.onnx`, `onnx/text_model.onnx`.
 *
 * The model means something. The vision tower (1×1 Conv → Softmax → mean →
 * MatMul) turns each pixel into its share of the nearest known colours and
 * averages them: a colour histogram. The text tower (Gather → masked mean →
 * the same MatMul) gives each colour word of {@link COLOUR_WORDS} (English
 * and Korean) that colour, so "red" and "빨강" land where red images do.
 * CLIP: byte-level BPE, outputs `image_embeds` / `text_embeds`, inputs with
 * `attention_mask`. SigLIP: Gemma-style BPE with byte fallback (as SigLIP2),
 * `pooler_output`, only `input_ids` (padded to `max_length`; the pad
 * token is masked inside the graph).
 */
export function writeTinyImageTextModel(folder: string, family: TinyImageTextFamily, options: TinyImageTextModelOptions = {}): void {
    const imageSize = options.imageSize ?? 32;
    const dimensions = options.dimensions ?? (family === 'clip' ? 32 : 48);
    const projection = orthonormalRows(COLOUR_WORDS.length, dimensions, family === 'clip' ? 7 : 11);
    const words = COLOUR_WORDS.flatMap(colour => colour.words);
    const tokenizer = family === 'clip'
        ? byteLevelBpeTokenizer({ words, bos: '<|startoftext|>', eos: '<|endoftext|>', pad: '<|endoftext|>', tokenizerClass: 'CLIPTokenizer', modelMaxLength: 77 })
        : gemmaBpeTokenizer(words, 64);
    const mean = family === 'clip' ? CLIP_MEAN : [0.5, 0.5, 0.5];
    const std = family === 'clip' ? CLIP_STD : [0.5, 0.5, 0.5];

    fs.mkdirSync(path.join(folder, 'onnx'), { recursive: true });
    const writeJson = (name: string, value: object) => fs.writeFileSync(path.join(folder, name), JSON.stringify(value, undefined, 2));
    writeJson('config.json', modelConfig(family, dimensions, imageSize, tokenizer.size));
    writeJson('preprocessor_config.json', preprocessorConfig(family, imageSize, mean, std));
    writeJson('tokenizer.json', tokenizer.json);
    writeJson('tokenizer_config.json', tokenizer.config);
    const outputName = family === 'clip' ? ['image_embeds', 'text_embeds'] : ['pooler_output', 'pooler_output'];
    fs.writeFileSync(path.join(folder, 'onnx', 'vision_model.onnx'), visionTower(projection, mean, std, outputName[0]));
    fs.writeFileSync(path.join(folder, 'onnx', 'text_model.onnx'), textTower(tokenizer, projection, family, outputName[1]));
}

function modelConfig(family: TinyImageTextFamily, dimensions: number, imageSize: number, vocabSize: number): object {
    if (family === 'clip') {
        return {
            model_type: 'clip',
            architectures: ['CLIPModel'],
            projection_dim: dimensions,
            text_config: { model_type: 'clip_text_model', vocab_size: vocabSize, max_position_embeddings: 77, hidden_size: COLOUR_WORDS.length },
            vision_config: { model_type: 'clip_vision_model', image_size: imageSize, patch_size: 1, hidden_size: COLOUR_WORDS.length }
        };
    }
    return {
        model_type: 'siglip',
        architectures: ['SiglipModel'],
        text_config: { model_type: 'siglip_text_model', vocab_size: vocabSize, max_position_embeddings: 64, hidden_size: dimensions },
        vision_config: { model_type: 'siglip_vision_model', image_size: imageSize, patch_size: 1, hidden_size: dimensions }
    };
}

function preprocessorConfig(family: TinyImageTextFamily, imageSize: number, mean: number[], std: number[]): object {
    const common = { do_resize: true, do_rescale: true, rescale_factor: 1 / 255, do_normalize: true, image_mean: mean, image_std: std, do_convert_rgb: true };
    return family === 'clip'
        ? {
            ...common, image_processor_type: 'CLIPImageProcessor', feature_extractor_type: 'CLIPFeatureExtractor',
            size: { shortest_edge: imageSize }, resample: 3, do_center_crop: true, crop_size: { height: imageSize, width: imageSize }
        }
        : { ...common, image_processor_type: 'SiglipImageProcessor', size: { height: imageSize, width: imageSize }, resample: 2 };
}

/**
 * pixel_values [batch, 3, h, w] → a colour histogram [batch, colours] → the projection.
 * A pixel's logit for colour c is −|p − c|²/T up to a term equal for all
 * colours (2p·c − |c|²)/T, with p = normalized·std + mean undone in the weights.
 */
function visionTower(projection: Float32Array[], mean: number[], std: number[], output: string): Uint8Array {
    const graph = new OnnxGraph('tiny-vision-tower');
    const colours = COLOUR_WORDS.length;
    const pixels = graph.input('pixel_values', 'float', ['batch', 3, 'height', 'width']);
    graph.output(output, 'float', ['batch', projection[0].length]);
    const weights = COLOUR_WORDS.flatMap(({ rgb }) => rgb.map((channel, i) => 2 * channel * std[i] / TEMPERATURE));
    const bias = COLOUR_WORDS.map(({ rgb }) => rgb.reduce((sum, channel, i) => sum + 2 * channel * mean[i] - channel * channel, 0) / TEMPERATURE);
    const logits = graph.node('Conv', [pixels, graph.floats('colour_weights', [colours, 3, 1, 1], weights), graph.floats('colour_bias', [colours], bias)]);
    const shares = graph.node('Softmax', [logits], { axis: 1 });
    const histogram = graph.node('ReduceMean', [shares], { axes: [2, 3], keepdims: 0 });
    graph.node('MatMul', [histogram, projectionWeights(graph, projection)], {}, output);
    return graph.encode();
}

/** input_ids (and attention_mask for CLIP) → the mean of the tokens' colours → the projection. */
function textTower(tokenizer: TinyTokenizer, projection: Float32Array[], family: TinyImageTextFamily, output: string): Uint8Array {
    const graph = new OnnxGraph('tiny-text-tower');
    const colours = COLOUR_WORDS.length;
    const ids = graph.input('input_ids', 'int64', ['batch', 'sequence']);
    graph.output(output, 'float', ['batch', projection[0].length]);
    const table = new Float32Array(tokenizer.size * colours).fill(FILLER);
    COLOUR_WORDS.forEach((colour, c) => colour.words.forEach(word => {
        const id = tokenizer.wordId(word);
        if (id === undefined) {
            throw new Error(`the tokenizer does not make "${word}" one token`);
        }
        table.fill(0, id * colours, (id + 1) * colours);
        table[id * colours + c] = 1;
    }));
    const embedded = graph.node('Gather', [graph.floats('token_colours', [tokenizer.size, colours], table), ids], { axis: 0 });
    const mask = family === 'clip'
        ? graph.node('Cast', [graph.input('attention_mask', 'int64', ['batch', 'sequence'])], { to: 1 })
        : graph.node('Cast', [graph.node('Not', [graph.node('Equal', [ids, graph.int64s('pad_id', [], [0])])])], { to: 1 });
    const masked = graph.node('Mul', [embedded, graph.node('Unsqueeze', [mask, graph.int64s('last_axis', [1], [2])])]);
    const sum = graph.node('ReduceSum', [masked, graph.int64s('sequence_axis', [1], [1])], { keepdims: 0 });
    const count = graph.node('Max', [graph.node('ReduceSum', [mask, graph.int64s('mask_axis', [1], [1])], { keepdims: 1 }), graph.floats('one', [], [1])]);
    graph.node('MatMul', [graph.node('Div', [sum, count]), projectionWeights(graph, projection)], {}, output);
    return graph.encode();
}

function projectionWeights(graph: OnnxGraph, projection: Float32Array[]): string {
    return graph.floats('projection', [projection.length, projection[0].length], projection.flatMap(row => Array.from(row)));
}
