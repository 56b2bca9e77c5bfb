import { describe, expect, it } from 'vitest';
import { completeQuery, lastQueryWord } from './query-completion';

describe('query completion', () => {
    it('completes the last word, keeping the words before it and its operator', () => {
        expect(lastQueryWord('red ki')).toEqual({ before: 'red ', operator: '', word: 'ki' });
        expect(completeQuery('red ki', 'kitten')).toBe('red kitten');
        expect(completeQuery('빨간 고양', '고양이')).toBe('빨간 고양이');
        expect(completeQuery('night -tag:ca', 'cat')).toBe('night -tag:cat');
        expect(completeQuery('tag:숲', '숲 배경')).toBe('tag:"숲 배경"');
        expect(lastQueryWord('tag:"숲 배')).toEqual({ before: '', operator: 'tag:', word: '숲 배' });
        expect(completeQuery('cat tag:"숲 배', '숲 배경')).toBe('cat tag:"숲 배경"');
        expect(lastQueryWord('red ')).toEqual({ before: 'red ', operator: '', word: '' });
    });
});
