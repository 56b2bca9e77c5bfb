import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');

/** The collections package's strings of a locale file, by key. */
function collectionsStrings(locale: string): [string, string][] {
    const strings: Record<string, string> = JSON.parse(fs.readFileSync(path.join(root, 'locales', `${locale}.json`), 'utf8'));
    return Object.entries(strings).filter(([key]) => key.startsWith('imageparser/collections/'));
}

describe('the collections strings', () => {
    for (const locale of ['en-US', 'ko-KR']) {
        it(`quote names and commands with “ ” in ${locale}, as the app's other strings do (no straight or single quotes)`, () => {
            const strings = collectionsStrings(locale);
            expect(strings.length).toBeGreaterThan(100);
            // An apostrophe inside a word ("archive's") is no quote; a quote opens after a space, a bracket or the start.
            const straight = strings.filter(([, text]) => text.includes('"') || /(^|[\s(])'[^']*'/.test(text) || /[‘’]/.test(text.replace(/(\w)’(\w)/g, '$1$2')));
            expect(straight.map(([key, text]) => `${key}: ${text}`)).toEqual([]);
            // Every “ has its ”.
            const unbalanced = strings.filter(([, text]) => (text.match(/“/g) ?? []).length !== (text.match(/”/g) ?? []).length);
            expect(unbalanced.map(([key, text]) => `${key}: ${text}`)).toEqual([]);
        });
    }
});
