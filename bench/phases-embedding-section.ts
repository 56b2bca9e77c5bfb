/**
 * The embedding section of `npm run bench:phases`: items per second through
 * our transformers providers (the image embedder's `embedImages` and
 * `embedTexts` on a tiny CLIP and a tiny SigLIP model, the text embedder's
 * `embed` on a tiny sentence model) against calling onnxruntime-node's
 * `InferenceSession` directly on the same model files and the same images
 * and texts in the same run, printed as a ratio (target: ours ≥ 0.9x).
 *
 * The bare side does the least a hand-written caller must: the image
 * preprocessing the model's `preprocessor_config.json` asks for (one sharp
 * resize, then crop, rescale and normalize in one loop straight into the
 * batch tensor), tokenizing with `@huggingface/tokenizers` on the model's
 * `tokenizer.json`, padding, the session run, pooling and normalizing. Both
 * sides get the images at the size the visual phase asks the image source
 * for (the model's `imageSize`), run the same batches taking turns batch
 * by batch for `--rounds` rounds, each batch counted at its best time (a
 * busy machine only adds time), and must answer the same vectors (their
 * largest difference is printed).
 *
 * Alone: `bash bench/run.sh phases-embedding-section [--images <n>] [--texts <n>] [--batch <n>] [--rounds <n>] [--data <folder>]`.
 */
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import * as ort from 'onnxruntime-node';
import { Tokenizer } from '@huggingface/tokenizers';
import type { AiImage } from '@imageparser/archive-core/lib/node/inference/ai-image';
import { TransformersImageEmbedderProvider } from '@imageparser/archive-core/lib/node/inference/transformers/transformers-image-embedder-provider';
import { TransformersTextEmbedderProvider } from '@imageparser/archive-core/lib/node/inference/transformers/transformers-text-embedder-provider';
import { COLOUR_WORDS } from '../extensions/archive-core/src/node/test/tiny-models/colour-words';
import { SYNONYM_GROUPS } from '../extensions/archive-core/src/node/test/tiny-models/synonym-words';
import { TinyImageTextFamily, writeTinyImageTextModel } from '../extensions/archive-core/src/node/test/tiny-models/tiny-image-text-model';
import { writeTinySentenceModel } from '../extensions/archive-core/src/node/test/tiny-models/tiny-sentence-model';
import type { BenchMeasure, PhasesBenchRow } from './phases/bench-section';

export interface EmbeddingBenchOptions {
    /** Images each side embeds per round (default 512). */
    readonly images: number;
    /** Texts each side embeds per round (default 4096). */
    readonly texts: number;
    /** Items per call, as the model manager hands them (default 32). */
    readonly batch: number;
    /** Timed rounds, taking turns batch by batch (default 5, after one warm-up round each). */
    readonly rounds: number;
    /** Where the tiny models are written. */
    readonly data: string;
    readonly log: (line: string) => void;
}

type Json = Record<string, unknown>;
type Vectors = Float32Array[];

export async function runEmbeddingBenchSection(partial: Partial<EmbeddingBenchOptions> = {}): Promise<PhasesBenchRow[]> {
    const options: EmbeddingBenchOptions = {
        images: 512, texts: 4096, batch: 32, rounds: 5, data: path.resolve('.bench-data'), log: line => console.log(line), ...partial
    };
    const folder = (name: string) => path.join(options.data, 'embedding-models', name);
    const texts = benchTexts(options.texts);
    const rows: PhasesBenchRow[] = [];
    for (const family of ['clip', 'siglip'] as TinyImageTextFamily[]) {
        fs.rmSync(folder(family), { recursive: true, force: true });
        writeTinyImageTextModel(folder(family), family);
        const embedder = await new TransformersImageEmbedderProvider().load(folder(family));
        const bare = await BareImageText.load(folder(family), family);
        try {
            const images = benchImages(options.images, embedder.imageSize);
            options.log(`bench: embedding: ${family} images (${images.length}) and texts (${texts.length})`);
            rows.push(await compare(`image embedder, tiny ${family}: embedImages`, 'images', options, images,
                batch => embedder.embedImages(batch), batch => bare.embedImages(batch)));
            rows.push(await compare(`image embedder, tiny ${family}: embedTexts`, 'texts', options, texts,
                batch => embedder.embedTexts(batch), batch => bare.embedTexts(batch)));
        } finally {
            await embedder.dispose();
            await bare.dispose();
        }
    }
    fs.rmSync(folder('sentence'), { recursive: true, force: true });
    writeTinySentenceModel(folder('sentence'));
    const embedder = await new TransformersTextEmbedderProvider().load(folder('sentence'));
    const bare = await BareSentence.load(folder('sentence'));
    try {
        options.log(`bench: embedding: sentence texts (${texts.length})`);
        rows.push(await compare('text embedder, tiny sentence model: embed', 'texts', options, texts,
            batch => embedder.embed(batch, 'document'), batch => bare.embed(batch)));
    } finally {
        await embedder.dispose();
        await bare.dispose();
    }
    return rows;
}

/** Runs both sides over the same items in the same batches, taking turns, and checks they answer the same vectors. */
async function compare<I>(name: string, unit: string, options: EmbeddingBenchOptions, items: readonly I[],
    ours: (batch: I[]) => Promise<Vectors>, bare: (batch: I[]) => Promise<Vectors>): Promise<PhasesBenchRow> {
    const batches: I[][] = [];
    for (let i = 0; i < items.length; i += options.batch) {
        batches.push(items.slice(i, i + options.batch));
    }
    const all = async (side: (batch: I[]) => Promise<Vectors>) => {
        const vectors: Vectors = [];
        for (const batch of batches) {
            vectors.push(...await side(batch));
        }
        return vectors;
    };
    const difference = largestDifference(await all(ours), await all(bare));
    const time = async (side: (batch: I[]) => Promise<Vectors>, batch: I[]) => {
        const start = process.hrtime.bigint();
        await side(batch);
        return Number(process.hrtime.bigint() - start) / 1e9;
    };
    // Batch by batch, taking turns (and turning who goes first), so a busy machine slows both sides alike;
    // each batch counts with its best time of the rounds, as a busy machine only ever adds time.
    const oursBest = batches.map(() => Infinity);
    const bareBest = batches.map(() => Infinity);
    for (let round = 0; round < options.rounds; round++) {
        for (const [i, batch] of batches.entries()) {
            const first = (i + round) % 2 === 0;
            const [a, b] = first ? [ours, bare] : [bare, ours];
            const timeA = await time(a, batch);
            const timeB = await time(b, batch);
            oursBest[i] = Math.min(oursBest[i], first ? timeA : timeB);
            bareBest[i] = Math.min(bareBest[i], first ? timeB : timeA);
        }
    }
    const measure = (label: string, seconds: number[]): BenchMeasure => ({ name: label, count: items.length, seconds: seconds.reduce((sum, each) => sum + each, 0) });
    return {
        name,
        unit,
        ours: measure('provider', oursBest),
        baseline: measure('bare ORT', bareBest),
        target: 0.9,
        notes: [`batches of ${options.batch}, each at its best of ${options.rounds} rounds; largest difference between the two sides' vectors ${difference.toExponential(1)}`]
    };
}

/** The image tower and text tower of a CLIP or SigLIP folder called straight through onnxruntime-node. */
export class BareImageText {

    static async load(folder: string, family: TinyImageTextFamily): Promise<BareImageText> {
        const read = (file: string) => JSON.parse(fs.readFileSync(path.join(folder, file), 'utf8')) as Json;
        const [vision, text] = await Promise.all(['vision_model', 'text_model'].map(name => ort.InferenceSession.create(path.join(folder, 'onnx', `${name}.onnx`))));
        const tokenizerConfig = read('tokenizer_config.json');
        return new BareImageText(vision, text, new Tokenizer(read('tokenizer.json'), tokenizerConfig), tokenizerConfig,
            read('preprocessor_config.json'), family);
    }

    protected constructor(
        protected readonly vision: ort.InferenceSession,
        protected readonly text: ort.InferenceSession,
        protected readonly tokenizer: Tokenizer,
        protected readonly tokenizerConfig: Json,
        protected readonly preprocessor: Json,
        protected readonly family: TinyImageTextFamily
    ) { }

    async embedImages(images: AiImage[]): Promise<Vectors> {
        const pixels = await preprocess(images, this.preprocessor);
        const outputs = await this.vision.run({ pixel_values: pixels });
        return rows(outputs[this.family === 'clip' ? 'image_embeds' : 'pooler_output']);
    }

    async embedTexts(texts: string[]): Promise<Vectors> {
        const maxLength = Number(this.tokenizerConfig.model_max_length);
        const feeds = tokenize(this.tokenizer, this.tokenizerConfig, texts, maxLength, this.family === 'siglip');
        const outputs = await this.text.run(pickFeeds(this.text, feeds));
        return rows(outputs[this.family === 'clip' ? 'text_embeds' : 'pooler_output']);
    }

    async dispose(): Promise<void> {
        await Promise.all([this.vision.release(), this.text.release()]);
    }
}

/** A sentence model's `onnx/model.onnx` called straight through onnxruntime-node, mean-pooled. */
export class BareSentence {

    static async load(folder: string): Promise<BareSentence> {
        const read = (file: string) => JSON.parse(fs.readFileSync(path.join(folder, file), 'utf8')) as Json;
        const config = read('tokenizer_config.json');
        return new BareSentence(await ort.InferenceSession.create(path.join(folder, 'onnx', 'model.onnx')), new Tokenizer(read('tokenizer.json'), config), config);
    }

    protected constructor(protected readonly session: ort.InferenceSession, protected readonly tokenizer: Tokenizer, protected readonly config: Json) { }

    async embed(texts: string[]): Promise<Vectors> {
        const feeds = tokenize(this.tokenizer, this.config, texts, Number(this.config.model_max_length), false);
        const { last_hidden_state: hidden } = await this.session.run(pickFeeds(this.session, feeds));
        const [batch, sequence, size] = hidden.dims as number[];
        const data = hidden.data as Float32Array;
        const mask = feeds.attention_mask.data as BigInt64Array;
        return Array.from({ length: batch }, (_, row) => {
            const sum = new Float32Array(size);
            for (let t = 0; t < sequence; t++) {
                if (mask[row * sequence + t]) {
                    const offset = (row * sequence + t) * size;
                    for (let i = 0; i < size; i++) {
                        sum[i] += data[offset + i];
                    }
                }
            }
            return normalize(sum);
        });
    }

    async dispose(): Promise<void> {
        await this.session.release();
    }
}

/** Token ids and attention mask, padded to the longest text (or to `maxLength` for SigLIP), truncated at `maxLength`. */
function tokenize(tokenizer: Tokenizer, config: Json, texts: string[], maxLength: number, padToMax: boolean): Record<string, ort.Tensor> {
    const padId = tokenizer.token_to_id(String(config.pad_token)) ?? 0;
    const encoded = texts.map(text => tokenizer.encode(text).ids.slice(0, maxLength));
    const length = padToMax ? maxLength : Math.max(...encoded.map(ids => ids.length));
    const ids = new BigInt64Array(texts.length * length).fill(BigInt(padId));
    const mask = new BigInt64Array(texts.length * length);
    encoded.forEach((row, r) => row.forEach((id, t) => {
        ids[r * length + t] = BigInt(id);
        mask[r * length + t] = 1n;
    }));
    return {
        input_ids: new ort.Tensor('int64', ids, [texts.length, length]),
        attention_mask: new ort.Tensor('int64', mask, [texts.length, length])
    };
}

function pickFeeds(session: ort.InferenceSession, feeds: Record<string, ort.Tensor>): Record<string, ort.Tensor> {
    return Object.fromEntries(session.inputNames.map(name => [name, feeds[name]]));
}

/**
 * `pixel_values` [batch, 3, h, w] as the preprocessor config asks: resize
 * (shortest edge, or height and width) with sharp's affine transform and the
 * config's interpolation, as transformers.js does; then center crop,
 * rescale and normalize in one pass, channels first.
 */
async function preprocess(images: AiImage[], config: Json): Promise<ort.Tensor> {
    const size = config.size as Json;
    const crop = config.do_center_crop ? config.crop_size as Json : undefined;
    const mean = config.image_mean as number[];
    const std = config.image_std as number[];
    const scale = Number(config.rescale_factor);
    const interpolator = config.resample === 3 ? 'bicubic' : 'bilinear';
    const resized = await Promise.all(images.map(({ rgb }) => {
        let width: number;
        let height: number;
        if (typeof size.shortest_edge === 'number') {
            const factor = Math.max(size.shortest_edge / rgb.width, size.shortest_edge / rgb.height);
            width = Math.floor(Number((rgb.width * factor).toFixed(2)));
            height = Math.floor(Number((rgb.height * factor).toFixed(2)));
        } else {
            width = Number(size.width);
            height = Number(size.height);
        }
        const image = sharp(rgb.data, { raw: { width: rgb.width, height: rgb.height, channels: 3 } });
        return (width === rgb.width && height === rgb.height ? image : image.affine([width / rgb.width, 0, 0, height / rgb.height], { interpolator }))
            .raw().toBuffer({ resolveWithObject: true });
    }));
    const outWidth = crop ? Number(crop.width) : resized[0].info.width;
    const outHeight = crop ? Number(crop.height) : resized[0].info.height;
    const plane = outWidth * outHeight;
    const pixels = new Float32Array(images.length * 3 * plane);
    resized.forEach(({ data, info }, b) => {
        const left = Math.floor((info.width - outWidth) / 2);
        const top = Math.floor((info.height - outHeight) / 2);
        for (let y = 0; y < outHeight; y++) {
            for (let x = 0; x < outWidth; x++) {
                const source = ((top + y) * info.width + left + x) * info.channels;
                const target = b * 3 * plane + y * outWidth + x;
                for (let c = 0; c < 3; c++) {
                    pixels[target + c * plane] = (data[source + c] * scale - mean[c]) / std[c];
                }
            }
        }
    });
    return new ort.Tensor('float32', pixels, [images.length, 3, outHeight, outWidth]);
}

function rows(tensor: ort.Tensor): Vectors {
    const [count, size] = tensor.dims as number[];
    const data = tensor.data as Float32Array;
    return Array.from({ length: count }, (_, row) => normalize(data.slice(row * size, (row + 1) * size)));
}

function normalize(vector: Float32Array): Float32Array {
    let sum = 0;
    for (let i = 0; i < vector.length; i++) {
        sum += vector[i] * vector[i];
    }
    const scale = sum > 0 ? 1 / Math.sqrt(sum) : 0;
    for (let i = 0; i < vector.length; i++) {
        vector[i] *= scale;
    }
    return vector;
}

/**
 * `count` images as the visual phase gets them (the preview scaled to the
 * model's image size): 4:3 pictures of two to four colour blocks, each different.
 */
function benchImages(count: number, imageSize: number): AiImage[] {
    const width = imageSize;
    const height = Math.round(imageSize * 3 / 4);
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    return Array.from({ length: count }, (_, i) => {
        const data = new Uint8Array(width * height * 3);
        const blocks = 2 + (i % 3);
        const colours = Array.from({ length: blocks }, () => [random(), random(), random()].map(value => Math.round(value * 255)));
        for (let y = 0; y < height; y++) {
            for (let x = 0; x < width; x++) {
                const colour = colours[Math.min(blocks - 1, Math.floor((x + y) / (width + height) * blocks))];
                data.set(colour, (y * width + x) * 3);
            }
        }
        return { assetId: i + 1, jpeg: Buffer.alloc(0), rgb: { data, width, height } };
    });
}

/** Captions of a few words each, English and Korean, built from the tiny models' vocabularies and other words. */
function benchTexts(count: number): string[] {
    const colours = COLOUR_WORDS.flatMap(colour => colour.words);
    const things = SYNONYM_GROUPS.flatMap(group => group.words);
    const english = (i: number) => `a ${colours[i % colours.length]} ${things[(i * 7) % things.length]} near the window at night`;
    const korean = (i: number) => `${colours[(i * 3) % colours.length]} ${things[(i * 5) % things.length]}이 창가에 있는 사진`;
    return Array.from({ length: count }, (_, i) => i % 2 === 0 ? english(i) : korean(i));
}

function largestDifference(a: Vectors, b: Vectors): number {
    let largest = 0;
    a.forEach((vector, i) => vector.forEach((value, j) => { largest = Math.max(largest, Math.abs(value - b[i][j])); }));
    return largest;
}

function parseOptions(args: readonly string[]): Partial<EmbeddingBenchOptions> {
    const options: { -readonly [K in keyof EmbeddingBenchOptions]?: EmbeddingBenchOptions[K] } = {};
    for (let i = 0; i < args.length; i += 2) {
        switch (args[i]) {
            case '--images': options.images = Number(args[i + 1]); break;
            case '--texts': options.texts = Number(args[i + 1]); break;
            case '--batch': options.batch = Number(args[i + 1]); break;
            case '--rounds': options.rounds = Number(args[i + 1]); break;
            case '--data': options.data = path.resolve(args[i + 1]); break;
            default: throw new Error(`phases-embedding-section: unknown option ${args[i]}`);
        }
    }
    return options;
}

if (require.main === module) {
    runEmbeddingBenchSection(parseOptions(process.argv.slice(2))).then(rows => {
        for (const row of rows) {
            const ours = row.ours.count / row.ours.seconds;
            const bare = row.baseline.count / row.baseline.seconds;
            console.log(`${row.name.padEnd(48)} provider ${ours.toFixed(0).padStart(7)} ${row.unit}/s | bare ORT ${bare.toFixed(0).padStart(7)} ${row.unit}/s | `
                + `${(ours / bare).toFixed(2)}x (target >= ${row.target}x ${ours / bare >= row.target! ? 'met' : 'NOT met'})`);
            row.notes?.forEach(note => console.log(`${''.padEnd(48)} ${note}`));
        }
        process.exit(0);
    }, error => {
        console.error(error instanceof Error ? error.stack : error);
        process.exit(1);
    });
}
