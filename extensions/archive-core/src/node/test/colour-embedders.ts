import * as fs from 'fs';
import * as path from 'path';
import type { ProviderHealth } from '../../common/job-protocol';
import type { AiImage } from '../inference/ai-image';
import type { ImageEmbedder, ImageEmbedderProvider, ModelFolderInfo } from '../inference/image-embedder';
import type { TextEmbedder, TextEmbedderProvider } from '../inference/text-embedder';

/**
 * Model test doubles in plain JavaScript, for specs of the phases and axes
 * around the models (the store, queue and search stay real): an image model
 * whose image tower is a colour histogram and whose text tower maps colour
 * words (English and Korean) into the same space, and a text embedder that
 * puts synonyms in one direction. Each reads a `model.json` in its folder
 * (`{ "name": "a" }`), so a test switches models by switching folders, and
 * counts what it embeds, so a test sees what was (not) computed again.
 */

/** The colours the image double tells apart, in vector order (a last, constant slot keeps every vector non-zero). */
export const TEST_COLOURS = ['red', 'yellow', 'green', 'blue', 'purple', 'white', 'black', 'grey'] as const;
export type TestColour = typeof TEST_COLOURS[number];

const COLOUR_WORDS: Record<TestColour, readonly string[]> = {
    red: ['red', '빨강', '빨간', '빨간색', '빨강색', '붉은'],
    yellow: ['yellow', '노랑', '노란', '노란색'],
    green: ['green', '초록', '초록색', '녹색'],
    blue: ['blue', '파랑', '파란', '파란색'],
    purple: ['purple', '보라', '보라색'],
    white: ['white', '하양', '흰', '흰색'],
    black: ['black', '검정', '검은', '검은색'],
    grey: ['grey', 'gray', '회색']
};

const BIAS = 0.05;

/** The colour class of one sRGB pixel. */
export function colourOf(r: number, g: number, b: number): TestColour {
    const max = Math.max(r, g, b);
    const min = Math.min(r, g, b);
    if (max - min < 40) {
        return max > 200 ? 'white' : max < 60 ? 'black' : 'grey';
    }
    const delta = max - min;
    let hue = max === r ? ((g - b) / delta) % 6 : max === g ? (b - r) / delta + 2 : (r - g) / delta + 4;
    hue = (hue * 60 + 360) % 360;
    return hue < 20 || hue >= 330 ? 'red' : hue < 70 ? 'yellow' : hue < 170 ? 'green' : hue < 260 ? 'blue' : 'purple';
}

/** The colour most of an image's pixels have. */
export function dominantColour(image: AiImage): TestColour {
    const counts = histogram(image);
    return TEST_COLOURS[counts.indexOf(Math.max(...counts))];
}

function histogram({ rgb }: AiImage): number[] {
    const counts = new Array<number>(TEST_COLOURS.length).fill(0);
    for (let i = 0; i + 2 < rgb.data.length; i += 3) {
        counts[TEST_COLOURS.indexOf(colourOf(rgb.data[i], rgb.data[i + 1], rgb.data[i + 2]))]++;
    }
    return counts;
}

function unit(values: readonly number[]): Float32Array {
    const norm = Math.sqrt(values.reduce((sum, value) => sum + value * value, 0)) || 1;
    return Float32Array.from(values, value => value / norm);
}

function words(text: string): string[] {
    return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(word => word);
}

/** Whether a word is this vocabulary word, or starts with it when Korean (a particle follows: 고양이가). */
function matches(word: string, vocabulary: string): boolean {
    return word === vocabulary || (/^\p{Script=Hangul}/u.test(vocabulary) && word.startsWith(vocabulary));
}

/** Reads `model.json` of a test model folder; throws with the path when it is missing. */
function readModelName(modelPath: string): string {
    const file = path.join(modelPath, 'model.json');
    const name = (JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: unknown }).name;
    if (typeof name !== 'string' || !name) {
        throw new Error(`${file} names no model`);
    }
    return name;
}

function folderHealth(modelPath: string): ProviderHealth {
    if (!fs.existsSync(modelPath)) {
        return { state: 'invalid', code: 'folder-missing', message: `The model folder ${modelPath} does not exist.` };
    }
    try {
        readModelName(modelPath);
        return { state: 'ready' };
    } catch (error) {
        return { state: 'invalid', code: 'file-missing', message: error instanceof Error ? error.message : String(error) };
    }
}

/** Writes a test model folder (`model.json`) and answers its path. */
export function writeTestModelFolder(parent: string, name: string): string {
    const folder = path.join(parent, name);
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'model.json'), JSON.stringify({ name }));
    return folder;
}

/** What the doubles embedded, summed over every model they loaded. */
export interface EmbedCounts {
    images: number;
    imageTexts: number;
    documents: number;
    queries: number;
    loads: number;
}

/**
 * The colour-histogram image model family (`test-colour`). A folder's name
 * picks the model: `b`-named ones add a leading slot, so their vectors have
 * other dimensions; `broken` fails to load; `nan`-named ones answer NaN for
 * grey images (a model that goes wrong on some inputs).
 */
export class ColourImageEmbedderProvider implements ImageEmbedderProvider {
    readonly id = 'test-colour';

    constructor(readonly counts: EmbedCounts) { }

    async validate(modelPath: string): Promise<ProviderHealth> {
        return folderHealth(modelPath);
    }

    async inspect(modelPath: string): Promise<ModelFolderInfo> {
        return { modelId: `test-colour/${readModelName(modelPath)}`, bytes: 1 << 20 };
    }

    async load(modelPath: string): Promise<ImageEmbedder> {
        const name = readModelName(modelPath);
        if (name === 'broken') {
            throw new Error(`The test model in ${modelPath} cannot be loaded`);
        }
        // Vectors are 16-dimensional, 24 for `b` models (a leading slot and more zeros); sqlite-vec's bit quantizer wants multiples of 8.
        const padding = name.startsWith('b') ? [0] : [];
        const dimensions = name.startsWith('b') ? 24 : 16;
        const vector = (values: readonly number[]) => {
            const padded = new Float32Array(dimensions);
            padded.set(unit([...padding, ...values]));
            return padded;
        };
        const counts = this.counts;
        counts.loads++;
        return {
            modelId: `test-colour/${name}`,
            dimensions,
            imageSize: 64,
            async embedImages(images: readonly AiImage[]): Promise<Float32Array[]> {
                counts.images += images.length;
                return images.map(image => {
                    const counts_ = histogram(image);
                    const total = counts_.reduce((sum, count) => sum + count, 0) || 1;
                    if (name.startsWith('nan') && dominantColour(image) === 'grey') {
                        return new Float32Array(dimensions).fill(NaN);
                    }
                    return vector([...counts_.map(count => count / total), BIAS]);
                });
            },
            async embedTexts(texts: readonly string[]): Promise<Float32Array[]> {
                counts.imageTexts += texts.length;
                return texts.map(text => vector([
                    ...TEST_COLOURS.map(colour => words(text).filter(word => COLOUR_WORDS[colour].some(vocabulary => matches(word, vocabulary))).length),
                    BIAS]));
            },
            async dispose(): Promise<void> { }
        };
    }
}

/** Concepts of the synonym text embedder: every word of a row lands on the same axis. */
const CONCEPTS: readonly (readonly string[])[] = [
    ['cat', 'cats', 'kitten', 'kittens', 'kitty', '고양이', '새끼고양이', '아기고양이'],
    ['dog', 'dogs', 'puppy', 'puppies', 'hound', '강아지'],
    ['car', 'cars', 'automobile', 'vehicle', '자동차'],
    ['sea', 'ocean', 'beach', 'waves', '바다', '해변'],
    ['tree', 'trees', 'forest', 'woods', '나무', '숲'],
    ['house', 'home', 'cottage', '집', '주택'],
    ['sofa', 'couch', '소파'],
    ['sun', 'sunny', 'sunshine', '햇빛', '태양']
];

/** The synonym text-embedding family (`test-synonyms`): a caption about a "cat" lands where the query "kitten" (or "고양이") does. */
export class SynonymTextEmbedderProvider implements TextEmbedderProvider {
    readonly id = 'test-synonyms';

    constructor(readonly counts: EmbedCounts) { }

    async validate(modelPath: string): Promise<ProviderHealth> {
        return folderHealth(modelPath);
    }

    async inspect(modelPath: string): Promise<ModelFolderInfo> {
        return { modelId: `test-synonyms/${readModelName(modelPath)}`, bytes: 1 << 20 };
    }

    async load(modelPath: string): Promise<TextEmbedder> {
        const counts = this.counts;
        counts.loads++;
        return {
            modelId: `test-synonyms/${readModelName(modelPath)}`,
            dimensions: 16,
            async embed(texts: readonly string[], purpose: 'query' | 'document'): Promise<Float32Array[]> {
                if (purpose === 'query') {
                    counts.queries += texts.length;
                } else {
                    counts.documents += texts.length;
                }
                return texts.map(text => {
                    const padded = new Float32Array(16);
                    padded.set(unit([...CONCEPTS.map(concept => words(text).filter(word => concept.some(vocabulary => matches(word, vocabulary))).length), BIAS]));
                    return padded;
                });
            },
            async dispose(): Promise<void> { }
        };
    }
}
