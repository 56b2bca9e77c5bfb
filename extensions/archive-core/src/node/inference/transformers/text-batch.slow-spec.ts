import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyImageTextModel } from '../../test/tiny-models/tiny-image-text-model';
import { writeTinySentenceModel } from '../../test/tiny-models/tiny-sentence-model';
import { encodeTexts } from './text-batch';
import { TransformersModule, transformersRuntime } from './transformers-runtime';

let root: string;
let transformers: TransformersModule;

beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'text-batch-'));
    writeTinyImageTextModel(path.join(root, 'clip'), 'clip');
    writeTinyImageTextModel(path.join(root, 'siglip'), 'siglip');
    writeTinySentenceModel(path.join(root, 'sentence'));
    transformers = await transformersRuntime();
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const TEXTS = [
    'red',
    '빨간 우산을 든 사람이 비 오는 밤거리를 걷는다',
    '',
    `${'a very long caption that goes on and on '.repeat(20)}빨강`,
    '고양이 cat 🐈'
];

describe('a batch of texts built straight into tensors', () => {
    it.each([
        ['clip', true as const, 77],
        ['siglip', 'max_length' as const, 64],
        ['sentence', true as const, 512],
        ['sentence', true as const, 16]
    ])('equals the %s tokenizer\'s own call (padding %s, at most %i tokens), on both padding sides', async (name, padding, maxLength) => {
        const tokenizer = await transformers.AutoTokenizer.from_pretrained(path.join(root, name));
        for (const side of ['right', 'left'] as const) {
            tokenizer.padding_side = side;
            const ours = encodeTexts(tokenizer, TEXTS, { padding, maxLength }, transformers);
            const theirs = tokenizer(TEXTS, { padding, truncation: true, max_length: maxLength });
            expect(ours.input_ids.dims).toEqual(theirs.input_ids.dims);
            expect(Array.from(ours.input_ids.data as BigInt64Array)).toEqual(Array.from(theirs.input_ids.data as BigInt64Array));
            expect(Array.from(ours.attention_mask.data as BigInt64Array)).toEqual(Array.from(theirs.attention_mask.data as BigInt64Array));
        }
    });
});
