import * as fs from 'fs';
import * as path from 'path';
import { execFile } from 'child_process';
import { promisify } from 'util';
import sharp from 'sharp';
import { initializeCanvas, Layer, readPsd } from 'ag-psd';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Container } from '@theia/core/shared/inversify';
import { ArchiveIngester } from '../../extensions/archive-core/src/node/ingest/archive-ingester';
import { DEFAULT_PARSE_LIMITS } from '@imageparser/psd';
import { fullImage } from '../../extensions/archive-core/src/node/media/full-image';
import { withRegularFile } from '../../extensions/archive-core/src/node/files/regular-file';
import { WorkerThreadRenderPool } from '../../extensions/archive-core/src/node/media/render-pool';
import { ArchiveStore } from '../../extensions/archive-core/src/node/store/archive-store';
import { createArchiveTestContainer, disposeArchiveTestContainer, makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';

const corpus = path.resolve(__dirname, '../../../shared/corpus');
/** Thumbnail against the layer explorer's full render: the same compositor, so only resampling and WebP differ. */
const RENDER_BOUND = 3;
/** Thumbnail against ImageMagick, for files whose every layer ImageMagick draws (pixel layers; no fill or shape layers without pixels, no mask feather or density). */
const IMAGEMAGICK_BOUND = 6;

interface Candidate {
    readonly file: string;
    readonly name: string;
    readonly why: string;
    /** Whether ImageMagick can draw every visible layer of it. */
    readonly imageMagickDraws: boolean;
}

function walk(folder: string): string[] {
    return fs.readdirSync(folder, { withFileTypes: true }).flatMap(entry =>
        entry.isDirectory() ? walk(path.join(folder, entry.name)) : [path.join(folder, entry.name)]);
}

/** Why a document's stored composite cannot be shown (missing, blank, or Photoshop's placeholder), read with ag-psd; undefined when it can. */
function missingComposite(file: string): { why: string; layers: Layer[] } | undefined {
    try {
        const psd = readPsd(fs.readFileSync(file), { useImageData: true, skipLayerImageData: true, skipThumbnail: true, skipLinkedFilesData: true });
        if (!psd.children?.length) {
            return undefined;
        }
        if (psd.imageResources?.versionInfo?.hasRealMergedData === false) {
            return { why: 'saved without a composite', layers: psd.children };
        }
        if (!psd.imageData) {
            return { why: 'no composite', layers: psd.children };
        }
        for (let i = 3; i < psd.imageData.data.length; i += 4) {
            if (psd.imageData.data[i] !== 0) {
                return undefined;
            }
        }
        return { why: 'blank composite', layers: psd.children };
    } catch {
        // Colour modes ag-psd does not read have no layers to draw either.
        return undefined;
    }
}

/** Whether ImageMagick draws every visible layer: pixel layers (and groups of them) without mask density or feather; it skips fill and shape layers saved without pixels. */
function imageMagickDraws(layers: readonly Layer[]): boolean {
    const hasPixels = (layer: Layer) => (layer.right ?? 0) > (layer.left ?? 0) && (layer.bottom ?? 0) > (layer.top ?? 0);
    return layers.every(layer => layer.hidden || (layer.children ? imageMagickDraws(layer.children) : hasPixels(layer) || !!layer.adjustment)
        && !layer.mask?.userMaskDensity && !layer.mask?.userMaskFeather);
}

/** RGB over white at a given size; mean absolute error over RGB, 0-255. */
async function rgb(input: Buffer | string, width: number, height: number): Promise<Buffer> {
    return sharp(input).flatten({ background: '#ffffff' }).resize(width, height, { fit: 'fill' }).toColourspace('srgb').removeAlpha().raw().toBuffer();
}

function meanAbsoluteError(a: Buffer, b: Buffer): number {
    let sum = 0;
    for (let i = 0; i < a.length; i++) {
        sum += Math.abs(a[i] - b[i]);
    }
    return sum / a.length;
}

/**
 * Every PSD of the shared corpus saved without "Maximize Compatibility" (or
 * with a missing or blank composite) is found by scanning, indexed, and its
 * thumbnail compared with the layer explorer's full render and with
 * ImageMagick's `convert 'file.psd[0]'`: the thumbnail is drawn from the
 * layers by the same compositor, never blank, never the placeholder.
 */
describe('PSDs whose stored composite is missing, blank or a placeholder', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let container: Container;
    let pool: WorkerThreadRenderPool;
    const candidates: Candidate[] = [];

    beforeAll(async () => {
        initializeCanvas(() => {
            throw new Error('no canvas');
        }, (width, height) => ({ width, height, data: new Uint8ClampedArray(width * height * 4), colorSpace: 'srgb' }) as ImageData);
        temp = makeTempFolder();
        const art = path.join(temp.folder, 'art');
        fs.mkdirSync(art);
        for (const file of walk(corpus).filter(name => /\.ps[db]$/i.test(name)).sort()) {
            const missing = missingComposite(file);
            if (missing) {
                const name = path.relative(corpus, file);
                const copy = path.join(art, name.replace(/[\\/]/g, '__'));
                fs.copyFileSync(file, copy);
                candidates.push({ file: copy, name, why: missing.why, imageMagickDraws: imageMagickDraws(missing.layers) });
            }
        }
        container = createArchiveTestContainer(path.join(temp.folder, 'archive'));
        const ingester = container.get<ArchiveIngester>(ArchiveIngester);
        await ingester.finished(await ingester.start(art));
        pool = new WorkerThreadRenderPool();
    }, 300_000);

    afterAll(async () => {
        await pool?.destroy();
        await disposeArchiveTestContainer(container);
        temp.remove();
    });

    it('draw their thumbnails from the layers as the layer explorer does, and as ImageMagick does where it can', async () => {
        const { database, media } = await container.get<ArchiveStore>(ArchiveStore).open();
        const lines: string[] = [];
        const failures: string[] = [];
        const empty: string[] = [];
        for (const candidate of candidates) {
            const render = await pool.run({ op: 'layers', file: candidate.file, visibility: {}, maxSize: 2048, limits: DEFAULT_PARSE_LIMITS });
            if (!render.ok) {
                failures.push(`${candidate.name}: the layer explorer cannot render it: ${render.error.message}`);
                continue;
            }
            const { data: renderAlpha } = await sharp(Buffer.from(render.bytes!)).ensureAlpha().extractChannel(3).raw().toBuffer({ resolveWithObject: true });
            const row = database.reader.prepare(`SELECT a.thumbnail_hash, a.preview_hash, f.error FROM files f LEFT JOIN assets a ON a.id = f.asset_id
                WHERE f.path = ?`).get(candidate.file) as { thumbnail_hash: string | null; preview_hash: string | null; error: string | null };
            if (renderAlpha.every(value => value === 0)) {
                // Layers that draw nothing (adjustments over nothing): the document is empty, and so is its thumbnail
                // (or, when its stored composite is cut short too, it fails with that reason).
                empty.push(row.thumbnail_hash ? candidate.name : `${candidate.name} (not indexed: ${row.error})`);
                continue;
            }
            if (!row.thumbnail_hash || !row.preview_hash) {
                failures.push(`${candidate.name}: not indexed: ${row.error}`);
                continue;
            }
            const thumbnail = fs.readFileSync(media.pathOf(row.thumbnail_hash));
            const { width = 0, height = 0 } = await sharp(thumbnail).metadata();
            const { data: alpha } = await sharp(thumbnail).ensureAlpha().extractChannel(3).raw().toBuffer({ resolveWithObject: true });
            const blank = alpha.every(value => value === 0);
            const thumbnailRgb = await rgb(thumbnail, width, height);
            const againstRender = meanAbsoluteError(thumbnailRgb, await rgb(Buffer.from(render.bytes!), width, height));
            // The preview and the Deep Zoom pyramid's full image come from the same composite.
            const renderRgb = await rgb(Buffer.from(render.bytes!), width, height);
            const preview = meanAbsoluteError(await rgb(media.pathOf(row.preview_hash), width, height), renderRgb);
            const full = meanAbsoluteError(await rgb(await withRegularFile(candidate.file, async opened => (await fullImage(opened, 'psd', DEFAULT_PARSE_LIMITS)).png().toBuffer()), width, height), renderRgb);
            if (preview > RENDER_BOUND || full > RENDER_BOUND) {
                failures.push(`${candidate.name}: preview vs layer render ${preview.toFixed(2)}, full image vs layer render ${full.toFixed(2)}`);
            }
            let againstImageMagick = '';
            const drawn = path.join(temp.folder, 'imagemagick.png');
            try {
                await promisify(execFile)('convert', [`${candidate.file}[0]`, drawn]);
                const error = meanAbsoluteError(thumbnailRgb, await rgb(drawn, width, height));
                againstImageMagick = candidate.imageMagickDraws ? `, ImageMagick ${error.toFixed(2)}` : `, ImageMagick ${error.toFixed(2)} (leaves out fill or shape layers or mask settings)`;
                if (candidate.imageMagickDraws && error > IMAGEMAGICK_BOUND) {
                    failures.push(`${candidate.name}: thumbnail vs ImageMagick ${error.toFixed(2)}`);
                }
            } catch (error) {
                againstImageMagick = `, ImageMagick cannot draw it: ${(error as { stderr?: string }).stderr?.trim().split('\n')[0] ?? String(error)}`;
            }
            lines.push(`  ${candidate.name} (${candidate.why}): MAE vs layer render ${againstRender.toFixed(2)} (preview ${preview.toFixed(2)}, `
                + `full image ${full.toFixed(2)})${againstImageMagick}${blank ? ', BLANK' : ''}`);
            if (blank) {
                failures.push(`${candidate.name}: blank thumbnail`);
            }
            if (againstRender > RENDER_BOUND) {
                failures.push(`${candidate.name}: thumbnail vs layer render ${againstRender.toFixed(2)}`);
            }
        }
        console.log(`${lines.length} PSDs needed a composite rendered from their layers; mean absolute error over RGB at thumbnail size `
            + `(bounds: ${RENDER_BOUND}/255 against the layer explorer's render, ${IMAGEMAGICK_BOUND}/255 against ImageMagick where it draws every layer):\n${lines.join('\n')}`
            + `\n${empty.length} more have a blank stored composite and layers that draw nothing either (empty documents): ${empty.join(', ')}`);
        expect(lines.length).toBeGreaterThanOrEqual(18);
        expect(failures).toEqual([]);
    }, 300_000);
});
