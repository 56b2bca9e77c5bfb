import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Container } from '@theia/core/shared/inversify';
import { writePsdBuffer } from 'ag-psd';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SearchService } from '../../extensions/archive-core/src/common/search-protocol';
import { ArchiveIngester } from '../../extensions/archive-core/src/node/ingest/archive-ingester';
import { ArchiveStore } from '../../extensions/archive-core/src/node/store/archive-store';
import { disposeArchiveTestContainer, makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { createTransferContainer, exportTo, importInto } from './transfer-archives';

/** A flat PSD of one colour: two of the same size differ only in their bytes' colour, so their lengths are equal. */
function writeFlatPsd(file: string, rgba: [number, number, number, number]): void {
    const data = new Uint8ClampedArray(64 * 48 * 4);
    for (let i = 0; i < data.length; i += 4) {
        data.set(rgba, i);
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, writePsdBuffer({ width: 64, height: 48, imageData: { width: 64, height: 48, data, colorSpace: 'srgb' } as unknown as ImageData }));
}

async function writeNoisePng(file: string, seed: number): Promise<void> {
    const noise = Buffer.alloc(40 * 30 * 3);
    let state = seed;
    for (let i = 0; i < noise.length; i++) {
        state = (state * 1103515245 + 12345) & 0x7fffffff;
        noise[i] = (state >> 16) & 0xff;
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await sharp(noise, { raw: { width: 40, height: 30, channels: 3 } }).png().toFile(file);
}

function sha256(file: string): string {
    return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** The files of a folder, relative and `/`-separated. */
function relativeFiles(folder: string): string[] {
    return (fs.readdirSync(folder, { recursive: true }) as string[]).filter(name => fs.statSync(path.join(folder, name)).isFile())
        .map(name => name.split(path.sep).join('/')).sort();
}

/**
 * An export made without folder paths, imported with `placeUnder` a copy of
 * the exported folder: its files are found in the copy's subfolders (two
 * of one name and size told apart by content), not recorded flat under it.
 */
describe('archive import of an export without paths', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let a: Container;
    let images: string;
    let exported: string;
    const others: Container[] = [];

    const archive = async (name: string) => {
        const container = createTransferContainer(path.join(temp.folder, name));
        others.push(container);
        return { container, reader: (await container.get<ArchiveStore>(ArchiveStore).open()).database.reader };
    };
    const copyOfImages = (name: string) => {
        const copy = path.join(temp.folder, name);
        fs.cpSync(images, copy, { recursive: true });
        return copy;
    };

    beforeAll(async () => {
        temp = makeTempFolder('imageparser-place-under-');
        images = path.join(temp.folder, 'images');
        // Twins: one name and one size in two subfolders, other content.
        writeFlatPsd(path.join(images, 'psd', 'sketch.psd'), [200, 40, 40, 255]);
        writeFlatPsd(path.join(images, 'psd', 'old', 'sketch.psd'), [40, 40, 200, 255]);
        writeFlatPsd(path.join(images, 'psd', 'only.psd'), [40, 200, 40, 255]);
        // Twins by name only: other sizes.
        await writeNoisePng(path.join(images, 'raster', 'cover.png'), 1);
        await writeNoisePng(path.join(images, 'raster', 'alt', 'cover.png'), 2);
        fs.writeFileSync(path.join(images, 'raster', 'alt', 'cover.png'), Buffer.concat([fs.readFileSync(path.join(images, 'raster', 'alt', 'cover.png')), Buffer.alloc(7)]));
        await writeNoisePng(path.join(images, 'raster', 'unique.png'), 3);
        a = createTransferContainer(path.join(temp.folder, 'a'));
        const ingester = a.get<ArchiveIngester>(ArchiveIngester);
        await ingester.finished(await ingester.start(images));
        exported = path.join(temp.folder, 'no-paths.imageparser-export');
        await exportTo(a, exported, { includePaths: false, includeMedia: false });
    }, 120_000);

    afterAll(async () => {
        for (const container of [a, ...others]) {
            await disposeArchiveTestContainer(container);
        }
        temp.remove();
    });

    it('finds every file at its real subfolder path in a copy of the folder, twins by content, and a later index adds nothing', async () => {
        const twins = ['psd/sketch.psd', 'psd/old/sketch.psd'].map(name => fs.statSync(path.join(images, name)).size);
        expect(twins[0]).toBe(twins[1]);
        const copy = copyOfImages('copy');
        const b = await archive('b');
        const report = await importInto(b.container, { file: exported, placeUnder: copy });
        const files = b.reader.prepare('SELECT f.path, f.state, a.content_hash FROM files f JOIN assets a ON a.id = f.asset_id ORDER BY f.path').all() as
            { path: string; state: string; content_hash: string }[];
        console.log(`place-under import: ${report.filesFound} found, ${report.filesNotFound} not found, ${report.conflicts.length} conflicts, `
            + `${files.length} file rows, ${files.filter(file => file.state === 'missing').length} missing`);
        expect(report).toMatchObject({ assetsAdded: 6, filesAdded: 6, filesFound: 6, filesNotFound: 0 });
        expect(report.conflicts).toEqual([]);
        expect(files.map(file => path.relative(copy, file.path).split(path.sep).join('/'))).toEqual(relativeFiles(images));
        expect(files.filter(file => file.state !== 'indexed')).toEqual([]);
        // Each row holds the content of the file at its path: the twins were not swapped.
        for (const file of files) {
            expect(file.content_hash, file.path).toBe(sha256(file.path));
        }
        expect(b.reader.prepare('SELECT path FROM roots').pluck().all()).toEqual([path.resolve(copy)]);

        const counts = () => b.reader.prepare('SELECT (SELECT count(*) FROM assets) AS assets, (SELECT count(*) FROM files) AS files, '
            + "(SELECT count(*) FROM files WHERE state = 'missing') AS missing").get();
        const before = counts();
        const ingester = b.container.get<ArchiveIngester>(ArchiveIngester);
        const run = await ingester.finished(await ingester.start(copy));
        console.log(`index after place-under import: ${JSON.stringify(before)} -> ${JSON.stringify(counts())}`);
        expect(run.state).toBe('done');
        expect(counts()).toEqual({ assets: 6, files: 6, missing: 0 });
    });

    it('records no file at a guessed path for one not under the folder: its asset arrives without a file and search shows it missing', async () => {
        const copy = copyOfImages('partial');
        fs.rmSync(path.join(copy, 'raster', 'unique.png'));
        // A same-named file in a hidden folder is not looked at, as the indexer does not look there.
        fs.mkdirSync(path.join(copy, '.cache'));
        fs.copyFileSync(path.join(images, 'raster', 'unique.png'), path.join(copy, '.cache', 'unique.png'));
        const c = await archive('c');
        const report = await importInto(c.container, { file: exported, placeUnder: copy });
        console.log(`partial place-under import: ${report.filesFound} found, ${report.filesNotFound} not found`);
        expect(report).toMatchObject({ assetsAdded: 6, filesAdded: 5, filesFound: 5, filesNotFound: 1 });
        const unique = sha256(path.join(images, 'raster', 'unique.png'));
        const assetId = c.reader.prepare('SELECT id FROM assets WHERE content_hash = ?').pluck().get(unique) as number;
        expect(c.reader.prepare('SELECT count(*) FROM files WHERE asset_id = ?').pluck().get(assetId)).toBe(0);
        expect(c.reader.prepare("SELECT count(*) FROM files WHERE path NOT LIKE ? OR state != 'indexed'").pluck().get(`${copy}${path.sep}%`)).toBe(0);
        const result = await c.container.get<SearchService>(SearchService).search({ text: '' });
        expect(result.hits).toHaveLength(6);
        expect(result.hits.filter(hit => hit.missing).map(hit => hit.assetId)).toEqual([assetId]);
    });
});
