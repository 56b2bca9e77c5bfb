import { PixelArray } from 'ag-psd';
import type { PixelBlend } from './blend-modes';

/**
 * The compositor's pixel surfaces and what draws on them: premultiplied
 * float rectangles of the document, layer rasters and masks, and the row
 * loops that blend, mask and fade. Only the pixels inside each layer's own
 * bounds are visited.
 */
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

/** The overlap of two boxes; empty (see `isEmpty`) when they do not meet. */
export function intersect(a: Box, b: Box): Box {
    return { left: Math.max(a.left, b.left), top: Math.max(a.top, b.top), right: Math.min(a.right, b.right), bottom: Math.min(a.bottom, b.bottom) };
}

/** Whether a box is missing or covers no pixel. */
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
    if (width === targetWidth) {
        const from = (box.top - target.top) * targetWidth * 4;
        return target.data.slice(from, from + width * (box.bottom - box.top) * 4);
    }
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
