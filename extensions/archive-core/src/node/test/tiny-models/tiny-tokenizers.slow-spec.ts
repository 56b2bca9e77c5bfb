import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { PreTrainedTokenizer } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transformersRuntime } from '../../inference/transformers/transformers-runtime';
import { COLOUR_WORDS } from './colour-words';
import { SYNONYM_GROUPS } from './synonym-words';
import { writeTinyImageTextModel } from './tiny-image-text-model';
import { writeTinySentenceModel } from './tiny-sentence-model';

let root: string;
const tokenizers = new Map<string, PreTrainedTokenizer>();

beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tiny-tokenizers-'));
    writeTinyImageTextModel(path.join(root, 'clip'), 'clip');
    writeTinyImageTextModel(path.join(root, 'siglip'), 'siglip');
    writeTinySentenceModel(path.join(root, 'sentence'));
    const transformers = await transformersRuntime();
    for (const name of ['clip', 'siglip', 'sentence']) {
        tokenizers.set(name, await transformers.AutoTokenizer.from_pretrained(path.join(root, name)));
    }
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const TEXTS = [
    '빨간 우산을 든 사람',
    '고양이가 소파 위에서 잔다',
    'a red umbrella at night',
    '한국어와 English가 섞인 문장, 숫자 123도!',
    '뷁 똠방각하 👍'
];

describe.each([
    ['clip', 'byte-level BPE', COLOUR_WORDS.flatMap(colour => colour.words)],
    ['siglip', 'Gemma-style BPE with byte fallback', COLOUR_WORDS.flatMap(colour => colour.words)],
    ['sentence', 'byte-level BPE', SYNONYM_GROUPS.flatMap(group => group.words)]
])('the tiny %s tokenizer (%s) loaded by AutoTokenizer', (name, _kind, words) => {
    it('makes each known English and Korean word one token', () => {
        const tokenizer = tokenizers.get(name)!;
        const lengths = words.map(word => [word, tokenizer.encode(word, { add_special_tokens: false }).length]);
        expect(lengths).toEqual(words.map(word => [word, 1]));
    });

    it('gives the same tokens to a word wherever it stands in a sentence', () => {
        const tokenizer = tokenizers.get(name)!;
        const word = words.find(each => /\p{Script=Hangul}/u.test(each))!;
        const [alone] = tokenizer.encode(word, { add_special_tokens: false });
        expect(tokenizer.encode(`그리고 ${word} 사진`, { add_special_tokens: false })).toContain(alone);
    });

    it('decodes Korean, English and any other text back unchanged', () => {
        const tokenizer = tokenizers.get(name)!;
        for (const text of TEXTS) {
            expect(tokenizer.decode(tokenizer.encode(text), { skip_special_tokens: true })).toBe(text.toLowerCase());
        }
    });

    it('reads Korean typed decomposed (NFD, as macOS file names hold it) as the same tokens', () => {
        const tokenizer = tokenizers.get(name)!;
        const text = '빨간 고양이';
        expect(tokenizer.encode(text.normalize('NFD'))).toEqual(tokenizer.encode(text));
    });
});
