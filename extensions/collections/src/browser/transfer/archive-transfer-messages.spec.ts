import * as fs from 'fs';
import * as path from 'path';
import { afterEach, describe, expect, it } from 'vitest';
import { nls } from '@theia/core/lib/common/nls';
import { TransferErrorReason, TransferErrors } from '@imageparser/archive-core/lib/common/archive-transfer-protocol';
import { describeExportReport, describeProgress, describeScopeLabel, describeTransferEnd, describeTransferRefusal } from './archive-transfer-messages';

/** Shows the messages in Korean, as a window whose display language is Korean. */
function inKorean(): void {
    const translations = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../../locales/ko-KR.json'), 'utf8'));
    nls.localization = { languageId: 'ko', translations };
}

const REASONS: TransferErrorReason[] = ['not-found', 'not-an-export', 'newer-version', 'damaged', 'size-mismatch', 'unsafe-path',
    'target-exists', 'cancelled', 'read-only', 'busy'];

/** The words a user reads about an archive export or import: refusals, progress and the export's result. */
describe('archive transfer messages', () => {
    it('ends every import refusal with "Nothing was imported." once, in whole sentences, the finding as a sentence of its own', () => {
        const file = '/home/user/가짜.imageparser-export';
        for (const reason of REASONS) {
            for (const detail of [undefined, 'the file is not an SQLite database', 'it holds 2.9 MiB of the 5.8 MiB its header declares.']) {
                const text = describeTransferRefusal({ reason, file, detail });
                expect(text, reason).toMatch(/ Nothing was imported\.$/);
                expect(text.match(/nothing was imported/gi), reason).toHaveLength(1);
                expect(text, reason).not.toMatch(/\.\.|[^.] Nothing/);
                if (detail) {
                    expect(text, reason).toContain(`Details: ${detail.replace(/\.$/, '')}. Nothing was imported.`);
                }
            }
        }
        expect(describeTransferRefusal({ reason: 'not-an-export', file, detail: 'the file is not an SQLite database' }))
            .toBe(`${file} is not an ImageParser archive export. Details: the file is not an SQLite database. Nothing was imported.`);
        expect(describeTransferRefusal({ reason: 'target-exists', file }, 'export')).toBe(`${file} exists already. Nothing was written.`);
    });

    it('shows a step\'s count only when there is more than one item, without a colon of its own', () => {
        expect(describeProgress('commit', 0, 1)).toBe('Saving');
        expect(describeProgress('snapshot', 0, 0)).toBe('Taking a snapshot');
        expect(describeProgress('media', 1200, 3000)).toBe('Thumbnails and previews (1,200 of 3,000)');
    });

    it('says what an export left out instead of counting nothing', () => {
        const report = { file: '/tmp/full.imageparser-export', assets: 6, media: 0, vectors: 12, collections: 0, bytes: 3 * 1024 * 1024, tookMs: 40 };
        expect(describeExportReport(report, { includeMedia: false, includePaths: false })).toBe(
            'Exported to /tmp/full.imageparser-export: images 6, without thumbnails and previews, similarity vectors 12, collections 0, '
            + 'without original paths (3 MiB).');
        expect(describeExportReport({ ...report, media: 12 }, { includeMedia: true, includePaths: true })).toBe(
            'Exported to /tmp/full.imageparser-export: images 6, thumbnails and previews 12, similarity vectors 12, collections 0 (3 MiB).');
    });

    describe('a cancel and the backend\'s findings', () => {
        afterEach(() => {
            nls.localization = undefined;
        });
        const file = '/home/user/photo.png';

        it('announces a cancel the user asked for as information, in English and Korean; any other end as an error', () => {
            const cancelled = TransferErrors.Refused({ reason: 'cancelled', file });
            expect(describeTransferEnd(cancelled, 'import')).toEqual({ severity: 'info', text: 'Import cancelled; nothing was imported.' });
            expect(describeTransferEnd(cancelled, 'export')).toEqual({ severity: 'info', text: 'Export cancelled; nothing was written.' });
            const damaged = describeTransferEnd(TransferErrors.Refused({ reason: 'damaged', file }), 'import');
            expect(damaged.severity).toBe('error');
            expect(damaged.text).toBe(`The import did not finish: ${file} is damaged or incomplete. Nothing was imported.`);
            inKorean();
            expect(describeTransferEnd(cancelled, 'import')).toEqual({ severity: 'info', text: '가져오기를 취소했습니다. 아무것도 가져오지 않았습니다.' });
            expect(describeTransferEnd(cancelled, 'export')).toEqual({ severity: 'info', text: '내보내기를 취소했습니다. 아무것도 쓰지 않았습니다.' });
        });

        it('says a known finding in Korean and leaves an unknown English one out of the Korean refusal', () => {
            inKorean();
            const notSqlite = describeTransferRefusal({ reason: 'not-an-export', file, detail: 'the file is not an SQLite database.' });
            expect(notSqlite).toContain('자세히: SQLite 데이터베이스 파일이 아닙니다.');
            const unknown = describeTransferRefusal({ reason: 'damaged', file, detail: 'the table assets lacks the columns hash' });
            expect(unknown).not.toContain('자세히');
            // Apart from the file's path, no English word is left.
            for (const text of [notSqlite, unknown]) {
                expect(text.replace(file, ''), text).not.toMatch(/\b(the|is|not|file|lacks)\b/);
            }
        });

        it('names what an export holds (its manifest\'s scope label) in English and Korean, never as the raw kind', () => {
            const labels = ['archive', 'collection: Red picks', 'folder: /home/user/art', 'query: red', 'query', 'assets: 1', 'assets: 12'];
            expect(labels.map(describeScopeLabel)).toEqual(['the whole archive', 'the collection “Red picks”', 'the folder /home/user/art',
                'the results of a search for “red”', 'the results of a search', 'a selection of 1 image', 'a selection of 12 images']);
            inKorean();
            expect(labels.map(describeScopeLabel)).toEqual(['아카이브 전체', '컬렉션 “Red picks”', '폴더 /home/user/art',
                '“red” 검색 결과', '검색 결과', '선택한 이미지 1개', '선택한 이미지 12개']);
            expect(describeScopeLabel('something new: 3')).toBe('something new: 3');
        });
    });
});
