import { Layer, LayerEffectsInfo, Psd, readPsd } from 'ag-psd';
import { dotGain20ToSrgb, linearToSrgb } from './psd-merged-image';
import { blendFunctionOf, isBlendModeSupported } from './blend-modes';
import { layerRaster, maskOf, rasterOf } from './layer-rasters';
import { Box, createSurface, drawRaster, fadeTowards, intersect, isEmpty, maskBounds, Raster, separateLayer, snapshot, Surface } from './surfaces';
import { FillCanvas, fillBounds, fillRaster, isDrawnFill } from './vector-fills';
import { BandSource, collectBands, rowsPerBand, shrinkFactor } from './image-bands';
import { ensureImageDataFactory } from './image-data';
import { RenderNote, RenderNoteCode } from './render-note';

/** Which layers a rendering shows, on top of the visibility saved in the file. */
export interface LayerVisibility {
    /** Layer idx values (as flattenLayers numbers them) to hide, on top of those hidden in the file. */
    readonly hidden?: readonly number[];
    /** Layer idx values to show although hidden in the file. */
    readonly shown?: readonly number[];
    /** Render only this layer (and the groups holding it, and for a group all its visible children). */
    readonly solo?: number;
}

/** A composite of a document's layers, or of one layer. */
export interface RenderedLayers {
    readonly width: number;
    readonly height: number;
    /** RGBA, 8 bits per channel, straight (not premultiplied) alpha, sRGB. */
    readonly data: Uint8Array;
    /**
     * What was approximated, as codes the UI words, deduplicated, e.g.
     * `{ code: 'blendModeApproximated', params: { mode: 'vivid light' } }`. Empty when exact.
     */
    readonly approximations: readonly RenderNote[];
}

/**
 * Reads a PSD/PSB's layers with their pixels (ag-psd, useImageData), for
 * compositing; a document without layers keeps its stored composite instead.
 * Throws a clear Error on unreadable files and on colour modes whose layers
 * ag-psd does not read (CMYK, Lab, multichannel, duotone).
 */
export function readLayeredPsd(bytes: Uint8Array, maxDecodeBytes?: number): Psd {
    ensureImageDataFactory();
    const options = { useImageData: true, skipThumbnail: true, skipLinkedFilesData: true, totalMemoryLimit: maxDecodeBytes };
    try {
        const psd = readPsd(bytes, { ...options, skipCompositeImageData: true });
        // A flattened document's only pixels are its stored composite.
        return psd.children?.length ? psd : readPsd(bytes, { ...options, skipLayerImageData: true });
    } catch (error) {
        const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
        const mode = /color mode not supported: (\w+)/i.exec(message)?.[1];
        throw new Error(mode
            ? `The layers of a ${mode} document cannot be composited; only RGB and grayscale documents can.`
            : `The document's layers cannot be read: ${message}`);
    }
}

/** The composite of a document's layers as bands of rows, with what drawing them approximated (filled in as bands are read). */
export interface LayerBands extends BandSource {
    readonly approximations: RenderNotes;
}

/**
 * Composites the document's layers with the given visibility changes a band
 * of rows at a time: only one band's floats are in memory, whatever the size
 * of the document. Blending, masks and clipping are per pixel, so the bands
 * together are exactly the whole composite.
 */
export function compositeLayerBands(psd: Psd, visibility: LayerVisibility = {}): LayerBands {
    const tree = treeOf(psd);
    const solo = visibility.solo === undefined ? undefined : nodeAt(tree, visibility.solo);
    const renderer = new LayerRenderer(fillCanvasOf(psd), visibility, solo);
    const { width, height } = psd;
    return {
        width, height, channels: 4, bandRows: rowsPerBand(width * 16), approximations: renderer.approximations,
        readBand: (top, bottom, out) => {
            const surface = createSurface({ left: 0, top, right: width, bottom });
            if (tree.roots.length === 0 && psd.imageData) {
                drawRaster(surface, rasterOf(psd.imageData, 0, 0), 1);
            }
            renderer.drawChildren(surface, tree.roots);
            toStraight8(surface, psd, out);
        }
    };
}

/** Composites the document's layers with the given visibility changes, at full size. */
export function compositeLayers(psd: Psd, visibility: LayerVisibility = {}): RenderedLayers {
    const bands = compositeLayerBands(psd, visibility);
    const image = collectBands(bands);
    return { width: image.width, height: image.height, data: image.data, approximations: bands.approximations.list() };
}

/**
 * One layer alone (a group: its visible children composited), with its own
 * opacity, mask and clipping-free, cropped to its bounds within the canvas,
 * for a small thumbnail: drawn a band at a time and, with `atLeast`, reduced
 * by a whole factor keeping its longest side at least that long. Undefined
 * when it has no pixels.
 */
export function renderSingleLayer(psd: Psd, idx: number, atLeast?: number): RenderedLayers | undefined {
    const node = nodeAt(treeOf(psd), idx);
    const renderer = new LayerRenderer(fillCanvasOf(psd), {}, node);
    const bounds = renderer.boundsOf(node);
    const box = bounds && intersect(bounds, { left: 0, top: 0, right: psd.width, bottom: psd.height });
    if (!box || isEmpty(box)) {
        return undefined;
    }
    const width = box.right - box.left, height = box.bottom - box.top;
    const source: BandSource = {
        width, height, channels: 4, bandRows: rowsPerBand(width * 16),
        readBand: (top, bottom, out) => {
            const surface = createSurface({ left: box.left, top: box.top + top, right: box.right, bottom: box.top + bottom });
            renderer.drawNode(surface, node);
            toStraight8(surface, psd, out);
        }
    };
    const image = collectBands(source, atLeast ? shrinkFactor(width, height, atLeast) : 1);
    for (let i = 3; i < image.data.length; i += 4) {
        if (image.data[i] > 0) {
            return { width: image.width, height: image.height, data: image.data, approximations: renderer.approximations.list() };
        }
    }
    return undefined;
}

/** A layer with its index as flattenLayers gives it; children bottom first, as ag-psd has them. */
interface LayerNode {
    readonly layer: Layer;
    readonly idx: number;
    readonly parent?: LayerNode;
    children?: LayerNode[];
}

interface LayerTree {
    readonly roots: LayerNode[];
    readonly byIdx: LayerNode[];
}

const trees = new WeakMap<Psd, LayerTree>();

/** Numbers layers as flattenLayers does: top of the panel first, depth-first. */
function treeOf(psd: Psd): LayerTree {
    let tree = trees.get(psd);
    if (!tree) {
        const byIdx: LayerNode[] = [];
        const build = (layers: Layer[], parent: LayerNode | undefined): LayerNode[] => {
            const nodes: LayerNode[] = new Array(layers.length);
            for (let i = layers.length - 1; i >= 0; i--) {
                const node: LayerNode = { layer: layers[i], idx: byIdx.length, parent };
                byIdx.push(node);
                if (layers[i].children) {
                    node.children = build(layers[i].children!, node);
                }
                nodes[i] = node;
            }
            return nodes;
        };
        tree = { roots: build(psd.children ?? [], undefined), byIdx };
        trees.set(psd, tree);
    }
    return tree;
}

function nodeAt(tree: LayerTree, idx: number): LayerNode {
    const node = tree.byIdx[idx];
    if (!node) {
        throw new RangeError(`The document has no layer ${idx}; it has ${tree.byIdx.length}.`);
    }
    return node;
}

/** Walks the layer tree bottom to top, drawing what is visible and noting what it cannot draw exactly. */
class LayerRenderer {
    readonly approximations = new RenderNotes();
    protected readonly hidden: ReadonlySet<number>;
    protected readonly shown: ReadonlySet<number>;

    constructor(protected readonly canvas: FillCanvas, visibility: LayerVisibility, protected readonly solo?: LayerNode) {
        this.hidden = new Set(visibility.hidden);
        this.shown = new Set(visibility.shown);
    }

    protected get linear(): boolean {
        return this.canvas.linear;
    }

    /** A layer's pixels; for a fill or shape layer saved without them, its fill drawn over the part of `target` it covers. */
    protected rasterOf(layer: Layer, target: Box): Raster | undefined {
        const raster = layerRaster(layer);
        if (raster || !isDrawnFill(layer, this.canvas)) {
            return raster;
        }
        const bounds = fillBounds(layer, this.canvas);
        const box = bounds && intersect(target, bounds);
        return box && !isEmpty(box) ? fillRaster(layer, box, this.canvas) : undefined;
    }

    drawChildren(target: Surface, nodes: readonly LayerNode[], shape?: Float32Array): void {
        for (let i = 0; i < nodes.length;) {
            const base = nodes[i];
            let end = i + 1;
            // Photoshop clips layers only: a group marked clipping (as other apps write) stands on its own.
            while (end < nodes.length && nodes[end].layer.clipping && !nodes[end].children && nodes[end] !== this.solo) {
                end++;
            }
            // A hidden base hides the layers clipped to it.
            if (this.isDrawn(base)) {
                const clipped = nodes.slice(i + 1, end).filter(node => this.isDrawn(node));
                if (clipped.length) {
                    this.drawClippingGroup(target, base, clipped, shape);
                } else {
                    this.drawNode(target, base, shape);
                }
            }
            i = end;
        }
    }

    /** Draws one layer or group with its blend mode, opacity and mask, whatever its visibility. */
    drawNode(target: Surface, node: LayerNode, shape?: Float32Array): void {
        const layer = node.layer;
        this.note(node);
        const mask = maskOf(layer);
        // Fill opacity fades a layer's pixels but not its effects; there are no effects drawn, so both multiply.
        const opacity = (layer.opacity ?? 1) * (layer.fillOpacity ?? 1);
        if (node.children) {
            // Where the children draw, before the group's own mask limits them.
            const reach = this.boundsOf(node, false);
            const box = reach && intersect(target, reach);
            if (!box || isEmpty(box)) {
                this.noteAll(node.children);
                return;
            }
            if (layer.blendMode === 'pass through' && !layer.artboard) {
                // The children blend straight into the backdrop; opacity and mask fade the result.
                const before = opacity < 1 || mask ? snapshot(target, box) : undefined;
                this.drawChildren(target, node.children, shape);
                if (before) {
                    fadeTowards(target, box, before, opacity, mask);
                }
                return;
            }
            const isolated = createSurface(box);
            this.fillArtboard(isolated, layer);
            this.drawChildren(isolated, node.children);
            drawRaster(target, isolated, opacity, blendFunctionOf(layer.blendMode), mask, shape);
            return;
        }
        const raster = this.rasterOf(layer, target);
        if (raster) {
            drawRaster(target, raster, opacity, blendFunctionOf(layer.blendMode), mask, shape);
        }
    }

    /**
     * A base and the layers clipped to it, as Photoshop's default "blend
     * clipped layers as group" does: the clipped layers composite over the
     * base alone, inside its shape (pixel alpha times mask), and the result
     * blends into the backdrop with the base's opacity and mode. A
     * pass-through group base is first drawn into the backdrop, then taken
     * back out as a layer, so that what is clipped to it blends with what it
     * did to the backdrop.
     */
    protected drawClippingGroup(target: Surface, base: LayerNode, clipped: readonly LayerNode[], shape?: Float32Array): void {
        const bounds = this.boundsOf(base);
        const box = bounds && intersect(target, bounds);
        if (!box || isEmpty(box)) {
            this.noteAll([base, ...clipped]);
            return;
        }
        const layer = base.layer;
        const mask = maskOf(layer);
        let group = createSurface(box);
        let opacity = layer.opacity ?? 1;
        let fill = layer.fillOpacity ?? 1;
        if (base.children) {
            const inner = createSurface(box);
            this.fillArtboard(inner, layer);
            this.drawChildren(inner, base.children);
            if (layer.blendMode === 'pass through' && !layer.artboard) {
                const before = snapshot(target, box);
                this.drawNode(target, base);
                drawRaster(group, inner, opacity * fill, undefined, mask);
                group = separateLayer(target, box, before, group);
                opacity = fill = 1;
            } else {
                this.note(base);
                drawRaster(group, inner, 1, undefined, mask);
            }
        } else {
            this.note(base);
            const raster = this.rasterOf(layer, group);
            if (raster) {
                drawRaster(group, raster, 1, undefined, mask);
            }
        }
        // The clipping shape is the base's coverage; its fill opacity fades its own pixels only.
        const clip = new Float32Array(group.data.length / 4);
        for (let p = 0; p < clip.length; p++) {
            clip[p] = group.data[p * 4 + 3];
        }
        for (let i = 0; fill < 1 && i < group.data.length; i++) {
            group.data[i] *= fill;
        }
        for (const node of clipped) {
            this.drawNode(group, node, clip);
        }
        drawRaster(target, group, opacity, blendFunctionOf(layer.blendMode), undefined, shape);
    }

    /**
     * An artboard shows its background colour under its layers, which it
     * crops to its rectangle; isolating it is exact where the background is opaque.
     */
    protected fillArtboard(surface: Surface, layer: Layer): void {
        const type = layer.artboard?.backgroundType ?? 1;
        if (!layer.artboard || type === 3) {
            return;
        }
        const color = layer.artboard.color;
        const rgb = type === 2 ? [0, 0, 0] : type === 4 && color && 'r' in color ? [color.r / 255, color.g / 255, color.b / 255] : [1, 1, 1];
        const [r, g, b] = this.linear ? rgb.map(srgbToLinear) : rgb;
        const data = surface.data;
        for (let i = 0; i < data.length; i += 4) {
            data[i] = r;
            data[i + 1] = g;
            data[i + 2] = b;
            data[i + 3] = 1;
        }
    }

    /** Where a layer or group can draw, in document pixels (within its masks unless `masked` is false); undefined when nowhere. */
    boundsOf(node: LayerNode, masked = true): Box | undefined {
        let bounds: Box | undefined;
        const artboard = node.layer.artboard?.rect;
        if (artboard) {
            bounds = artboard;
        } else if (node.children) {
            for (const child of node.children) {
                const childBounds = this.isDrawn(child) ? this.boundsOf(child) : undefined;
                bounds = !childBounds ? bounds : !bounds ? childBounds : {
                    left: Math.min(bounds.left, childBounds.left), top: Math.min(bounds.top, childBounds.top),
                    right: Math.max(bounds.right, childBounds.right), bottom: Math.max(bounds.bottom, childBounds.bottom)
                };
            }
        } else {
            bounds = layerRaster(node.layer) ?? (isDrawnFill(node.layer, this.canvas) ? fillBounds(node.layer, this.canvas) : undefined);
        }
        if (bounds && masked) {
            bounds = maskBounds(maskOf(node.layer), bounds);
        }
        return isEmpty(bounds) ? undefined : bounds;
    }

    protected isDrawn(node: LayerNode): boolean {
        if (this.solo) {
            let ancestor: LayerNode | undefined = this.solo;
            for (; ancestor; ancestor = ancestor.parent) {
                if (ancestor === node) {
                    return true;
                }
            }
            for (ancestor = node.parent; ancestor !== this.solo; ancestor = ancestor.parent) {
                if (!ancestor) {
                    return false;
                }
            }
        }
        return !this.hidden.has(node.idx) && (this.shown.has(node.idx) || !node.layer.hidden);
    }

    /** Notes what drawing these layers, and the visible layers inside them, would approximate. */
    protected noteAll(nodes: readonly LayerNode[]): void {
        for (const node of nodes) {
            if (this.isDrawn(node)) {
                this.note(node);
                this.noteAll(node.children ?? []);
            }
        }
    }

    protected note(node: LayerNode): void {
        const layer = node.layer;
        const notes = this.approximations;
        if (!isBlendModeSupported(layer.blendMode)) {
            notes.add('blendModeApproximated', { mode: String(layer.blendMode) });
        }
        if (layer.adjustment) {
            notes.add('adjustmentsNotApplied');
        }
        if (hasActiveEffects(layer.effects)) {
            notes.add('effectsNotDrawn');
        }
        if (layer.vectorMask && !layer.vectorMask.disable && !layer.mask?.fromVectorData && !layer.vectorFill) {
            notes.add('vectorMasksNotApplied');
        }
        const drawnFill = isDrawnFill(layer, this.canvas);
        if (drawnFill && layer.vectorStroke?.strokeEnabled) {
            notes.add('strokesNotDrawn');
        }
        if (!node.children && !layer.adjustment && !layerRaster(layer) && !drawnFill && (layer.vectorFill || layer.text || layer.placedLayer)) {
            notes.add('layersWithoutPixels');
        } else if (layer.text) {
            notes.add('textFromStoredPixels');
        } else if (layer.placedLayer) {
            notes.add('smartObjectsFromStoredPixels');
        }
        if (layer.mask?.userMaskFeather || layer.mask?.vectorMaskFeather) {
            notes.add('featherNotApplied');
        }
        if (layer.blendingRanges && !hasDefaultBlendingRanges(layer.blendingRanges)) {
            notes.add('blendIfNotApplied');
        }
        if (layer.knockout) {
            notes.add('knockoutNotApplied');
        }
    }
}

/** Render notes deduplicated by code and parameters, in the order first met. */
export class RenderNotes {
    protected readonly notes = new Map<string, RenderNote>();

    add(code: RenderNoteCode, params?: RenderNote['params']): void {
        const key = params ? `${code}\0${JSON.stringify(params)}` : code;
        if (!this.notes.has(key)) {
            this.notes.set(key, params ? { code, params } : { code });
        }
    }

    list(): RenderNote[] {
        return [...this.notes.values()];
    }
}

function fillCanvasOf(psd: Psd): FillCanvas {
    return { width: psd.width, height: psd.height, linear: psd.bitsPerChannel === 32, patterns: psd.patterns };
}

function srgbToLinear(value: number): number {
    return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
}

function hasActiveEffects(effects: LayerEffectsInfo | undefined): boolean {
    if (!effects || effects.disabled) {
        return false;
    }
    return Object.values(effects).some(value => (Array.isArray(value) ? value : [value])
        .some(effect => typeof effect === 'object' && effect !== null && (effect as { enabled?: boolean }).enabled !== false));
}

function hasDefaultBlendingRanges(ranges: NonNullable<Layer['blendingRanges']>): boolean {
    const isFull = (range: number[]) => range[0] === 0 && range[1] === 0 && range[2] === 255 && range[3] === 255;
    return isFull(ranges.compositeGrayBlendSource) && isFull(ranges.compositeGraphBlendDestinationRange)
        && ranges.ranges.every(range => isFull(range.sourceRange) && isFull(range.destRange));
}

/**
 * Premultiplied floats to straight 8-bit sRGB, into `out`: 32-bit documents
 * blend in linear light; grayscale ones leave Dot Gain 20%, as psd-parser does.
 */
function toStraight8(surface: Surface, psd: Psd, out: Uint8Array): void {
    const linear = psd.bitsPerChannel === 32;
    const gray = psd.colorMode === 1 && !linear ? dotGainTable() : undefined;
    const source = surface.data;
    out.fill(0, 0, source.length);
    for (let i = 0; i < source.length; i += 4) {
        const alpha = Math.min(1, source[i + 3]);
        const alpha8 = Math.round(alpha * 255);
        if (alpha8 <= 0) {
            continue;
        }
        out[i + 3] = alpha8;
        for (let c = 0; c < 3; c++) {
            const straight = source[i + c] / alpha;
            const value = Math.round((linear ? linearToSrgb(straight) : Math.max(0, Math.min(1, straight))) * 255);
            out[i + c] = gray ? gray[value] : value;
        }
    }
}

let dotGain: Uint8Array | undefined;

function dotGainTable(): Uint8Array {
    dotGain ??= Uint8Array.from({ length: 256 }, (_, value) => dotGain20ToSrgb(value));
    return dotGain;
}
