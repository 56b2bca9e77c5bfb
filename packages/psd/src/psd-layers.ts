import type { Layer } from 'ag-psd';

/** What a PSD layer is. */
export type LayerKind = 'pixel' | 'text' | 'group' | 'adjustment' | 'smart-object' | 'shape';

/** One layer of a PSD's tree, flattened in document order (top of the layers panel first); `idx` names it in render requests. */
export interface LayerRecord {
    /** The layer's place in document order, from 0. */
    readonly idx: number;
    /** The `idx` of the group holding it; none at the top level. */
    readonly parentIdx?: number;
    /** How many groups hold it; 0 at the top level. */
    readonly depth: number;
    readonly name: string;
    readonly kind: LayerKind;
    readonly visible: boolean;
    /** 0 (transparent) to 1. */
    readonly opacity: number;
    /** ag-psd's name of the blend mode (`normal`, `multiply`, `pass through`…). */
    readonly blendMode?: string;
    /** Whether it is clipped to the layer below it. */
    readonly clipping: boolean;
    /** Its rectangle in document pixels; none where the file gives none. */
    readonly bounds?: { readonly top: number; readonly left: number; readonly bottom: number; readonly right: number };
    /** A text layer's text. */
    readonly text?: string;
}

/** Flattens ag-psd's tree into document order, top of the panel first, with parents and depths. */
export function flattenLayers(children: readonly Layer[]): LayerRecord[] {
    const records: LayerRecord[] = [];
    const visit = (layers: readonly Layer[], parentIdx: number | undefined, depth: number) => {
        for (const layer of [...layers].reverse()) {
            const idx = records.length;
            records.push({
                idx,
                parentIdx,
                depth,
                name: layer.name ?? '',
                kind: kindOf(layer),
                visible: !layer.hidden,
                opacity: layer.opacity ?? 1,
                blendMode: layer.blendMode,
                clipping: !!layer.clipping,
                bounds: layer.top !== undefined ? { top: layer.top, left: layer.left ?? 0, bottom: layer.bottom ?? 0, right: layer.right ?? 0 } : undefined,
                text: layer.text?.text
            });
            if (layer.children) {
                visit(layer.children, idx, depth + 1);
            }
        }
    };
    visit(children, undefined, 0);
    return records;
}

function kindOf(layer: Layer): LayerKind {
    if (layer.children) {
        return 'group';
    }
    if (layer.text) {
        return 'text';
    }
    if (layer.adjustment) {
        return 'adjustment';
    }
    if (layer.placedLayer) {
        return 'smart-object';
    }
    if (layer.vectorFill || layer.vectorOrigination || (layer.vectorMask && (layer.right ?? 0) - (layer.left ?? 0) === 0)) {
        return 'shape';
    }
    return 'pixel';
}
