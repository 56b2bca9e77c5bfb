import { BlendMode, PixelArray } from 'ag-psd';

/**
 * The blend function B(Cb, Cs) of one blend mode for one pixel: the backdrop
 * colour (br, bg, bb) and the source colour (sr, sg, sb), all 0..1 on the
 * document's encoded values (8-bit sRGB in 8- and 16-bit documents, as
 * Photoshop blends), written into `out[0..2]`. Compositing with alpha,
 * `(1 - αb) Cs + αb B(Cb, Cs)`, is the caller's.
 */
export type PixelBlend = (br: number, bg: number, bb: number, sr: number, sg: number, sb: number, out: Float32Array) => void;

type ChannelBlend = (cb: number, cs: number) => number;

const screen: ChannelBlend = (cb, cs) => cb + cs - cb * cs;
const colorDodge: ChannelBlend = (cb, cs) => cb <= 0 ? 0 : cs >= 1 ? 1 : Math.min(1, cb / (1 - cs));
const colorBurn: ChannelBlend = (cb, cs) => cb >= 1 ? 1 : cs <= 0 ? 0 : 1 - Math.min(1, (1 - cb) / cs);
const hardLight: ChannelBlend = (cb, cs) => cs <= 0.5 ? cb * 2 * cs : screen(cb, 2 * cs - 1);

/** W3C Compositing Level 1 separable modes, plus Photoshop's own light and contrast modes. */
const CHANNEL_BLENDS: Partial<Record<BlendMode, ChannelBlend>> = {
    'multiply': (cb, cs) => cb * cs,
    'screen': screen,
    'overlay': (cb, cs) => hardLight(cs, cb),
    'darken': Math.min,
    'lighten': Math.max,
    'color dodge': colorDodge,
    'color burn': colorBurn,
    'linear burn': (cb, cs) => Math.max(0, cb + cs - 1),
    'linear dodge': (cb, cs) => Math.min(1, cb + cs),
    'hard light': hardLight,
    'soft light': (cb, cs) => cs <= 0.5
        ? cb - (1 - 2 * cs) * cb * (1 - cb)
        : cb + (2 * cs - 1) * ((cb <= 0.25 ? ((16 * cb - 12) * cb + 4) * cb : Math.sqrt(cb)) - cb),
    'difference': (cb, cs) => Math.abs(cb - cs),
    'exclusion': (cb, cs) => cb + cs - 2 * cb * cs,
    'subtract': (cb, cs) => Math.max(0, cb - cs),
    'divide': (cb, cs) => cs <= 0 ? (cb <= 0 ? 0 : 1) : Math.min(1, cb / cs),
    // Photoshop lets the source's extremes win here: black burns even white, white dodges even black.
    'vivid light': (cb, cs) => cs <= 0.5
        ? (cs <= 0 ? 0 : Math.max(0, 1 - (1 - cb) / (2 * cs)))
        : (cs >= 1 ? 1 : Math.min(1, cb / (2 * (1 - cs)))),
    'linear light': (cb, cs) => Math.max(0, Math.min(1, cb + 2 * cs - 1)),
    'pin light': (cb, cs) => cs <= 0.5 ? Math.min(cb, 2 * cs) : Math.max(cb, 2 * cs - 1)
};

function separable(blend: ChannelBlend): PixelBlend {
    return (br, bg, bb, sr, sg, sb, out) => {
        out[0] = blend(br, sr);
        out[1] = blend(bg, sg);
        out[2] = blend(bb, sb);
    };
}

function lum(r: number, g: number, b: number): number {
    return 0.3 * r + 0.59 * g + 0.11 * b;
}

/** W3C SetLum followed by ClipColor, into `out`. */
function setLum(r: number, g: number, b: number, l: number, out: Float32Array): void {
    const d = l - lum(r, g, b);
    r += d;
    g += d;
    b += d;
    const lightness = lum(r, g, b);
    const n = Math.min(r, g, b), x = Math.max(r, g, b);
    if (n < 0) {
        const k = lightness / (lightness - n);
        r = lightness + (r - lightness) * k;
        g = lightness + (g - lightness) * k;
        b = lightness + (b - lightness) * k;
    }
    if (x > 1) {
        const k = (1 - lightness) / (x - lightness);
        r = lightness + (r - lightness) * k;
        g = lightness + (g - lightness) * k;
        b = lightness + (b - lightness) * k;
    }
    out[0] = r;
    out[1] = g;
    out[2] = b;
}

/** W3C SetSat: the colour's hue and luminosity order with saturation s, into `out`. */
function setSat(r: number, g: number, b: number, s: number, out: Float32Array): void {
    const max = Math.max(r, g, b), min = Math.min(r, g, b);
    const scale = max > min ? s / (max - min) : 0;
    out[0] = (r - min) * scale;
    out[1] = (g - min) * scale;
    out[2] = (b - min) * scale;
}

function sat(r: number, g: number, b: number): number {
    return Math.max(r, g, b) - Math.min(r, g, b);
}

/** W3C non-separable modes, and Photoshop's darker and lighter colour. */
const PIXEL_BLENDS: Partial<Record<BlendMode, PixelBlend>> = {
    'hue': (br, bg, bb, sr, sg, sb, out) => {
        setSat(sr, sg, sb, sat(br, bg, bb), out);
        setLum(out[0], out[1], out[2], lum(br, bg, bb), out);
    },
    'saturation': (br, bg, bb, sr, sg, sb, out) => {
        setSat(br, bg, bb, sat(sr, sg, sb), out);
        setLum(out[0], out[1], out[2], lum(br, bg, bb), out);
    },
    'color': (br, bg, bb, sr, sg, sb, out) => setLum(sr, sg, sb, lum(br, bg, bb), out),
    'luminosity': (br, bg, bb, sr, sg, sb, out) => setLum(br, bg, bb, lum(sr, sg, sb), out),
    'darker color': (br, bg, bb, sr, sg, sb, out) => {
        const source = lum(sr, sg, sb) < lum(br, bg, bb);
        out[0] = source ? sr : br;
        out[1] = source ? sg : bg;
        out[2] = source ? sb : bb;
    },
    'lighter color': (br, bg, bb, sr, sg, sb, out) => {
        const source = lum(sr, sg, sb) > lum(br, bg, bb);
        out[0] = source ? sr : br;
        out[1] = source ? sg : bg;
        out[2] = source ? sb : bb;
    }
};

const BLENDS = new Map<BlendMode, PixelBlend>([
    ...Object.entries(CHANNEL_BLENDS).map(([mode, blend]) => [mode as BlendMode, separable(blend!)] as const),
    ...Object.entries(PIXEL_BLENDS).map(([mode, blend]) => [mode as BlendMode, blend!] as const)
]);

/**
 * The blend function of a mode: undefined for normal (and pass through,
 * which only groups have), where plain source-over applies, and for the
 * modes that are not implemented (dissolve, hard mix, the 3D height modes),
 * which `isBlendModeSupported` tells apart.
 */
export function blendFunctionOf(mode: BlendMode | undefined): PixelBlend | undefined {
    return mode === undefined ? undefined : BLENDS.get(mode);
}

/** Whether a mode is drawn exactly as Photoshop defines it (normal and pass through included). */
export function isBlendModeSupported(mode: BlendMode | undefined): boolean {
    return mode === undefined || mode === 'normal' || mode === 'pass through' || BLENDS.has(mode);
}

/** A rectangle of document pixels, right and bottom exclusive. */
export interface Box {
    readonly left: number;
    readonly top: number;
    readonly right: number;
    readonly bottom: number;
}

/**
 * RGBA pixels over a box; `data[i] * scale` is 0..1 (linear light in 32-bit
 * documents), straight as ag-psd gives layers, or premultiplied as surfaces are.
 */
export interface Raster extends Box {
    readonly data: PixelArray;
    readonly scale: number;
    readonly premultiplied?: boolean;
}

/** Where drawing happens: premultiplied RGBA floats over a box of the document. */
export interface Surface extends Raster {
    readonly data: Float32Array;
    readonly premultiplied: true;
}

/** A layer mask, gray in its first channel, with `outside` the value beyond its box, density applied; `next` multiplies in. */
export interface MaskRaster extends Box {
    readonly data?: PixelArray;
    readonly scale: number;
    readonly outside: number;
    readonly density: number;
    readonly next?: MaskRaster;
}

export function intersect(a: Box, b: Box): Box {
    return { left: Math.max(a.left, b.left), top: Math.max(a.top, b.top), right: Math.min(a.right, b.right), bottom: Math.min(a.bottom, b.bottom) };
}

export function isEmpty(box: Box | undefined): boolean {
    return !box || box.right <= box.left || box.bottom <= box.top;
}

/** A transparent surface over a box. */
export function createSurface(box: Box): Surface {
    const { left, top, right, bottom } = box;
    return { left, top, right, bottom, scale: 1, premultiplied: true, data: new Float32Array((right - left) * (bottom - top) * 4) };
}

/** The mask's value, 0..1, at one document pixel. */
export function maskValueAt(mask: MaskRaster, x: number, y: number): number {
    const further = mask.next ? maskValueAt(mask.next, x, y) : 1;
    if (!mask.data || x < mask.left || x >= mask.right || y < mask.top || y >= mask.bottom) {
        return mask.outside * further;
    }
    const value = mask.data[((y - mask.top) * (mask.right - mask.left) + x - mask.left) * 4] * mask.scale;
    return (1 - mask.density * (1 - value)) * further;
}

/** Where a mask lets anything through: everywhere, or (when it hides all outside its box) its box. */
export function maskBounds(mask: MaskRaster | undefined, box: Box): Box {
    for (let m = mask; m; m = m.next) {
        if (m.outside <= 0) {
            box = intersect(box, m);
        }
    }
    return box;
}

const blended = new Float32Array(3);

/**
 * Composites a raster onto a surface where they overlap: source alpha times
 * `opacity` and the mask, colour `(1 - αb) Cs + αb B(Cb, Cs)` then
 * source-over, as W3C Compositing Level 1 and Photoshop do. With `shape`
 * (per surface pixel, the clipping base's coverage) the source draws inside
 * that shape only, source-atop where the surface already covers it.
 * Loops over the overlap only, one row at a time, and allocates one row.
 */
export function drawRaster(target: Surface, source: Raster, opacity: number, blend?: PixelBlend, mask?: MaskRaster, shape?: Float32Array): void {
    const box = maskBounds(mask, intersect(target, source));
    if (isEmpty(box) || opacity <= 0) {
        return;
    }
    const width = box.right - box.left;
    // Rows are copied into floats natively first, so the loops below only ever see one array type and stay fast.
    const row = new Float32Array(width * 4);
    const cover = mask ? new Float32Array(width) : undefined;
    const maskBuffer = mask ? new Float32Array(width * 4) : undefined;
    const targetWidth = target.right - target.left, sourceWidth = source.right - source.left;
    const premultiplied = !!source.premultiplied;
    for (let y = box.top; y < box.bottom; y++) {
        const t = ((y - target.top) * targetWidth + box.left - target.left) * 4;
        const s = ((y - source.top) * sourceWidth + box.left - source.left) * 4;
        row.set(source.data.subarray(s, s + width * 4));
        if (cover) {
            maskRow(mask!, y, box.left, opacity, cover, maskBuffer!);
        }
        if (blend || shape) {
            blendRow(target.data, t, row, source.scale, premultiplied, opacity, cover, blend, shape);
        } else if (premultiplied) {
            normalRowPremultiplied(target.data, t, row, opacity, cover);
        } else {
            normalRow(target.data, t, row, source.scale, opacity, cover);
        }
    }
}

/** One row of a mask, times `opacity`, into `out`, from document column `left`; `buffer` holds the mask's own row. */
function maskRow(mask: MaskRaster, y: number, left: number, opacity: number, out: Float32Array, buffer: Float32Array): void {
    const from = Math.max(left, mask.left), to = Math.min(left + out.length, mask.right);
    const inRow = mask.data !== undefined && y >= mask.top && y < mask.bottom && from < to;
    if (inRow) {
        const start = ((y - mask.top) * (mask.right - mask.left) + from - mask.left) * 4;
        buffer.set(mask.data!.subarray(start, start + (to - from) * 4));
    }
    const k = mask.density * mask.scale * opacity, base = (1 - mask.density) * opacity, outside = mask.outside * opacity;
    for (let i = 0; i < out.length; i++) {
        const x = left + i;
        out[i] = inRow && x >= from && x < to ? base + k * buffer[(x - from) * 4] : outside;
    }
    if (mask.next) {
        for (let i = 0; i < out.length; i++) {
            out[i] *= maskValueAt(mask.next, left + i, y);
        }
    }
}

/** Source-over of one straight row, normal mode: the common case, kept tight. */
function normalRow(dst: Float32Array, t: number, src: Float32Array, scale: number, opacity: number, cover?: Float32Array): void {
    for (let s = 0; s < src.length; s += 4, t += 4) {
        const a = src[s + 3] * scale * (cover ? cover[s >> 2] : opacity);
        if (a <= 0) {
            continue;
        }
        if (a >= 1) {
            dst[t] = src[s] * scale;
            dst[t + 1] = src[s + 1] * scale;
            dst[t + 2] = src[s + 2] * scale;
            dst[t + 3] = 1;
            continue;
        }
        const f = a * scale, keep = 1 - a;
        dst[t] = src[s] * f + dst[t] * keep;
        dst[t + 1] = src[s + 1] * f + dst[t + 1] * keep;
        dst[t + 2] = src[s + 2] * f + dst[t + 2] * keep;
        dst[t + 3] = a + dst[t + 3] * keep;
    }
}

/** Source-over of one premultiplied row (an isolated group), normal mode. */
function normalRowPremultiplied(dst: Float32Array, t: number, src: Float32Array, opacity: number, cover?: Float32Array): void {
    for (let s = 0; s < src.length; s += 4, t += 4) {
        const k = cover ? cover[s >> 2] : opacity;
        const a = src[s + 3] * k;
        if (a <= 0) {
            continue;
        }
        const keep = 1 - a;
        dst[t] = src[s] * k + dst[t] * keep;
        dst[t + 1] = src[s + 1] * k + dst[t + 1] * keep;
        dst[t + 2] = src[s + 2] * k + dst[t + 2] * keep;
        dst[t + 3] = a + dst[t + 3] * keep;
    }
}

/** One row with a blend function and/or a clipping shape, on straight colours. */
function blendRow(dst: Float32Array, t: number, src: Float32Array, scale: number, premultiplied: boolean, opacity: number,
    cover: Float32Array | undefined, blend: PixelBlend | undefined, shape: Float32Array | undefined): void {
    for (let s = 0; s < src.length; s += 4, t += 4) {
        const alpha = src[s + 3] * scale;
        const a = Math.min(1, alpha * (cover ? cover[s >> 2] : opacity));
        const inside = shape ? shape[t >> 2] : 1;
        if (a <= 0 || inside <= 0) {
            continue;
        }
        const unit = premultiplied ? 1 / alpha : scale;
        let sr = src[s] * unit, sg = src[s + 1] * unit, sb = src[s + 2] * unit;
        const ab = dst[t + 3];
        if (blend && ab > 0) {
            blend(dst[t] / ab, dst[t + 1] / ab, dst[t + 2] / ab, sr, sg, sb, blended);
            sr += ab * (blended[0] - sr);
            sg += ab * (blended[1] - sg);
            sb += ab * (blended[2] - sb);
        }
        const take = a * inside, keep = 1 - a;
        dst[t] = sr * take + dst[t] * keep;
        dst[t + 1] = sg * take + dst[t + 1] * keep;
        dst[t + 2] = sb * take + dst[t + 2] * keep;
        dst[t + 3] = take + ab * keep;
    }
}

/** A copy of a surface's pixels inside a box (within the surface), for `fadeTowards` and `separateLayer`. */
export function snapshot(target: Surface, box: Box): Float32Array {
    const width = box.right - box.left, targetWidth = target.right - target.left;
    const copy = new Float32Array(width * (box.bottom - box.top) * 4);
    for (let y = box.top; y < box.bottom; y++) {
        const from = ((y - target.top) * targetWidth + box.left - target.left) * 4;
        copy.set(target.data.subarray(from, from + width * 4), (y - box.top) * width * 4);
    }
    return copy;
}

/**
 * Moves a surface back towards an earlier snapshot of a box, keeping
 * `amount` (times the mask) of what was drawn since: how a pass-through
 * group's opacity and mask work.
 */
export function fadeTowards(target: Surface, box: Box, before: Float32Array, amount: number, mask?: MaskRaster): void {
    const dst = target.data, width = box.right - box.left, targetWidth = target.right - target.left;
    for (let y = box.top; y < box.bottom; y++) {
        let t = ((y - target.top) * targetWidth + box.left - target.left) * 4;
        let b = (y - box.top) * width * 4;
        for (let x = box.left; x < box.right; x++, t += 4, b += 4) {
            const f = mask ? amount * maskValueAt(mask, x, y) : amount;
            if (f < 1) {
                for (let c = 0; c < 4; c++) {
                    dst[t + c] = before[b + c] + (dst[t + c] - before[b + c]) * f;
                }
            }
        }
    }
}

/**
 * What a pass-through group added to a box of the surface, as a layer of its
 * own: the colour that, composited over `before` with the group's coverage
 * alpha, gives the surface as it is now. Puts `before` back into the surface.
 */
export function separateLayer(target: Surface, box: Box, before: Float32Array, coverage: Surface): Surface {
    const layer = createSurface(box);
    const dst = target.data, out = layer.data, cover = coverage.data;
    const width = box.right - box.left, targetWidth = target.right - target.left;
    for (let y = box.top; y < box.bottom; y++) {
        let t = ((y - target.top) * targetWidth + box.left - target.left) * 4;
        let b = (y - box.top) * width * 4;
        for (let x = box.left; x < box.right; x++, t += 4, b += 4) {
            const a = cover[b + 3];
            if (a > 0) {
                for (let c = 0; c < 3; c++) {
                    out[b + c] = Math.max(0, Math.min(a, dst[t + c] - before[b + c] * (1 - a)));
                }
                out[b + 3] = a;
            }
            for (let c = 0; c < 4; c++) {
                dst[t + c] = before[b + c];
            }
        }
    }
    return layer;
}
