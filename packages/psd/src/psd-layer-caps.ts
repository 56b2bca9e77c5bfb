import type { Layer } from 'ag-psd';
import { DEFAULT_PARSE_LIMITS, ParseLimits } from './parse-limits';

/** How many layers a tree has (groups included) and how deep its groups nest (0: none), counted without recursion. */
export function measureLayerTree(children: readonly Layer[] | undefined): { count: number; depth: number } {
    let count = 0, depth = 0;
    const stack: { layers: readonly Layer[]; depth: number }[] = children ? [{ layers: children, depth: 0 }] : [];
    while (stack.length) {
        const level = stack.pop()!;
        for (const layer of level.layers) {
            count++;
            if (layer.children) {
                depth = Math.max(depth, level.depth + 1);
                stack.push({ layers: layer.children, depth: level.depth + 1 });
            }
        }
    }
    return { count, depth };
}

/**
 * Why a layer tree is too big to render, checked before any compositing:
 * a document with thousands of nested groups would otherwise hold a render
 * thread for minutes. Undefined when within the limits.
 */
export function layerCapsProblem(count: number, depth: number, limits: ParseLimits): string | undefined {
    const maxDepth = limits.maxGroupDepth ?? DEFAULT_PARSE_LIMITS.maxGroupDepth!;
    const maxCount = limits.maxLayerCount ?? DEFAULT_PARSE_LIMITS.maxLayerCount!;
    if (depth > maxDepth) {
        return `The layers are nested ${depth.toLocaleString('en-US')} groups deep; ImageParser renders at most ${maxDepth} levels of groups (Photoshop itself makes at most 10).`;
    }
    if (count > maxCount) {
        return `The document has ${count.toLocaleString('en-US')} layers; ImageParser renders at most ${maxCount.toLocaleString('en-US')}.`;
    }
    return undefined;
}
