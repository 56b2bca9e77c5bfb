import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { collectBands, compositeLayerBands, layerCapsProblem, measureLayerTree, ParseError, Psd, readLayeredPsd, readPsdHeader, renderSingleLayer, shrinkFactor } from '@imageparser/psd';
import { fullImage } from './full-image';
import type { RenderOutcome, RenderTask, RenderThreadTask } from './render-task';
import { RegularFile, withRegularFile } from '../files/regular-file';

/** System error codes that mean the file cannot be read as it is now (gone, not allowed, not a regular file). */
const UNREADABLE = new Set(['ENOENT', 'EACCES', 'EPERM', 'ENOTREG']);

/** The last PSD read with its layer pixels: toggling layers re-renders the same document many times. */
let cached: { key: string; psd: Psd } | undefined;

export default async function run(task: RenderThreadTask): Promise<RenderOutcome> {
    try {
        switch (task.op) {
            case 'pyramid': return await buildPyramid(task);
            case 'layers': return await renderLayers(task);
            case 'layer-thumbnail': return await renderLayerThumbnail(task);
        }
    } catch (error) {
        const code = error instanceof ParseError ? error.code : UNREADABLE.has((error as NodeJS.ErrnoException).code ?? '') ? 'unreadable' : 'corrupt';
        return { ok: false, error: { code, message: error instanceof Error ? error.message : String(error) } };
    }
}

async function buildPyramid(task: Extract<RenderThreadTask, { op: 'pyramid' }>): Promise<RenderOutcome> {
    return withRegularFile(task.file, opened => writePyramid(task, opened));
}

async function writePyramid(task: Extract<RenderThreadTask, { op: 'pyramid' }>, opened: RegularFile): Promise<RenderOutcome> {
    const image = await fullImage(opened, task.kind, task.limits);
    // Written beside the target and renamed into place, so a reader never sees half a pyramid.
    // The caller chose `temp` and removes it if this thread is stopped half-way.
    const temp = task.temp;
    await fs.promises.mkdir(temp, { recursive: true });
    try {
        const info = await image.webp({ quality: 85, effort: 1 }).tile({ size: 512, overlap: 1, layout: 'dz' }).toFile(path.join(temp, 'image'));
        try {
            await fs.promises.rename(temp, task.folder);
        } catch (error) {
            if (!fs.existsSync(path.join(task.folder, 'image.dzi'))) {
                throw error;
            }
        }
        return { ok: true, width: info.width, height: info.height };
    } finally {
        await fs.promises.rm(temp, { recursive: true, force: true });
    }
}

/** The document with its layer pixels: the kept one when it is this file, unchanged; kept for the next task when `keep` says so. */
async function layeredPsd(file: string, limits: RenderTask['limits'], keep: boolean): Promise<Psd> {
    return withRegularFile(file, async opened => {
        const key = `${file}\0${opened.stat.size}\0${opened.stat.mtimeMs}`;
        if (cached?.key === key) {
            return cached.psd;
        }
        cached = undefined;
        const psd = readCheckedPsd(await opened.readAll(), limits);
        if (keep) {
            cached = { key, psd };
        }
        return psd;
    });
}

/** The document with its layer pixels, once its size and its layer tree pass the limits. */
function readCheckedPsd(bytes: Buffer, limits: RenderTask['limits']): Psd {
    const header = readPsdHeader(bytes);
    if (header.width * header.height > limits.maxPixels) {
        throw new ParseError('too-large', `The document has ${header.width} x ${header.height} pixels, over the limit of ${limits.maxPixels.toLocaleString('en-US')}.`);
    }
    const psd = readLayeredPsd(bytes, limits.maxDecodeBytes);
    const tree = measureLayerTree(psd.children);
    const problem = layerCapsProblem(tree.count, tree.depth, limits);
    if (problem) {
        throw new ParseError('corrupt', problem);
    }
    return psd;
}

/** The composite, drawn a band at a time and reduced by a whole factor on the way when the document is far bigger than `maxSize`. */
async function renderLayers(task: Extract<RenderThreadTask, { op: 'layers' }>): Promise<RenderOutcome> {
    const psd = await layeredPsd(task.file, task.limits, !!task.keepLayers);
    const bands = compositeLayerBands(psd, task.visibility);
    const image = collectBands(bands, shrinkFactor(psd.width, psd.height, 2 * task.maxSize));
    const bytes = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } })
        .resize({ width: task.maxSize, height: task.maxSize, fit: 'inside', withoutEnlargement: true })
        .png({ compressionLevel: 2 })
        .toBuffer();
    return { ok: true, bytes, width: psd.width, height: psd.height, approximations: bands.approximations.list() };
}

async function renderLayerThumbnail(task: Extract<RenderThreadTask, { op: 'layer-thumbnail' }>): Promise<RenderOutcome> {
    const psd = await layeredPsd(task.file, task.limits, !!task.keepLayers);
    const rendered = renderSingleLayer(psd, task.idx, 2 * task.size);
    if (!rendered || !rendered.width || !rendered.height) {
        return { ok: true };
    }
    const bytes = await sharp(rendered.data, { raw: { width: rendered.width, height: rendered.height, channels: 4 } })
        .resize({ width: task.size, height: task.size, fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 80, effort: 1 })
        .toBuffer();
    return { ok: true, bytes, width: rendered.width, height: rendered.height };
}
