import type { Color, Layer, PatternInfo, VectorContent } from 'ag-psd';
import { labToSrgb } from './psd-merged-image';
import { Box, intersect, isEmpty, Raster } from './surfaces';
import { activePaths, vectorMaskBounds, vectorMaskCoverage } from './vector-paths';

/** What a fill layer needs to know of its document. */
export interface FillCanvas {
    readonly width: number;
    readonly height: number;
    /** 32-bit documents composite in linear light. */
    readonly linear: boolean;
    readonly patterns?: readonly PatternInfo[];
}

type SolidGradient = Extract<VectorContent, { type: 'solid' }>;

/**
 * Whether a layer is drawn from its vector content: a solid colour,
 * gradient or pattern fill layer, or a shape layer, saved without pixels
 * (as Photoshop saves them without "Maximize Compatibility").
 */
export function isDrawnFill(layer: Layer, canvas: FillCanvas): boolean {
    const fill = layer.vectorFill;
    const hasPixels = !!layer.imageData && layer.imageData.width > 0 && layer.imageData.height > 0;
    if (!fill || hasPixels || layer.adjustment) {
        return false;
    }
    // A shape of open paths only (a pen line) has an outline and nothing to fill.
    if (layer.vectorMask && !layer.vectorMask.disable && layer.vectorMask.paths.length && !activePaths(layer.vectorMask)) {
        return false;
    }
    return fill.type === 'color' || fill.type === 'solid' || (fill.type === 'pattern' && !!patternOf(fill.id, canvas));
}

/** Where a fill layer draws: the canvas, within its vector mask's shape when it has one. */
export function fillBounds(layer: Layer, canvas: FillCanvas): Box | undefined {
    const page = { left: 0, top: 0, right: canvas.width, bottom: canvas.height };
    const shape = layer.vectorMask && activePaths(layer.vectorMask) ? vectorMaskBounds(layer.vectorMask) : undefined;
    const box = shape ? intersect(page, shape) : page;
    return isEmpty(box) ? undefined : box;
}

/** The layer's fill over a box as a straight RGBA raster, its vector mask's coverage as alpha. */
export function fillRaster(layer: Layer, box: Box, canvas: FillCanvas): Raster {
    const width = box.right - box.left, height = box.bottom - box.top;
    const data = new Float32Array(width * height * 4);
    const fill = layer.vectorFill!;
    if (fill.type === 'color') {
        const [r, g, b] = rgbOf(fill.color, canvas.linear);
        for (let i = 0; i < data.length; i += 4) {
            data[i] = r;
            data[i + 1] = g;
            data[i + 2] = b;
            data[i + 3] = 1;
        }
    } else if (fill.type === 'solid') {
        paintGradient(fill, layer, box, canvas, data);
    } else if (fill.type === 'pattern') {
        paintPattern(patternOf(fill.id, canvas)!, fill.phase, box, canvas.linear, data);
    }
    if (layer.vectorMask && activePaths(layer.vectorMask)) {
        const coverage = vectorMaskCoverage(layer.vectorMask, box);
        for (let p = 0; p < coverage.length; p++) {
            data[p * 4 + 3] *= Math.min(1, coverage[p]);
        }
    }
    return { ...box, data, scale: 1 };
}

function patternOf(id: string, canvas: FillCanvas): PatternInfo | undefined {
    return canvas.patterns?.find(pattern => pattern.id === id);
}

/**
 * A gradient as Photoshop's fill layers lay it out: across the layer's box
 * (the shape, or the canvas) through its centre plus the offset, at the
 * angle and scale given; linear, reflected, radial, angle and diamond.
 */
function paintGradient(fill: SolidGradient, layer: Layer, box: Box, canvas: FillCanvas, data: Float32Array): void {
    const frame = fill.align === false ? { left: 0, top: 0, right: canvas.width, bottom: canvas.height } : fillBounds(layer, canvas) ?? box;
    const frameWidth = frame.right - frame.left, frameHeight = frame.bottom - frame.top;
    const cx = frame.left + frameWidth / 2 + ((fill.offset?.x ?? 0) / 100) * frameWidth;
    const cy = frame.top + frameHeight / 2 + ((fill.offset?.y ?? 0) / 100) * frameHeight;
    const angle = ((fill.angle ?? 90) * Math.PI) / 180;
    const dx = Math.cos(angle), dy = -Math.sin(angle);
    const scale = (fill.scale ?? 100) / 100;
    const length = Math.max(1e-6, (Math.abs(frameWidth * dx) + Math.abs(frameHeight * dy)) * scale);
    const colours = gradientTable(fill, canvas.linear);
    const width = box.right - box.left;
    for (let y = box.top; y < box.bottom; y++) {
        for (let x = box.left; x < box.right; x++) {
            const px = x + 0.5 - cx, py = y + 0.5 - cy;
            const along = px * dx + py * dy, across = -px * dy + py * dx;
            let t: number;
            switch (fill.style ?? 'linear') {
                case 'reflected': t = Math.abs(along) / (length / 2); break;
                case 'radial': t = Math.hypot(along, across) / (length / 2); break;
                case 'diamond': t = (Math.abs(along) + Math.abs(across)) / (length / 2); break;
                case 'angle': t = (((Math.atan2(-across, along) / (2 * Math.PI)) % 1) + 1) % 1; break;
                default: t = along / length + 0.5;
            }
            t = Math.max(0, Math.min(1, fill.reverse ? 1 - t : t));
            const at = Math.round(t * 255) * 4, o = ((y - box.top) * width + x - box.left) * 4;
            data[o] = colours[at];
            data[o + 1] = colours[at + 1];
            data[o + 2] = colours[at + 2];
            data[o + 3] = colours[at + 3];
        }
    }
}

/** 256 steps of a gradient's colour and opacity stops, midpoints honoured, as straight RGBA floats. */
function gradientTable(fill: SolidGradient, linear: boolean): Float32Array {
    const table = new Float32Array(256 * 4);
    const colours = [...fill.colorStops].sort((a, b) => a.location - b.location).map(stop => ({ ...stop, value: rgbOf(stop.color, linear) }));
    const opacities = [...fill.opacityStops].sort((a, b) => a.location - b.location).map(stop => ({ ...stop, value: [stop.opacity] }));
    for (let i = 0; i < 256; i++) {
        const t = i / 255;
        const [r, g, b] = interpolate(colours, t, 3);
        table.set([r, g, b, interpolate(opacities, t, 1)[0]], i * 4);
    }
    return table;
}

function interpolate(stops: readonly { location: number; midpoint: number; value: number[] }[], t: number, size: number): number[] {
    if (!stops.length) {
        return new Array(size).fill(1);
    }
    if (t <= stops[0].location) {
        return stops[0].value;
    }
    for (let s = 1; s < stops.length; s++) {
        const from = stops[s - 1], to = stops[s];
        if (t <= to.location) {
            const span = to.location - from.location;
            const u = span > 0 ? (t - from.location) / span : 1;
            // The midpoint (of the stop before) is where the two colours mix half and half.
            const mid = Math.max(0.01, Math.min(0.99, from.midpoint ?? 0.5));
            const w = u < mid ? (0.5 * u) / mid : 0.5 + (0.5 * (u - mid)) / (1 - mid);
            return from.value.map((value, c) => value + (to.value[c] - value) * w);
        }
    }
    return stops[stops.length - 1].value;
}

/** The pattern tiled from the document's origin shifted by the phase, straight RGBA floats. */
function paintPattern(pattern: PatternInfo, phase: { x: number; y: number } | undefined, box: Box, linear: boolean, data: Float32Array): void {
    const { w, h } = pattern.bounds;
    const width = box.right - box.left;
    const decode = linear ? srgbToLinear : (value: number) => value;
    for (let y = box.top; y < box.bottom; y++) {
        const py = ((((y - Math.round(phase?.y ?? 0)) % h) + h) % h) * w;
        for (let x = box.left; x < box.right; x++) {
            const p = (py + ((((x - Math.round(phase?.x ?? 0)) % w) + w) % w)) * 4;
            const o = ((y - box.top) * width + x - box.left) * 4;
            data[o] = decode(pattern.data[p] / 255);
            data[o + 1] = decode(pattern.data[p + 1] / 255);
            data[o + 2] = decode(pattern.data[p + 2] / 255);
            data[o + 3] = pattern.data[p + 3] / 255;
        }
    }
}

/** A colour as 0..1 sRGB (linear light for 32-bit documents). */
function rgbOf(color: Color, linear: boolean): [number, number, number] {
    let rgb: [number, number, number];
    if ('fr' in color) {
        rgb = [color.fr, color.fg, color.fb];
    } else if ('r' in color) {
        rgb = [color.r / 255, color.g / 255, color.b / 255];
    } else if ('h' in color) {
        // ag-psd gives the hue as a fraction of a turn, saturation and brightness in percent.
        rgb = hsbToRgb(color.h * 360, color.s, color.b);
    } else if ('c' in color) {
        rgb = [(1 - color.c / 100) * (1 - color.k / 100), (1 - color.m / 100) * (1 - color.k / 100), (1 - color.y / 100) * (1 - color.k / 100)];
    } else if ('l' in color) {
        rgb = labToSrgb(color.l, color.a, color.b).map(value => value / 255) as [number, number, number];
    } else {
        // Gray is given as ink, in percent.
        const gray = 1 - color.k / 100;
        rgb = [gray, gray, gray];
    }
    const clamped = rgb.map(value => Math.max(0, Math.min(1, value))) as [number, number, number];
    return linear ? clamped.map(srgbToLinear) as [number, number, number] : clamped;
}

function hsbToRgb(h: number, s: number, b: number): [number, number, number] {
    const hue = (((h % 360) + 360) % 360) / 60, sat = s / 100, value = b / 100;
    const chroma = value * sat, x = chroma * (1 - Math.abs((hue % 2) - 1)), m = value - chroma;
    const [r, g, bl] = hue < 1 ? [chroma, x, 0] : hue < 2 ? [x, chroma, 0] : hue < 3 ? [0, chroma, x] : hue < 4 ? [0, x, chroma] : hue < 5 ? [x, 0, chroma] : [chroma, 0, x];
    return [r + m, g + m, bl + m];
}

function srgbToLinear(value: number): number {
    return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
}
