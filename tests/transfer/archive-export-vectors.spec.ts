import * as path from 'path';
import BetterSqlite3 = require('better-sqlite3');
import { Container } from '@theia/core/shared/inversify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveStore } from '../../extensions/archive-core/src/node/store/archive-store';
import { allBitsSet } from '../../extensions/archive-core/src/node/store/archive-export-vectors';
import { createVectorIndex, writeVector } from '../../extensions/archive-core/src/node/store/vector-index-repository';
import { createArchiveTestContainer, disposeArchiveTestContainer, makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { ArchiveExporter } from '../../extensions/archive-core/src/node/transfer/archive-exporter';
import { bindArchiveExport } from '../../extensions/archive-core/src/node/transfer/archive-export-bindings';
import { VECTORS_TABLE } from '../../extensions/archive-core/src/node/transfer/export-format';
import { createTransferContainer, importInto } from './transfer-archives';

const ASSETS = 2600;
const DIMENSIONS = 16;

function vectorOf(id: number): Float32Array {
    return Float32Array.from({ length: DIMENSIONS }, (_, i) => Math.sin(id * 0.37 + i) * 10);
}

/**
 * A large selection's vectors are read chunk by chunk from sqlite-vec's
 * storage rather than one lookup each: they must still be exactly the
 * vectors vec0 answers, and a deleted vector (a cleared validity bit, a
 * reused slot) must not come back.
 */
describe('archive export of many vectors', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let container: Container;
    let index: string;
    const deleted = [5, 1500, 2599];
    const replaced = [7, 2000];

    beforeAll(async () => {
        temp = makeTempFolder('imageparser-export-vectors-');
        container = createArchiveTestContainer(path.join(temp.folder, 'archive'), { threads: 1 });
        bindArchiveExport(container.bind.bind(container));
        const { database } = await container.get<ArchiveStore>(ArchiveStore).open();
        database.write(db => {
            index = createVectorIndex(db, 'visual', 'many-test', DIMENSIONS);
            const asset = db.prepare("INSERT INTO assets (id, content_hash, kind, registered_at) VALUES (?, ?, 'png', '2026-01-01')");
            for (let id = 1; id <= ASSETS; id++) {
                asset.run(id, id.toString(16).padStart(64, '0'));
                writeVector(db, index, id, vectorOf(id));
            }
        });
        database.write(db => {
            for (const id of deleted) {
                db.prepare(`DELETE FROM ${index} WHERE asset_id = ?`).run(BigInt(id));
            }
            for (const id of replaced) {
                writeVector(db, index, id, vectorOf(id + 100_000));
            }
        });
    }, 60_000);

    afterAll(async () => {
        await disposeArchiveTestContainer(container);
        temp.remove();
    });

    it('exports every stored vector exactly as vec0 has it, and none that was deleted', async () => {
        const file = path.join(temp.folder, 'many.imageparser-export');
        const steps: number[] = [];
        const report = await container.get<ArchiveExporter>(ArchiveExporter).export({ file, scope: { kind: 'archive' }, includeMedia: false },
            progress => progress.step === 'vectors' && steps.push(progress.total), new AbortController().signal);
        expect(report.assets).toBe(ASSETS);
        expect(report.vectors).toBe(ASSETS - deleted.length);
        // Chunk by chunk (a few steps), not one lookup batch per 500 assets.
        expect(steps.length).toBeLessThan(ASSETS / 500);
        const db = new BetterSqlite3(file, { readonly: true });
        try {
            const rows = db.prepare(`SELECT asset_id, embedding FROM ${VECTORS_TABLE} WHERE index_name = ? ORDER BY asset_id`).all(index) as { asset_id: number; embedding: Buffer }[];
            expect(rows.map(row => row.asset_id)).toEqual(Array.from({ length: ASSETS }, (_, i) => i + 1).filter(id => !deleted.includes(id)));
            for (const row of rows) {
                const expected = vectorOf(replaced.includes(row.asset_id) ? row.asset_id + 100_000 : row.asset_id);
                expect(row.embedding.equals(Buffer.from(expected.buffer)), `asset ${row.asset_id}`).toBe(true);
            }
        } finally {
            db.close();
        }
    });
    it('writes a large export with 64 KB pages (a small one with 4 KB pages) and the importer reads it whole', async () => {
        const large = path.join(temp.folder, 'large.imageparser-export');
        const small = path.join(temp.folder, 'small.imageparser-export');
        const exporter = container.get<ArchiveExporter>(ArchiveExporter);
        await exporter.export({ file: large, scope: { kind: 'archive' }, includeMedia: false }, () => undefined, new AbortController().signal);
        await exporter.export({ file: small, scope: { kind: 'assets', assetIds: [1, 2, 3] }, includeMedia: false }, () => undefined, new AbortController().signal);
        const pageSize = (file: string) => {
            const db = new BetterSqlite3(file, { readonly: true });
            try {
                return db.pragma('page_size', { simple: true });
            } finally {
                db.close();
            }
        };
        expect(pageSize(large)).toBe(65536);
        expect(pageSize(small)).toBe(4096);
        const target = createTransferContainer(path.join(temp.folder, 'imported'));
        try {
            const report = await importInto(target, { file: large });
            expect(report.assetsAdded).toBe(ASSETS);
            expect(report.vectorsAdded).toBe(ASSETS - deleted.length);
        } finally {
            await disposeArchiveTestContainer(target);
        }
    });
});

describe('a chunk\'s validity bitmap', () => {
    it('counts as all valid only when every slot up to the last chosen one has its bit set (else SQL checks each slot)', () => {
        expect(allBitsSet(Uint8Array.of(0xff, 0xff), 15)).toBe(true);
        expect(allBitsSet(Uint8Array.of(0xff, 0x07), 10)).toBe(true);
        expect(allBitsSet(Uint8Array.of(0xff, 0x07), 11)).toBe(false);
        // A cleared bit below the last chosen slot (a deleted vector's slot).
        expect(allBitsSet(Uint8Array.of(0xfb, 0xff), 9)).toBe(false);
        expect(allBitsSet(Uint8Array.of(0xff, 0xfe), 8)).toBe(false);
        // A slot beyond the bitmap, or no slot at all.
        expect(allBitsSet(Uint8Array.of(0xff), 8)).toBe(false);
        expect(allBitsSet(Uint8Array.of(0xff), -1)).toBe(false);
    });
});
