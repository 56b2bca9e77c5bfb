import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { Layer, Psd, readPsd } from 'ag-psd';
import { describe, expect, it } from 'vitest';
import { flattenLayers } from '../ingest/psd-parser';
import { convertDotGainGrayToSrgb, linearToSrgb } from '../ingest/psd-merged-image';
import { compositeLayers, readLayeredPsd, renderSingleLayer, RenderedLayers } from './layer-compositor';

const corpus = path.resolve(__dirname, '../../../../../../shared/corpus/psd');
const WITHIN = 3;

interface Rgba {
    readonly width: number;
    readonly height: number;
    readonly data: ArrayLike<number>;
}

function corpusFiles(): string[] {
    return (fs.readdirSync(corpus, { recursive: true }) as string[])
        .filter(name => /\.ps[db]$/i.test(name))
        .sort()
        .map(name => path.join(corpus, name));
}

function load(name: string): Psd {
    return readLayeredPsd(fs.readFileSync(path.join(corpus, name)));
}

function hasActiveEffects(layer: Layer): boolean {
    const effects = layer.effects;
    return !!effects && !effects.disabled && Object.values(effects).some(value => (Array.isArray(value) ? value : [value])
        .some(effect => typeof effect === 'object' && effect !== null && (effect as { enabled?: boolean }).enabled !== false));
}

/** The stated selection: 8/16-bit RGB or grayscale, visible layers only normal or pass through, no adjustments, effects or vector masks. */
function onlyNormalBlending(psd: Psd): boolean {
    if ((psd.colorMode !== 3 && psd.colorMode !== 1) || (psd.bitsPerChannel !== 8 && psd.bitsPerChannel !== 16)) {
        return false;
    }
    const clean = (layers: readonly Layer[]): boolean => layers.every(layer => layer.hidden || (
        (layer.blendMode === undefined || layer.blendMode === 'normal' || layer.blendMode === 'pass through')
        && !layer.adjustment && !hasActiveEffects(layer) && !(layer.vectorMask && !layer.vectorMask.disable)
        && clean(layer.children ?? [])));
    return clean(psd.children ?? []);
}

/** Whether the file's merged image carries transparency (a negative layer count), rather than a plain extra channel. */
function mergedHasTransparency(bytes: Uint8Array): boolean {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const large = view.getUint16(4) === 2;
    let at = 26;
    at += 4 + view.getUint32(at);
    at += 4 + view.getUint32(at);
    const sectionLength = large ? Number(view.getBigUint64(at)) : view.getUint32(at);
    at += large ? 8 : 4;
    if (sectionLength === 0) {
        return false;
    }
    const infoLength = large ? Number(view.getBigUint64(at)) : view.getUint32(at);
    return infoLength > 0 && view.getInt16(at + (large ? 8 : 4)) < 0;
}

/** The composite the file stores, as 8-bit sRGB like toRgba8; undefined when missing or flat (saved without Maximize Compatibility). */
function storedComposite(bytes: Uint8Array): Rgba | undefined {
    let stored: Psd;
    try {
        stored = readPsd(bytes, { useImageData: true, skipLayerImageData: true, skipThumbnail: true, skipLinkedFilesData: true });
    } catch {
        return undefined;
    }
    const image = stored.imageData;
    if (!image) {
        return undefined;
    }
    const depth = stored.bitsPerChannel ?? 8;
    const transparent = mergedHasTransparency(bytes);
    let data = new Uint8Array(image.width * image.height * 4);
    for (let i = 0; i < data.length; i++) {
        const value = image.data[i];
        const alpha = (i & 3) === 3;
        data[i] = alpha && !transparent ? 255
            : depth === 32 ? Math.round((alpha ? Math.max(0, Math.min(1, value)) : linearToSrgb(value)) * 255)
                : depth === 16 ? Math.round(value / 257) : value;
    }
    if (stored.colorMode === 1 && depth !== 32) {
        data = convertDotGainGrayToSrgb({ width: image.width, height: image.height, data }).data;
    }
    const flat = data.every((value, i) => value === data[i & 3]);
    return flat ? undefined : { width: image.width, height: image.height, data };
}

/** Photoshop's render beside the file: X.png, or X-photoshop.png. */
function siblingPng(file: string): string | undefined {
    const stem = file.replace(/\.ps[db]$/i, '');
    return [`${stem}.png`, `${stem}-photoshop.png`].find(candidate => fs.existsSync(candidate));
}

async function readPng(file: string, width: number, height: number): Promise<Rgba | undefined> {
    const meta = await sharp(file).metadata();
    if (!meta.width || !meta.height) {
        return undefined;
    }
    let image = sharp(file).ensureAlpha().toColourspace('srgb');
    if (meta.width !== width || meta.height !== height) {
        if (Math.abs(meta.width / meta.height - width / height) > 0.01) {
            return undefined;
        }
        image = image.resize(width, height, { fit: 'fill' });
    }
    const { data, info } = await image.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    return info.channels === 4 ? { width, height, data } : undefined;
}

/** Mean absolute difference per channel, 0-255, both flattened over white. */
function meanAbsoluteError(a: Rgba, b: Rgba): number {
    let sum = 0;
    for (let i = 0; i < a.width * a.height * 4; i += 4) {
        const alphaA = a.data[i + 3] / 255, alphaB = b.data[i + 3] / 255;
        for (let c = 0; c < 3; c++) {
            sum += Math.abs((a.data[i + c] * alphaA + 255 * (1 - alphaA)) - (b.data[i + c] * alphaB + 255 * (1 - alphaB)));
        }
    }
    return sum / (a.width * a.height * 3);
}

function changedPixels(a: RenderedLayers, b: RenderedLayers): number {
    let changed = 0;
    for (let i = 0; i < a.data.length; i += 4) {
        if (a.data[i] !== b.data[i] || a.data[i + 1] !== b.data[i + 1] || a.data[i + 2] !== b.data[i + 2] || a.data[i + 3] !== b.data[i + 3]) {
            changed++;
        }
    }
    return changed;
}

interface Scored {
    readonly name: string;
    readonly mae: number;
}

function summary(label: string, scores: readonly Scored[], skipped: number): string {
    const mean = scores.reduce((sum, score) => sum + score.mae, 0) / Math.max(1, scores.length);
    const within = scores.filter(score => score.mae <= WITHIN);
    const worst = [...scores].sort((a, b) => b.mae - a.mae)[0];
    const outside = scores.filter(score => score.mae > WITHIN).map(score => `${score.name} ${score.mae.toFixed(2)}`);
    return `layer rendering vs ${label}: ${scores.length} files with only normal blending; mean MAE ${mean.toFixed(2)}/255; `
        + `within ${WITHIN}/255: ${within.length} of ${scores.length}; worst: ${worst ? `${worst.name} ${worst.mae.toFixed(2)}` : 'none'}`
        + (outside.length ? `; outside: ${outside.join(', ')}` : '') + (skipped ? `; ${skipped} skipped (sizes or reference unusable)` : '');
}

describe('the layer compositor', () => {
    it('renders the corpus files with only normal blending as Photoshop does', async () => {
        const againstPng: Scored[] = [];
        const againstStored: Scored[] = [];
        let pngSkipped = 0;
        let storedSkipped = 0;
        for (const file of corpusFiles()) {
            const bytes = fs.readFileSync(file);
            let psd: Psd;
            try {
                psd = readLayeredPsd(bytes);
            } catch {
                continue;
            }
            if (!psd.children?.length || !onlyNormalBlending(psd)) {
                continue;
            }
            const name = path.relative(corpus, file);
            const rendered = compositeLayers(psd);
            const png = siblingPng(file);
            if (png) {
                const reference = await readPng(png, psd.width, psd.height);
                if (reference) {
                    againstPng.push({ name, mae: meanAbsoluteError(rendered, reference) });
                } else {
                    pngSkipped++;
                }
            }
            const stored = storedComposite(bytes);
            if (stored) {
                againstStored.push({ name, mae: meanAbsoluteError(rendered, stored) });
            } else {
                storedSkipped++;
            }
        }
        console.log(summary('Photoshop', againstPng, pngSkipped));
        console.log(summary('the composite Photoshop stored in the file', againstStored, storedSkipped));
        expect(againstPng.length).toBeGreaterThan(0);
        expect(againstPng.every(score => score.mae <= WITHIN)).toBe(true);
        expect(againstStored.length).toBeGreaterThanOrEqual(50);
        expect(againstStored.filter(score => score.mae <= WITHIN).length).toBeGreaterThanOrEqual(Math.ceil(againstStored.length * 0.9));
    });
});
