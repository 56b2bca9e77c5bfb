import * as path from 'path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArchiveDatabase } from './database';
import { ARCHIVE_MIGRATIONS } from './migrations';
import { keepPhaseResult, storedPhaseResult, writePhaseState } from './phase-state-repository';
import { makeTempFolder } from '../test/archive-test-container';

/** The phase tables on a real archive file: an archive from before the phase-states migration keeps its parse states. */
describe('phase states and results', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let file: string;

    beforeEach(() => {
        temp = makeTempFolder();
        file = path.join(temp.folder, 'archive.sqlite');
    });
    afterEach(() => temp.remove());

    it('keeps an older archive\'s parse states and then keys states by (asset, phase, model)', () => {
        const before = ARCHIVE_MIGRATIONS.findIndex(migration => migration.name === 'phase-states');
        const old = ArchiveDatabase.open(file, { migrations: ARCHIVE_MIGRATIONS.slice(0, before) });
        old.write(db => {
            db.prepare("INSERT INTO assets (id, content_hash, kind, registered_at) VALUES (1, 'abc', 'png', '2024-01-01T00:00:00.000Z')").run();
            db.prepare("INSERT INTO phase_states (asset_id, phase, state, model, content_hash, updated_at) VALUES (1, 'parse', 'done', '', 'abc', '2024-01-01T00:00:00.000Z')").run();
        });
        old.close();

        const archive = ArchiveDatabase.open(file);
        try {
            expect(archive.writer.prepare('SELECT asset_id, phase, model, state, content_hash, updated_ms FROM phase_states').all())
                .toEqual([{ asset_id: 1, phase: 'parse', model: '', state: 'done', content_hash: 'abc', updated_ms: Date.parse('2024-01-01T00:00:00.000Z') }]);
            archive.write(db => {
                writePhaseState(db, { assetId: 1, phase: 'ocr', model: 'one', contentHash: 'abc', configVersion: '' }, 'done');
                writePhaseState(db, { assetId: 1, phase: 'ocr', model: 'two', contentHash: 'abc', configVersion: '' }, 'failed', { code: 'timeout', message: 'slow' }, 2);
            });
            expect(archive.writer.prepare("SELECT model, state, error_code, attempts FROM phase_states WHERE phase = 'ocr' ORDER BY model").all())
                .toEqual([{ model: 'one', state: 'done', error_code: null, attempts: 0 }, { model: 'two', state: 'failed', error_code: 'timeout', attempts: 2 }]);
        } finally {
            archive.close();
        }
    });

    it('keeps the first result of a content, phase, model and config version; another config version is another result', () => {
        const archive = ArchiveDatabase.open(file);
        try {
            const key = { contentHash: 'abc', phase: 'ocr', model: 'one', configVersion: '1' };
            archive.write(db => {
                expect(keepPhaseResult(db, key, { text: 'first' })).toBe(true);
                expect(keepPhaseResult(db, key, { text: 'second' })).toBe(false);
                expect(keepPhaseResult(db, { ...key, configVersion: '2' }, { text: 'other settings' })).toBe(true);
            });
            expect(storedPhaseResult(archive.reader, key)).toEqual({ result: { text: 'first' } });
            expect(storedPhaseResult(archive.reader, { ...key, configVersion: '2' })).toEqual({ result: { text: 'other settings' } });
            expect(storedPhaseResult(archive.reader, { ...key, model: 'two' })).toBeUndefined();
        } finally {
            archive.close();
        }
    });
});
