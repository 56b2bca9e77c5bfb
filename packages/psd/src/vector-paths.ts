import type { BezierPath, LayerVectorMask } from 'ag-psd';
import { Box } from './surfaces';

/** Sub-scanlines per pixel row: vertical anti-aliasing; horizontal coverage is exact per span. */
const SUBSAMPLES = 5;

/** A flattened closed subpath: x, y pairs in document pixels. */
type Polygon = number[];

interface Edge {
    readonly x0: number;
    readonly y0: number;
    readonly x1: number;
    readonly y1: number;
    /** +1 going down, -1 going up, for the non-zero rule. */
    readonly winding: number;
}

/** The closed subpaths of a vector mask that shape what a layer shows; undefined when it has none or it is off. */
export function activePaths(mask: LayerVectorMask | undefined): readonly BezierPath[] | undefined {
    const paths = mask && !mask.disable ? mask.paths.filter(path => !path.open && path.knots.length >= 2) : [];
    return paths.length ? paths : undefined;
}

/** Where a vector mask can let anything through, in document pixels; undefined when that is everywhere. */
export function vectorMaskBounds(mask: LayerVectorMask): Box | undefined {
    const paths = activePaths(mask);
    if (!paths || mask.invert || mask.fillStartsWithAllPixels || paths.some(path => path.operation && path.operation !== 'combine')) {
        return undefined;
    }
    let left = Infinity, top = Infinity, right = -Infinity, bottom = -Infinity;
    for (const path of paths) {
        for (const knot of path.knots) {
            for (let i = 0; i < 6; i += 2) {
                left = Math.min(left, knot.points[i]);
                right = Math.max(right, knot.points[i]);
                top = Math.min(top, knot.points[i + 1]);
                bottom = Math.max(bottom, knot.points[i + 1]);
            }
        }
    }
    return { left: Math.floor(left), top: Math.floor(top), right: Math.ceil(right), bottom: Math.ceil(bottom) };
}

/**
 * A vector mask's coverage (0..1) of each pixel of a box, anti-aliased:
 * each subpath filled by its own rule (non-zero or even-odd), then combined
 * in order by its operation (combine, subtract, intersect, exclude),
 * starting from nothing or, when the mask says so, from everything.
 */
export function vectorMaskCoverage(mask: LayerVectorMask, box: Box): Float32Array {
    const width = box.right - box.left, height = box.bottom - box.top;
    const result = new Float32Array(width * height).fill(mask.fillStartsWithAllPixels ? 1 : 0);
    for (const path of activePaths(mask) ?? []) {
        const coverage = polygonCoverage([flatten(path)], path.fillRule, box);
        for (let i = 0; i < result.length; i++) {
            const a = result[i], b = coverage[i];
            switch (path.operation ?? 'combine') {
                case 'combine': result[i] = a + b - a * b; break;
                case 'subtract': result[i] = a * (1 - b); break;
                case 'intersect': result[i] = a * b; break;
                case 'exclude': result[i] = a + b - 2 * a * b; break;
            }
        }
    }
    if (mask.invert) {
        for (let i = 0; i < result.length; i++) {
            result[i] = 1 - result[i];
        }
    }
    return result;
}

/** A closed Bézier path as a polygon: each segment runs from a knot's anchor, through its outgoing and the next knot's incoming control point. */
function flatten(path: BezierPath): Polygon {
    const points: Polygon = [];
    const knots = path.knots;
    for (let k = 0; k < knots.length; k++) {
        const from = knots[k].points, to = knots[(k + 1) % knots.length].points;
        const [x0, y0, x1, y1, x2, y2, x3, y3] = [from[2], from[3], from[4], from[5], to[0], to[1], to[2], to[3]];
        const reach = Math.hypot(x1 - x0, y1 - y0) + Math.hypot(x2 - x1, y2 - y1) + Math.hypot(x3 - x2, y3 - y2);
        const steps = x0 === x1 && y0 === y1 && x2 === x3 && y2 === y3 ? 1 : Math.min(256, Math.max(4, Math.ceil(reach / 3)));
        for (let s = 0; s < steps; s++) {
            const t = s / steps, u = 1 - t;
            const a = u * u * u, b = 3 * u * u * t, c = 3 * u * t * t, d = t * t * t;
            points.push(a * x0 + b * x1 + c * x2 + d * x3, a * y0 + b * y1 + c * y2 + d * y3);
        }
    }
    return points;
}

/** Coverage of polygons over a box, scanline by scanline, with fractional coverage where a span starts and ends inside a pixel. */
function polygonCoverage(polygons: readonly Polygon[], rule: BezierPath['fillRule'], box: Box): Float32Array {
    const width = box.right - box.left, height = box.bottom - box.top;
    const coverage = new Float32Array(width * height);
    const edges: Edge[] = [];
    for (const polygon of polygons) {
        for (let i = 0; i < polygon.length; i += 2) {
            const j = (i + 2) % polygon.length;
            const [x0, y0, x1, y1] = [polygon[i], polygon[i + 1], polygon[j], polygon[j + 1]];
            if (y0 !== y1 && Math.max(y0, y1) > box.top && Math.min(y0, y1) < box.bottom) {
                edges.push(y0 < y1 ? { x0, y0, x1, y1, winding: 1 } : { x0: x1, y0: y1, x1: x0, y1: y0, winding: -1 });
            }
        }
    }
    edges.sort((a, b) => a.y0 - b.y0);
    const crossings: { x: number; winding: number }[] = [];
    const weight = 1 / SUBSAMPLES;
    for (let y = box.top; y < box.bottom; y++) {
        const row = coverage.subarray((y - box.top) * width, (y - box.top + 1) * width);
        for (let s = 0; s < SUBSAMPLES; s++) {
            const scan = y + (s + 0.5) / SUBSAMPLES;
            crossings.length = 0;
            for (const edge of edges) {
                if (edge.y0 > scan) {
                    break;
                }
                if (scan < edge.y1) {
                    crossings.push({ x: edge.x0 + ((scan - edge.y0) * (edge.x1 - edge.x0)) / (edge.y1 - edge.y0), winding: edge.winding });
                }
            }
            crossings.sort((a, b) => a.x - b.x);
            let winding = 0;
            for (let c = 0; c < crossings.length - 1; c++) {
                winding += rule === 'even-odd' ? 1 : crossings[c].winding;
                const inside = rule === 'even-odd' ? winding % 2 !== 0 : winding !== 0;
                if (inside) {
                    addSpan(row, crossings[c].x - box.left, crossings[c + 1].x - box.left, weight);
                }
            }
        }
    }
    return coverage;
}

function addSpan(row: Float32Array, from: number, to: number, weight: number): void {
    const a = Math.max(0, from), b = Math.min(row.length, to);
    if (b <= a) {
        return;
    }
    const first = Math.floor(a), last = Math.floor(b);
    if (first === last) {
        row[first] += (b - a) * weight;
        return;
    }
    row[first] += (first + 1 - a) * weight;
    for (let x = first + 1; x < last; x++) {
        row[x] += weight;
    }
    if (last < row.length) {
        row[last] += (b - last) * weight;
    }
}
