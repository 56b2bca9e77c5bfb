import { afterEach, describe, expect, it } from 'vitest';
import { nls } from '@theia/core/lib/common/nls';
import { plural } from './plural';

/** The display language, as the browser app sets it from local storage at load. */
function displayLanguage(locale: string | undefined): void {
    (nls as { locale: string | undefined }).locale = locale;
}

describe('plural', () => {
    afterEach(() => displayLanguage(undefined));

    it('says "1 result" and "0 results", "2 results" in English', () => {
        const results = (count: number) => plural(count, `${count} result`, `${count} results`);
        expect([0, 1, 2, 21, 1000].map(results)).toEqual(['0 results', '1 result', '2 results', '21 results', '1000 results']);
        displayLanguage('en');
        expect(results(1)).toBe('1 result');
    });

    it('uses the one form Korean has for every count, and English rules for a language the runtime does not know', () => {
        displayLanguage('ko');
        expect(plural(1, 'one', 'other')).toBe('other');
        displayLanguage('zz-unknown');
        expect(plural(1, 'one', 'other')).toBe('one');
        expect(plural(3, 'one', 'other')).toBe('other');
    });
});
