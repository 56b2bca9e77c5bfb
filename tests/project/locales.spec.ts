import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const english: Record<string, string> = JSON.parse(fs.readFileSync(path.join(root, 'locales/en-US.json'), 'utf8'));
const korean: Record<string, string> = JSON.parse(fs.readFileSync(path.join(root, 'locales/ko-KR.json'), 'utf8'));

function sourceFiles(folder: string): string[] {
    return fs.readdirSync(folder, { withFileTypes: true, recursive: true })
        .filter(entry => entry.isFile() && /\.tsx?$/.test(entry.name) && !/\.(slow-)?spec\.ts$/.test(entry.name))
        .map(entry => path.join(entry.parentPath, entry.name));
}

const sources = [
    ...fs.readdirSync(path.join(root, 'extensions')).map(extension => path.join(root, 'extensions', extension, 'src')),
    path.join(root, 'tests/sample-orientation-filter/src')
].flatMap(folder => sourceFiles(folder))
    .map(file => ({ file, text: fs.readFileSync(file, 'utf8') }));

/** Every `nls.localize('key', 'default'...)` call with a literal default text. */
const localizeCalls = sources.flatMap(({ file, text }) =>
    [...text.matchAll(/nls\.localize\(\s*'([^']+)',\s*'((?:[^'\\]|\\.)*)'/g)]
        .map(match => ({ file, key: match[1], text: match[2].replace(/\\n/g, '\n').replace(/\\'/g, '\'') })));
/** Every ImageParser localization key named anywhere in the sources (commands, categories, calls). */
const referencedKeys = new Set(sources.flatMap(({ text }) => [...text.matchAll(/'(imageparser\/[a-z0-9-]+\/[A-Za-z0-9/._-]+)'/g)].map(match => match[1])));

function placeholders(text: string): string[] {
    return [...text.matchAll(/\{\d+\}/g)].map(match => match[0]).sort();
}

describe('locales', () => {
    it('finds the strings to check', () => {
        expect(localizeCalls.length).toBeGreaterThan(10);
    });

    it('has every UI string of the code in English with the same text, and in Korean', () => {
        for (const call of localizeCalls) {
            expect(english[call.key], `${call.key} (${path.relative(root, call.file)}) in en-US.json`).toBe(call.text);
        }
        for (const key of referencedKeys) {
            expect(english[key], `${key} in en-US.json`).toBeTypeOf('string');
            expect(korean[key], `${key} in ko-KR.json`).toBeTypeOf('string');
        }
    });

    it('has the same keys and placeholders in both languages, and no key the code no longer uses', () => {
        expect(Object.keys(korean).sort()).toEqual(Object.keys(english).sort());
        for (const key of Object.keys(english)) {
            expect(placeholders(korean[key]), `placeholders of ${key}`).toEqual(placeholders(english[key]));
            expect(referencedKeys.has(key), `${key} is used in the code`).toBe(true);
        }
    });

    it('words counts with a singular and a plural form, never "(s)"', () => {
        expect(Object.entries(english).filter(([, text]) => /\w\((s|es)\)/.test(text))).toEqual([]);
        // A count before a plural noun needs a singular twin: "{0} results" comes with "{0} result".
        const countedPlurals = Object.entries(english).filter(([, text]) => /\{\d\} (results|images|files|layers|versions|assets|tags|comments)\b(?!\/)/.test(text));
        expect(countedPlurals.length).toBeGreaterThan(3);
        // Counts of two or more only (a reference search of several images).
        const alwaysSeveral = ['imageparser/search-view/similarToAll', 'imageparser/search-view/similarToAny'];
        for (const [key] of countedPlurals.filter(([each]) => !alwaysSeveral.includes(each))) {
            expect(key, `${key} is the plural form of a pair`).toMatch(/\/other$/);
        }
        for (const key of Object.keys(english)) {
            const pair = key.match(/^(.*)\/(one|other)$/);
            if (pair) {
                expect(english[`${pair[1]}/${pair[2] === 'one' ? 'other' : 'one'}`], `the other form of ${key}`).toBeTypeOf('string');
            }
        }
    });

    it('translates into Korean rather than copying English', () => {
        const copied = Object.keys(english).filter(key => korean[key] === english[key] && /[a-z]{4,}/.test(english[key]));
        // Proper names and version labels stay as they are.
        expect(copied.sort()).toEqual([
            'imageparser/archive-core/category',
            'imageparser/archive-core/welcome/heading',
            'imageparser/archive-core/welcome/sqliteVecVersion'
        ].sort());
        expect(Object.values(korean).some(text => /[\uac00-\ud7a3]/.test(text))).toBe(true);
    });
});
