import { describe, expect, it } from 'vitest';
import { CaptionError } from '../captioner';
import { captionAnswerOf, MAX_TAGS, normalizeTags, parseJsonAnswer } from './caption-fields';

describe('caption fields: the one place a model\'s answer becomes stored fields', () => {

    it('reads the keys the schema asks for', () => {
        expect(captionAnswerOf({ caption_en: 'A red car', caption_ko: '빨간 자동차', tags: [{ name: 'car', confidence: 0.9 }] }, ['en', 'ko'])).toEqual({
            captions: [{ language: 'en', text: 'A red car' }, { language: 'ko', text: '빨간 자동차' }],
            tags: [{ name: 'car', confidence: 0.9 }]
        });
    });

    it('maps captions and tags under other names (the keys a model chose are never lost)', () => {
        const renamed = [
            { description: 'A cat on a sofa', keywords: ['Cat', 'sofa'] },
            { text: 'A cat on a sofa', labels: [{ label: 'cat', score: 0.8 }, { label: 'sofa', score: 0.5 }] },
            { alt: 'A cat on a sofa', objects: [{ tag: 'cat', probability: 0.8 }, { name: 'sofa' }] },
            { Summary: 'A cat on a sofa', Tags: 'cat, sofa' },
            { result: { caption: 'A cat on a sofa', tags: ['cat', 'sofa'] } },
            { captions: [{ language: 'en', text: 'A cat on a sofa' }], tags: ['cat', 'sofa'] },
            { captions: { English: 'A cat on a sofa' }, tag_list: ['cat', 'sofa'] }
        ];
        for (const answer of renamed) {
            const mapped = captionAnswerOf(answer, ['en']);
            expect(mapped.captions).toEqual([{ language: 'en', text: 'A cat on a sofa' }]);
            expect(mapped.tags.map(tag => tag.name)).toEqual(['cat', 'sofa']);
        }
    });

    it('takes a Korean caption as `korean`, `caption_ko` or by its script, and one wanted language from any caption key', () => {
        expect(captionAnswerOf({ description: 'A dog', korean: '강아지' }, ['en', 'ko']).captions)
            .toEqual([{ language: 'en', text: 'A dog' }, { language: 'ko', text: '강아지' }]);
        expect(captionAnswerOf({ caption: '강아지가 공원에 있다', caption_english: 'A dog in a park' }, ['en', 'ko']).captions)
            .toEqual([{ language: 'en', text: 'A dog in a park' }, { language: 'ko', text: '강아지가 공원에 있다' }]);
        expect(captionAnswerOf({ 'Caption-KO': '고양이' }, ['ko']).captions).toEqual([{ language: 'ko', text: '고양이' }]);
        expect(captionAnswerOf({ caption: 'A cat' }, ['ko']).captions).toEqual([{ language: 'ko', text: 'A cat' }]);
    });

    it('refuses an answer without a caption for a wanted language as a retryable malformed answer', () => {
        const missing = () => captionAnswerOf({ caption_en: 'A dog', tags: ['dog'] }, ['en', 'ko']);
        expect(missing).toThrow(CaptionError);
        expect(missing).toThrow(/no ko caption/);
        try {
            captionAnswerOf({ tags: ['dog'] }, ['en']);
        } catch (error) {
            expect(error).toMatchObject({ code: 'malformed-answer', retryable: true });
        }
        expect(() => captionAnswerOf({ caption: '   ' }, ['en'])).toThrow(/no en caption/);
    });

    it('normalizes tags: NFC, trim, #, case, whitespace, empties, over-long ones, duplicates across case, and caps the count', () => {
        const decomposed = '\u1100\u1161'; // 가 as Jamo
        const tags = normalizeTags([
            { name: '  #Red  Car ', confidence: 0.4 }, { name: 'red car', confidence: 0.9 }, { name: 'RED CAR' },
            { name: decomposed }, { name: '가' }, { name: '' }, { name: '###' }, { name: 'x'.repeat(200) },
            { name: 'Straße' }, { name: '빨간색', confidence: 88 }, { name: 'ÉCLAIR' }
        ]);
        expect(tags).toEqual([{ name: 'red car', confidence: 0.9 }, { name: '빨간색', confidence: 0.88 }, { name: '가' }, { name: 'straße' }, { name: 'éclair' }]);
        const many = normalizeTags(Array.from({ length: 80 }, (_, i) => ({ name: `tag ${i}`, confidence: i / 100 })));
        expect(many).toHaveLength(MAX_TAGS);
        expect(many[0]).toEqual({ name: 'tag 79', confidence: 0.79 });
    });

    it('reads JSON out of a fence or surrounding prose, and refuses text without any', () => {
        expect(parseJsonAnswer('Here you go:\n```json\n{"caption": "x"}\n```\nBye')).toEqual({ caption: 'x' });
        expect(parseJsonAnswer('Sure! {"caption": "x", "tags": []} Hope it helps')).toEqual({ caption: 'x', tags: [] });
        expect(() => parseJsonAnswer('Sure! {"caption": "x", "tags": [')).toThrow(/no JSON object/);
        expect(() => parseJsonAnswer('[1, 2]')).toThrow(CaptionError);
        expect(parseJsonAnswer('<think>The user wants {json}. Let me look.</think>\n{"caption": "x"}')).toEqual({ caption: 'x' });
    });

    it('drops control characters from captions and tags', () => {
        expect(captionAnswerOf({ caption: 'A red\u0000 car\u001b[31m', tags: ['r\u0007ed', '\u0000'] }, ['en']))
            .toEqual({ captions: [{ language: 'en', text: 'A red car [31m' }], tags: [{ name: 'r ed' }] });
    });
});
