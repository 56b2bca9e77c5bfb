import type { PreTrainedTokenizer } from '@huggingface/transformers';
import type { TransformersModule } from './transformers-runtime';

type Tensor = InstanceType<TransformersModule['Tensor']>;

/** A batch of texts as a text tower takes it. */
export interface TextBatch {
    readonly input_ids: Tensor;
    readonly attention_mask: Tensor;
}

export interface TextBatchOptions {
    /** `true`: to the longest text of the batch; `max_length`: every text to `maxLength` (SigLIP). */
    readonly padding: true | 'max_length';
    /** Longer texts are cut to this many tokens (special tokens included). */
    readonly maxLength: number;
}

/**
 * The texts through the model's own tokenizer (its `tokenizer.json`, special
 * tokens added), truncated and padded on the tokenizer's padding side with
 * its pad token: what calling the transformers.js tokenizer answers, built
 * straight into the two int64 tensors instead of through per-token arrays
 * (the spec compares both).
 */
export function encodeTexts(tokenizer: PreTrainedTokenizer, texts: readonly string[], options: TextBatchOptions, transformers: TransformersModule): TextBatch {
    const encoded = texts.map(text => {
        const ids = tokenizer._tokenizer.encode(text).ids;
        return ids.length > options.maxLength ? ids.slice(0, options.maxLength) : ids;
    });
    const length = options.padding === 'max_length' ? options.maxLength : Math.min(options.maxLength, Math.max(...encoded.map(ids => ids.length)));
    const ids = new BigInt64Array(texts.length * length).fill(BigInt(tokenizer.pad_token_id ?? 0));
    const mask = new BigInt64Array(texts.length * length);
    const left = tokenizer.padding_side === 'left';
    encoded.forEach((row, r) => {
        const start = r * length + (left ? length - row.length : 0);
        for (let t = 0; t < row.length; t++) {
            ids[start + t] = BigInt(row[t]);
            mask[start + t] = 1n;
        }
    });
    const dims = [texts.length, length];
    return { input_ids: new transformers.Tensor('int64', ids, dims), attention_mask: new transformers.Tensor('int64', mask, dims) };
}
