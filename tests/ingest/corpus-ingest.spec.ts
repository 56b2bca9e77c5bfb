import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Container } from '@theia/core/shared/inversify';
import { ArchiveIngester } from '../../extensions/archive-core/src/node/ingest/archive-ingester';
import { ArchiveStore } from '../../extensions/archive-core/src/node/store/archive-store';
import { IngestProgress } from '../../extensions/archive-core/src/common/ingest-protocol';
import { createArchiveTestContainer, disposeArchiveTestContainer, makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';

const corpus = path.resolve(__dirname, '../../../shared/corpus');

/** Mean absolute difference (0-255) of two images flattened over white and scaled to 64 x 64 sRGB. */
async function meanAbsoluteError(a: Buffer | string, b: Buffer | string): Promise<number> {
    const pixels = (input: Buffer | string) => sharp(input).flatten({ background: '#ffffff' }).resize(64, 64, { fit: 'fill' }).toColourspace('srgb').raw().toBuffer();
    const [x, y] = await Promise.all([pixels(a), pixels(b)]);
    let sum = 0;
    for (let i = 0; i < x.length; i++) {
        sum += Math.abs(x[i] - y[i]);
    }
    return sum / x.length;
}

/**
 * Previews known to differ from Photoshop's rendering beside them, with the
 * error (/255) each must stay under. Both are CMYK documents with adjustment
 * layers: their stored composite is converted to sRGB through libvips' CMYK
 * profile rather than the document's own, and a threshold or posterize image
 * is nearly all saturated ink, where profiles differ most.
 */
const KNOWN_GAPS: Readonly<Record<string, number>> = {
    'psd/adjustments/posterize_16bits_cmyk.psd': 11,
    'psd/adjustments/threshold_cmyk.psd': 15.5
};

describe('indexing the shared corpus', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let container: Container;
    let result: IngestProgress;

    beforeAll(async () => {
        temp = makeTempFolder();
        container = createArchiveTestContainer(temp.folder);
        const ingester = container.get<ArchiveIngester>(ArchiveIngester);
        result = await ingester.finished(await ingester.start(corpus));
    }, 600_000);

    afterAll(async () => {
        await disposeArchiveTestContainer(container);
        temp.remove();
    });

    it('indexes every file or records a clear per-file error', async () => {
        const { database } = await container.get<ArchiveStore>(ArchiveStore).open();
        const files = database.reader.prepare('SELECT path, state, error_code, error FROM files').all() as { path: string; state: string; error_code: string | null; error: string | null }[];
        const failed = files.filter(file => file.state === 'failed');
        console.log(`corpus: ${result.indexed} indexed, ${result.failed} failed`);
        for (const file of failed) {
            console.log(`  ${path.relative(corpus, file.path)}: ${file.error_code}: ${file.error}`);
        }
        expect(result.state).toBe('done');
        expect(files.length).toBeGreaterThan(380);
        expect(result.total).toBe(files.length);
        expect(files.every(file => file.state === 'indexed' || file.state === 'failed')).toBe(true);
        expect(result.indexed + result.failed).toBe(result.total);
        for (const file of failed) {
            expect(file.error_code, file.path).toMatch(/^[a-z-]+$/);
            expect(file.error!.length, file.path).toBeGreaterThan(15);
        }
        // The deliberately broken files fail, each with its own reason.
        const reasonOf = (name: string) => failed.find(file => file.path.endsWith(name))?.error_code;
        expect(reasonOf('raster/truncated.jpg')).toBe('truncated');
        expect(reasonOf('raster/corrupt-header.jpg')).toBe('corrupt');
        expect(reasonOf('raster/65536-uint32-limit.png')).toBe('too-large');
        expect(failed.length).toBeLessThanOrEqual(8);
    });

    it('stores layer trees, text, metadata, thumbnails, descriptors and phase states for indexed assets', async () => {
        const { database, media } = await container.get<ArchiveStore>(ArchiveStore).open();
        const db = database.reader;
        const asset = db.prepare(`SELECT a.* FROM assets a JOIN files f ON f.asset_id = a.id WHERE f.path = ?`).get(path.join(corpus, 'psd/layer_params.psd')) as Record<string, unknown>;
        expect(asset).toMatchObject({ kind: 'psd', color_mode: 'rgb', bit_depth: 8 });
        const layers = db.prepare('SELECT name, kind, visible FROM layers WHERE asset_id = ? ORDER BY idx').all(asset.id);
        expect(layers.length).toBe(asset.layer_count);
        expect(layers.map(layer => (layer as { name: string }).name)).toContain('Фон');
        expect(db.prepare("SELECT count(*) FROM layers WHERE kind = 'text' AND text IS NOT NULL AND text != ''").pluck().get()).toBeGreaterThan(0);
        expect(db.prepare("SELECT count(*) FROM layers WHERE kind = 'group'").pluck().get()).toBeGreaterThan(0);
        const assets = db.prepare('SELECT id, thumbnail_hash, preview_hash, phash FROM assets').all() as { id: number; thumbnail_hash: string; preview_hash: string; phash: string }[];
        for (const row of assets) {
            expect(media.has(row.thumbnail_hash) && media.has(row.preview_hash), `media of asset ${row.id}`).toBe(true);
            expect(row.phash).toMatch(/^[0-9a-f]{16}$/);
        }
        const thumbnail = await sharp(media.pathOf(assets[0].thumbnail_hash)).metadata();
        expect(thumbnail.format).toBe('webp');
        expect(Math.max(thumbnail.width!, thumbnail.height!)).toBeLessThanOrEqual(256);
        expect(db.prepare("SELECT count(*) FROM phase_states WHERE phase = 'parse' AND state = 'done'").pluck().get()).toBe(assets.length);
        const vectorTable = db.prepare("SELECT name FROM vector_indexes WHERE model = 'builtin-colour-v1'").pluck().get() as string;
        expect(db.prepare(`SELECT count(*) FROM ${vectorTable}`).pluck().get()).toBe(assets.length);
    });

    it('converts CMYK, Lab, 16- and 32-bit documents and EXIF orientations to correct sRGB thumbnails', async () => {
        const { database, media } = await container.get<ArchiveStore>(ArchiveStore).open();
        const preview = (relative: string) => {
            const hash = database.reader.prepare('SELECT a.preview_hash FROM assets a JOIN files f ON f.asset_id = a.id WHERE f.path = ?')
                .pluck().get(path.join(corpus, relative)) as string;
            return media.pathOf(hash);
        };
        // Every EXIF orientation of the same photo looks the same once applied.
        const upright = await sharp(preview('raster/Landscape_1.jpg')).metadata();
        for (let orientation = 2; orientation <= 8; orientation++) {
            const rotated = preview(`raster/Landscape_${orientation}.jpg`);
            expect((await sharp(rotated).metadata()).width, `orientation ${orientation}`).toBe(upright.width);
            expect(await meanAbsoluteError(rotated, preview('raster/Landscape_1.jpg')), `orientation ${orientation}`).toBeLessThan(12);
        }
        // The same 4x4 document in 8-bit RGB, CMYK and Lab, 16-bit RGB too, renders alike.
        const reference = preview('psd/colormodes/4x4_8bit_rgb.psd');
        const variants = ['4x4_8bit_cmyk.psd', '4x4_8bit_lab.psd', '4x4_16bit_rgb.psd', '4x4_16bit_cmyk.psd', '4x4_16bit_lab.psd', '4x4_32bit_rgb.psd'];
        for (const variant of variants) {
            // Each variant is in the corpus and indexed: a missing one fails here rather than passing unchecked.
            expect(await meanAbsoluteError(preview(`psd/colormodes/${variant}`), reference), variant).toBeLessThan(25);
        }
    });

    it('renders PSD composites that match Photoshop\'s own reference renderings', async () => {
        const { database, media } = await container.get<ArchiveStore>(ArchiveStore).open();
        // Every PSD/PSB of the corpus with Photoshop's rendering beside it (X.png), found on disk: one that failed to index fails here.
        const psds = (fs.readdirSync(path.join(corpus, 'psd'), { recursive: true }) as string[])
            .filter(name => /\.ps[db]$/i.test(name))
            .map(name => path.join(corpus, 'psd', name))
            .filter(file => fs.existsSync(file.replace(/\.ps[db]$/i, '.png')));
        const previewOf = database.reader.prepare('SELECT a.preview_hash FROM files f JOIN assets a ON a.id = f.asset_id WHERE f.path = ?').pluck();
        const tolerance = 10;
        const scores = await Promise.all(psds.map(async file => {
            const hash = previewOf.get(file) as string | undefined;
            expect(hash, `${file} is indexed`).toBeDefined();
            return { name: path.relative(corpus, file), error: await meanAbsoluteError(media.pathOf(hash!), file.replace(/\.ps[db]$/i, '.png')) };
        }));
        const matching = scores.filter(score => score.error <= tolerance);
        const mean = scores.reduce((sum, score) => sum + score.error, 0) / scores.length;
        console.log(`composites: ${matching.length} of ${scores.length} within a mean absolute error of ${tolerance}/255 (64 x 64 sRGB over white); mean ${mean.toFixed(2)}`);
        for (const score of scores.filter(s => s.error > tolerance)) {
            console.log(`  ${score.name}: ${score.error.toFixed(1)}`);
        }
        expect(scores.length).toBe(40);
        // Every composite within the tolerance but the known gaps, each under its own bound.
        expect(scores.filter(score => score.error > (KNOWN_GAPS[score.name] ?? tolerance)).map(score => `${score.name} ${score.error.toFixed(1)}`)).toEqual([]);
        expect(mean).toBeLessThanOrEqual(3.9);
    });
});
