import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const english: Record<string, string> = JSON.parse(fs.readFileSync(path.join(root, 'locales/en-US.json'), 'utf8'));
const korean: Record<string, string> = JSON.parse(fs.readFileSync(path.join(root, 'locales/ko-KR.json'), 'utf8'));

interface Term {
    readonly english: string;
    readonly korean: string;
    readonly avoid: readonly string[];
}

/** The rows of the table in `locales/GLOSSARY.md`. */
function glossary(): Term[] {
    const text = fs.readFileSync(path.join(root, 'locales/GLOSSARY.md'), 'utf8');
    return text.split('\n')
        .filter(line => /^\|/.test(line) && !/^\|\s*(English|---)/.test(line))
        .map(line => line.split('|').slice(1, -1).map(cell => cell.trim()))
        .map(([englishTerm, koreanTerm, avoid]) => ({
            english: englishTerm, korean: koreanTerm, avoid: avoid ? avoid.split(',').map(word => word.trim()).filter(Boolean) : []
        }));
}

describe('the Korean glossary (locales/GLOSSARY.md)', () => {
    const terms = glossary();

    it('lists the terms the project agreed on', () => {
        expect(terms.find(term => term.english === 'rating')).toEqual({ english: 'rating', korean: '별점', avoid: ['평점', '등급'] });
        expect(terms.length).toBeGreaterThan(10);
    });

    it('is followed by every Korean string: one term per concept, no avoided word', () => {
        const misses: string[] = [];
        for (const term of terms) {
            // A query prefix (tag:, layer:) is syntax typed as it is, not the term.
            const named = new RegExp(`\\b${term.english.replace(/ /g, '[ -]')}(s|es)?\\b(?!:)`, 'i');
            for (const [key, text] of Object.entries(english)) {
                if (named.test(text) && !korean[key].includes(term.korean)) {
                    misses.push(`${key}: "${text}" names ${term.english}, but "${korean[key]}" lacks ${term.korean}`);
                }
            }
            for (const [key, text] of Object.entries(korean)) {
                for (const word of term.avoid.filter(avoided => text.includes(avoided))) {
                    misses.push(`${key}: "${text}" uses ${word}; the glossary says ${term.korean}`);
                }
            }
        }
        expect(misses).toEqual([]);
    });
});
