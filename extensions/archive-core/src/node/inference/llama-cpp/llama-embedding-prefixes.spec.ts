import { describe, expect, it } from 'vitest';
import { embeddingPrefixesFor } from './llama-embedding-prefixes';

describe('embeddingPrefixesFor', () => {
    it('gives E5 models "query: " and "passage: "', () => {
        expect(embeddingPrefixesFor('multilingual-e5-small-q8_0.gguf')).toEqual({ query: 'query: ', document: 'passage: ' });
        expect(embeddingPrefixesFor('model.gguf E5 Large V2')).toEqual({ query: 'query: ', document: 'passage: ' });
    });

    it('gives Qwen3-Embedding an instruction before queries and documents as they are', () => {
        const prefixes = embeddingPrefixesFor('Qwen3-Embedding-0.6B-Q8_0.gguf');
        expect(prefixes.query).toMatch(/^Instruct: .*\nQuery:$/);
        expect(prefixes.document).toBe('');
    });

    it('gives nomic-embed its search prefixes, and other models none (a name merely containing "e5" is not E5)', () => {
        expect(embeddingPrefixesFor('nomic-embed-text-v1.5.f16.gguf')).toEqual({ query: 'search_query: ', document: 'search_document: ' });
        expect(embeddingPrefixesFor('bge-m3-q8_0.gguf')).toEqual({ query: '', document: '' });
        expect(embeddingPrefixesFor('model-e55.gguf gte-base')).toEqual({ query: '', document: '' });
    });
});
