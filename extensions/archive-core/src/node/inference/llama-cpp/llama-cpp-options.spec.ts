import { describe, expect, it } from 'vitest';
import { LLAMA_CPP_GPU_ENV, LLAMA_CPP_THREADS_ENV, llamaCppOptionsFromEnv } from './llama-cpp-options';

describe('llamaCppOptionsFromEnv', () => {
    it('lets llama.cpp pick a GPU and its thread count unless the environment says otherwise', () => {
        expect(llamaCppOptionsFromEnv({})).toMatchObject({ gpu: 'auto', threads: 0 });
        expect(llamaCppOptionsFromEnv({ [LLAMA_CPP_GPU_ENV]: 'false', [LLAMA_CPP_THREADS_ENV]: '3' })).toMatchObject({ gpu: false, threads: 3 });
        expect(llamaCppOptionsFromEnv({ [LLAMA_CPP_GPU_ENV]: ' CPU ' })).toMatchObject({ gpu: false });
    });

    it('ignores a thread count that is not a positive whole number', () => {
        for (const threads of ['0', '-2', '1.5', 'many', '']) {
            expect(llamaCppOptionsFromEnv({ [LLAMA_CPP_THREADS_ENV]: threads }).threads, threads).toBe(0);
        }
    });
});
