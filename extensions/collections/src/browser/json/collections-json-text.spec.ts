import * as fs from 'fs';
import * as path from 'path';
import { afterEach, describe, expect, it } from 'vitest';
import { nls } from '@theia/core/lib/common/nls';
import { NotCollectionsJsonError, parseCollectionsJsonText } from './collections-json-text';

/** A PNG's first bytes as the file service reads them as text: what a user who picks an image by mistake imports. */
const PNG_AS_TEXT = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]).toString('utf8');

describe('a collections JSON file read for an import', () => {
    afterEach(() => {
        nls.localization = undefined;
    });

    it('reads JSON', () => {
        expect(parseCollectionsJsonText('{"format":"x","collections":[]}')).toEqual({ format: 'x', collections: [] });
    });

    it('refuses a file that is not JSON in words, in English and Korean, without the parser\'s message or the file\'s bytes', () => {
        const refusal = () => {
            try {
                parseCollectionsJsonText(PNG_AS_TEXT);
            } catch (error) {
                return error as Error;
            }
            throw new Error('a PNG was read as JSON');
        };
        const english = refusal();
        expect(english).toBeInstanceOf(NotCollectionsJsonError);
        expect(english.message).toBe('the file is not a collections JSON file. Choose a file written by “Export Collections as JSON…”.');
        expect((english as NotCollectionsJsonError).detail).toMatch(/JSON/);
        const translations = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../../locales/ko-KR.json'), 'utf8'));
        nls.localization = { languageId: 'ko', translations };
        const korean = refusal().message;
        expect(korean).toBe('컬렉션 JSON 파일이 아닙니다. “컬렉션을 JSON으로 내보내기…”로 만든 파일을 고르세요.');
        for (const message of [english.message, korean]) {
            expect(message).not.toMatch(/PNG|Unexpected|\uFFFD|valid JSON/);
        }
    });
});
