import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { Layer, Psd, readPsd } from 'ag-psd';
import { describe, expect, it } from 'vitest';
import { flattenLayers } from './psd-layers';
import { convertDotGainGrayToSrgb, linearToSrgb } from './psd-merged-image';
import { compositeLayers, readLayeredPsd, renderSingleLayer, RenderedLayers } from './layer-compositor';
import { PSD_COLOR_MODES, readPsdHeader } from './psd-header';
import { RenderNote, STORED_PIXEL_NOTES } from './render-note';
import { ensureImageDataFactory } from './image-data';

const corpus = path.resolve(__dirname, '../../../../shared/corpus/psd');
const WITHIN = 3;

/**
 * Corpus files whose layers ag-psd cannot read although their colour mode
 * is RGB or grayscale, with what the compositor must say. Every other RGB
 * or grayscale file must be read; CMYK, Lab, multichannel and duotone ones
 * must be refused with the colour mode named.
 */
const KNOWN_UNREADABLE: Readonly<Record<string, RegExp>> = {
    'colormodes/4x4_8bit_index_color.psd': /layers cannot be read: Compression not supported: 0/,
    'vector-mask2.psd': /layers cannot be read: Invalid layer size/
};

/**
 * Corpus files whose rendering is known to differ from the composite
 * Photoshop stored, each with its reason and the MAE (/255) it must stay
 * under; every other file reported exact must render within {@link WITHIN}.
 * The 16- and 32-bit 4x4 files hold a reflected gradient fill layer saved
 * without pixels (the 8-bit one has its pixels), drawn from its description:
 * Photoshop lays that gradient out along the diagonal although the file says
 * 30 degrees, so the geometry differs (not the 16-to-8-bit conversion:
 * 16bit5x5.psd renders within 1/255). 300dpi is a 32-bit document with two
 * shape layers saved without pixels, likewise drawn from their vector
 * description (32bit5x5.psd, whose layers have pixels, renders within 1/255).
 */
const KNOWN_GAPS: Readonly<Record<string, number>> = {
    '300dpi.psb': 8.5,
    '300dpi.psd': 8.5,
    'colormodes/4x4_16bit_grayscale.psd': 15.5,
    'colormodes/4x4_16bit_rgb.psd': 23,
    'colormodes/4x4_32bit_grayscale.psd': 36,
    'colormodes/4x4_32bit_rgb.psd': 34.5
};

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

/**
 * The composite Photoshop stored in the file, as 8-bit sRGB like toRgba8;
 * undefined unless Photoshop wrote the file with real merged data ("Maximize
 * Compatibility"), as its version info says.
 */
function storedComposite(bytes: Uint8Array): Rgba | undefined {
    // Each test stands alone: reading the stored composite needs the ImageData factory, whichever test runs first.
    ensureImageDataFactory();
    const stored = readPsd(bytes, { useImageData: true, skipLayerImageData: true, skipThumbnail: true, skipLinkedFilesData: true });
    const version = stored.imageResources?.versionInfo;
    const image = stored.imageData;
    if (!image || !version?.hasRealMergedData || !version.writerName.startsWith('Adobe Photoshop')) {
        return undefined;
    }
    const depth = stored.bitsPerChannel ?? 8;
    const transparent = mergedHasTransparency(bytes);
    let data: Uint8Array = new Uint8Array(image.width * image.height * 4);
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
    return { width: image.width, height: image.height, data };
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
        + (outside.length ? `; outside: ${outside.join(', ')}` : '') + (skipped ? `; ${skipped} skipped (sizes differ, or no Photoshop composite)` : '');
}

/** Whether the notes only say pixels are drawn as the file stores them, which is what Photoshop shows until it re-renders. */
function reportedExact(notes: readonly RenderNote[]): boolean {
    return notes.every(note => STORED_PIXEL_NOTES.includes(note.code));
}

function meanOf(scores: readonly Scored[]): number {
    return scores.reduce((sum, score) => sum + score.mae, 0) / Math.max(1, scores.length);
}

/** The layers of every corpus file whose colour mode has readable layers; throws what the compositor says about any other. */
function* readCorpus(): Generator<{ name: string; bytes: Buffer; psd: Psd }> {
    for (const file of corpusFiles()) {
        const name = path.relative(corpus, file);
        const bytes = fs.readFileSync(file);
        const mode = PSD_COLOR_MODES[readPsdHeader(bytes).colorMode];
        if (KNOWN_UNREADABLE[name]) {
            expect(() => readLayeredPsd(bytes), name).toThrow(KNOWN_UNREADABLE[name]);
        } else if (!['rgb', 'grayscale', 'bitmap', 'indexed'].includes(mode)) {
            expect(() => readLayeredPsd(bytes), name).toThrow(/document cannot be composited; only RGB and grayscale documents can/);
        } else {
            yield { name, bytes, psd: readLayeredPsd(bytes) };
        }
    }
}

describe('the layer compositor', () => {
    it('renders the corpus files with only normal blending as Photoshop does', async () => {
        const againstPng: Scored[] = [];
        const againstStored: Scored[] = [];
        const claimedExact: Scored[] = [];
        let pngSkipped = 0;
        let storedSkipped = 0;
        let read = 0;
        for (const { name, bytes, psd } of readCorpus()) {
            read++;
            if (!psd.children?.length) {
                continue;
            }
            const rendered = compositeLayers(psd);
            const stored = storedComposite(bytes);
            if (stored && reportedExact(rendered.approximations)) {
                claimedExact.push({ name, mae: meanAbsoluteError(rendered, stored) });
            }
            if (!onlyNormalBlending(psd)) {
                continue;
            }
            const png = siblingPng(path.join(corpus, name));
            if (png) {
                const reference = await readPng(png, psd.width, psd.height);
                if (reference) {
                    againstPng.push({ name, mae: meanAbsoluteError(rendered, reference) });
                } else {
                    pngSkipped++;
                }
            }
            if (stored) {
                againstStored.push({ name, mae: meanAbsoluteError(rendered, stored) });
            } else {
                storedSkipped++;
            }
        }
        // Each file is read or refused as named above: none is skipped silently.
        expect(read).toBe(corpusFiles().length - 20);
        expect(read).toBeGreaterThanOrEqual(250);
        console.log(summary('Photoshop', againstPng, pngSkipped));
        console.log(summary('the composite Photoshop stored in the file', againstStored, storedSkipped));
        console.log(summary('the stored composite, any file reported exact', claimedExact, 0)
            .replace('files with only normal blending', 'files with no approximation reported'));
        expect(againstPng.length).toBeGreaterThan(0);
        expect(againstPng.filter(score => score.mae > WITHIN)).toEqual([]);
        expect(againstStored.length).toBeGreaterThanOrEqual(40);
        expect(claimedExact.length).toBeGreaterThanOrEqual(133);
        for (const scores of [againstStored, claimedExact]) {
            // Every file within 3/255 but the known gaps, each of those under its own bound.
            expect(scores.filter(score => score.mae > (KNOWN_GAPS[score.name] ?? WITHIN)).map(score => `${score.name} ${score.mae.toFixed(2)}`)).toEqual([]);
            const others = scores.filter(score => KNOWN_GAPS[score.name] === undefined);
            expect(meanOf(others)).toBeLessThanOrEqual(0.35);
            expect(meanOf(scores)).toBeLessThanOrEqual(1.1);
        }
    }, 180_000);
});

describe('layer visibility', () => {
    const records = (psd: Psd) => flattenLayers(psd.children ?? []);
    const idxOf = (psd: Psd, name: string) => records(psd).find(record => record.name === name)!.idx;

    it('changes the pixels when a visible layer is hidden, and not when a layer hidden in the file is', () => {
        const psd = load('hidden-layer.psd');
        const original = compositeLayers(psd);
        const visible = idxOf(psd, 'Shape 1'), hiddenInFile = idxOf(psd, 'Shape 2');
        expect(psd.children!.find(layer => layer.name === 'Shape 2')!.hidden).toBe(true);
        expect(changedPixels(original, compositeLayers(psd, { hidden: [visible] }))).toBeGreaterThan(0);
        expect(changedPixels(original, compositeLayers(psd, { hidden: [hiddenInFile] }))).toBe(0);
        expect(changedPixels(original, compositeLayers(psd, { shown: [hiddenInFile] }))).toBeGreaterThan(0);
    });

    it('hides each of several visible pixel layers on request', () => {
        const psd = load('2layers.psd');
        const original = compositeLayers(psd);
        for (const record of records(psd)) {
            expect(record.visible).toBe(true);
            expect(changedPixels(original, compositeLayers(psd, { hidden: [record.idx] })), record.name).toBeGreaterThan(0);
        }
    });

    it('solos a layer as renderSingleLayer draws it, placed at its bounds, transparent elsewhere', () => {
        const psd = load('2layers.psd');
        const record = records(psd).find(layer => layer.name === 'Слой')!;
        const solo = compositeLayers(psd, { solo: record.idx });
        const single = renderSingleLayer(psd, record.idx)!;
        const { left, top } = record.bounds!;
        expect([single.width, single.height]).toEqual([record.bounds!.right - left, record.bounds!.bottom - top]);
        let outside = 0, mismatched = 0;
        for (let y = 0; y < solo.height; y++) {
            for (let x = 0; x < solo.width; x++) {
                const at = (y * solo.width + x) * 4;
                const inside = x >= left && y >= top && x - left < single.width && y - top < single.height;
                if (!inside) {
                    outside += solo.data[at + 3];
                    continue;
                }
                const from = ((y - top) * single.width + x - left) * 4;
                for (let c = 0; c < 4; c++) {
                    mismatched += solo.data[at + c] === single.data[from + c] ? 0 : 1;
                }
            }
        }
        expect(outside).toBe(0);
        expect(mismatched).toBe(0);
        expect(changedPixels(solo, compositeLayers(psd))).toBeGreaterThan(0);
    });

    it('solos a group with its visible children only', () => {
        const psd = load('hidden-groups.psd');
        const group = records(psd).find(record => record.kind === 'group' && record.visible)!;
        const soloed = compositeLayers(psd, { solo: group.idx });
        const others = records(psd).filter(record => record.idx !== group.idx && record.parentIdx !== group.idx).map(record => record.idx);
        expect(changedPixels(soloed, compositeLayers(psd, { hidden: others }))).toBe(0);
    });

    it('clips layers to their base: matches Photoshop, and hiding the base hides what is clipped to it', () => {
        const bytes = fs.readFileSync(path.join(corpus, 'clipping-mask.psd'));
        const psd = readLayeredPsd(bytes);
        const clipped = records(psd).find(record => record.clipping)!;
        const base = records(psd).find(record => record.parentIdx === clipped.parentIdx && record.idx === clipped.idx + 1)!;
        expect(base.clipping).toBe(false);
        const rendered = compositeLayers(psd);
        expect(meanAbsoluteError(rendered, storedComposite(bytes)!)).toBeLessThanOrEqual(WITHIN);
        expect(changedPixels(rendered, compositeLayers(psd, { hidden: [clipped.idx] }))).toBeGreaterThan(0);
        const withoutBase = compositeLayers(psd, { hidden: [base.idx] });
        expect(changedPixels(withoutBase, compositeLayers(psd, { hidden: [base.idx, clipped.idx] }))).toBe(0);
        expect(changedPixels(withoutBase, rendered)).toBeGreaterThan(0);
    });

    it('renders one layer as a thumbnail of its bounds, and nothing for a layer without pixels', () => {
        const psd = load('layers/curves.psd');
        const adjustment = records(psd).find(record => record.kind === 'adjustment')!;
        expect(renderSingleLayer(psd, adjustment.idx)).toBeUndefined();
        expect(compositeLayers(psd).approximations).toEqual([{ code: 'adjustmentsNotApplied' }]);
        expect(() => compositeLayers(psd, { solo: 99 })).toThrow(RangeError);
    });
});

describe('bit depths, colour modes and speed', () => {
    it('matches Photoshop on 16- and 32-bit documents', () => {
        for (const name of ['16bit5x5.psd', '32bit5x5.psd']) {
            const bytes = fs.readFileSync(path.join(corpus, name));
            expect(meanAbsoluteError(compositeLayers(readLayeredPsd(bytes)), storedComposite(bytes)!), name).toBeLessThanOrEqual(1);
        }
    });

    it('says clearly when a colour mode has no readable layers', () => {
        expect(() => load('blend-modes/cmyk-blend-modes.psd')).toThrow(/CMYK document cannot be composited/);
        expect(() => readLayeredPsd(new Uint8Array(10))).toThrow(/cannot be read/);
    });
});

describe('blend modes', () => {
    /** Each blend-mode sample (CMYK's cannot be composited) with the MAE it must stay under: 3/255, or for modes drawn as normal their own bound. */
    const BOUNDS: Readonly<Record<string, number>> = { 'dissolve.psd': 75, 'hard-mix.psd': 18.5, 'gray-blend-modes.psd': 1.1, 'rgb-blend-modes.psd': 1.55 };
    /** The modes each sample draws as normal, and says so; none for the others. */
    const AS_NORMAL: Readonly<Record<string, readonly string[]>> = {
        'dissolve.psd': ['dissolve'], 'hard-mix.psd': ['hard mix'], 'gray-blend-modes.psd': ['dissolve', 'hard mix'], 'rgb-blend-modes.psd': ['dissolve', 'hard mix']
    };

    /** Samples without a composite from Photoshop to compare with (cut short before it): rendered, not compared. */
    const WITHOUT_COMPOSITE = ['group-divider-blend-mode.psd'];

    it('draws the blend modes it knows as Photoshop does, and says which it draws as normal', () => {
        const folder = path.join(corpus, 'blend-modes');
        const names = fs.readdirSync(folder).filter(file => /\.psd$/.test(file) && !file.startsWith('cmyk')).sort();
        const results: string[] = [];
        for (const name of names) {
            const bytes = fs.readFileSync(path.join(folder, name));
            const stored = storedComposite(bytes);
            const psd = readLayeredPsd(bytes);
            const rendered = compositeLayers(psd);
            if (WITHOUT_COMPOSITE.includes(name)) {
                expect(stored, name).toBeUndefined();
                expect(rendered.width * rendered.height, name).toBeGreaterThan(0);
                continue;
            }
            expect(stored, `${name} has Photoshop's composite`).toBeDefined();
            const mae = meanAbsoluteError(rendered, stored!);
            const drawnAsNormal = rendered.approximations.filter(note => note.code === 'blendModeApproximated').map(note => note.params!.mode).sort();
            results.push(`${name.replace('.psd', '')} ${mae.toFixed(2)}${drawnAsNormal.length ? ` (as normal: ${drawnAsNormal.join(', ')})` : ''}`);
            expect(drawnAsNormal, name).toEqual(AS_NORMAL[name] ?? []);
            expect(rendered.approximations.filter(note => note.code !== 'blendModeApproximated' && !STORED_PIXEL_NOTES.includes(note.code)), name).toEqual([]);
            expect(mae, name).toBeLessThanOrEqual(BOUNDS[name] ?? WITHIN);
        }
        console.log(`blend modes vs Photoshop (MAE/255): ${results.join('; ')}`);
        // Run alone or with the others, the test compares every sample: 30 of them, dissolve and hard mix among them.
        expect(results.length).toBe(30);
        expect(names.length).toBe(results.length + WITHOUT_COMPOSITE.length);
        expect(names).toEqual(expect.arrayContaining(Object.keys(BOUNDS)));
    });
});
