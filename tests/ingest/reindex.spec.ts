import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Container } from '@theia/core/shared/inversify';
import { ArchiveIngester } from '../../extensions/archive-core/src/node/ingest/archive-ingester';
import { ParsePool, WorkerThreadParsePool } from '../../extensions/archive-core/src/node/ingest/parse-pool';
import { ArchiveStore } from '../../extensions/archive-core/src/node/store/archive-store';
import { createArchiveTestContainer, disposeArchiveTestContainer, makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';

/** The real pool, counting what it is asked to do. */
class CountingParsePool extends WorkerThreadParsePool {
    hashed: string[] = [];
    parsed: string[] = [];
    override hash(file: string) {
        this.hashed.push(file);
        return super.hash(file);
    }
    override parse(file: string, withHash?: boolean) {
        this.parsed.push(file);
        if (withHash) {
            // Read once, hashed while parsed: it counts as hashed too.
            this.hashed.push(file);
        }
        return super.parse(file, withHash);
    }
}

function colourOf(i: number): { r: number; g: number; b: number } {
    return { r: (i * 37) % 256, g: (i * 91) % 256, b: Math.floor(i / 4) % 256 };
}

describe('re-indexing a folder of 1,000 files', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let art: string;
    let container: Container;
    let pool: CountingParsePool;

    const run = async () => {
        const ingester = container.get<ArchiveIngester>(ArchiveIngester);
        return ingester.finished(await ingester.start(art));
    };

    beforeAll(async () => {
        temp = makeTempFolder();
        art = path.join(temp.folder, 'art');
        for (let i = 0; i < 1000; i++) {
            const folder = path.join(art, `set-${Math.floor(i / 100)}`);
            fs.mkdirSync(folder, { recursive: true });
            await sharp({ create: { width: 24, height: 16, channels: 3, background: colourOf(i) } }).png().toFile(path.join(folder, `tile-${i}.png`));
        }
        container = createArchiveTestContainer(path.join(temp.folder, 'archive'));
        pool = new CountingParsePool({ threads: 2 });
        container.rebind(ParsePool).toConstantValue(pool);
    }, 300_000);

    afterAll(async () => {
        await disposeArchiveTestContainer(container);
        temp.remove();
    });

    it('parses everything once, then exactly the 5 changed files', async () => {
        const first = await run();
        expect(first).toMatchObject({ state: 'done', total: 1000, indexed: 1000, failed: 0 });
        expect(pool.parsed.length).toBe(1000);

        pool.hashed = [];
        pool.parsed = [];
        const changed = [3, 250, 501, 777, 999].map(i => path.join(art, `set-${Math.floor(i / 100)}`, `tile-${i}.png`));
        for (const [n, file] of changed.entries()) {
            await sharp({ create: { width: 30, height: 20, channels: 3, background: { r: 1, g: 2 + n, b: 250 } } }).png().toFile(file);
        }
        const second = await run();
        expect(second).toMatchObject({ state: 'done', total: 5, indexed: 5, failed: 0 });
        expect(pool.parsed.sort()).toEqual(changed.sort());
        expect(pool.hashed.sort()).toEqual(changed.sort());

        pool.parsed = [];
        expect(await run()).toMatchObject({ state: 'done', total: 0 });
        expect(pool.parsed).toEqual([]);
    });

    it('keeps a renamed file\'s asset and tags, marks the old path missing, and makes copies one asset', async () => {
        const { database } = await container.get<ArchiveStore>(ArchiveStore).open();
        const db = database.writer;
        const original = path.join(art, 'set-1', 'tile-123.png');
        const assetId = db.prepare('SELECT asset_id FROM files WHERE path = ?').pluck().get(original) as number;
        database.write(w => {
            w.prepare("INSERT INTO tags (name) VALUES ('hero')").run();
            w.prepare("INSERT INTO asset_tags (asset_id, tag_id, source) VALUES (?, (SELECT id FROM tags WHERE name = 'hero'), 'user')").run(assetId);
        });

        const renamed = path.join(art, 'set-1', '영웅 hero-final.png');
        fs.renameSync(original, renamed);
        const copy = path.join(art, 'copies', 'tile-123-copy.png');
        fs.mkdirSync(path.dirname(copy));
        fs.copyFileSync(renamed, copy);
        pool.parsed = [];
        const result = await run();
        expect(result).toMatchObject({ state: 'done', total: 2, indexed: 2, failed: 0 });
        expect(pool.parsed).toEqual([]);

        expect(db.prepare('SELECT asset_id FROM files WHERE path = ?').pluck().get(renamed)).toBe(assetId);
        expect(db.prepare('SELECT asset_id FROM files WHERE path = ?').pluck().get(copy)).toBe(assetId);
        expect(db.prepare('SELECT state FROM files WHERE path = ?').pluck().get(original)).toBe('missing');
        expect(db.prepare('SELECT t.name FROM asset_tags a JOIN tags t ON t.id = a.tag_id WHERE a.asset_id = ?').pluck().all(assetId)).toEqual(['hero']);
        // The new name is searchable, in Korean too.
        expect(db.prepare('SELECT rowid FROM asset_text WHERE asset_text MATCH ?').pluck().all('"영웅 hero"')).toEqual([assetId]);
        expect(db.prepare('SELECT count(*) FROM assets').pluck().get()).toBe(1000 + 5);
    });
});
