import type { LayerVisibility, ParseLimits, RenderNote } from '@imageparser/psd';

/** What every render task carries: the file the backend resolved from an asset id, and whose it is. */
interface RenderTaskBase {
    readonly file: string;
    /** The asset's content hash: the lanes take turns between assets, so one asset never holds every thread. */
    readonly asset?: string;
    readonly limits: ParseLimits;
}

/** Work the render threads do for the viewer. */
export type RenderTask =
    /** A Deep Zoom pyramid of the full image (512 px WebP tiles) written to `temp`, then renamed to `folder`. */
    | RenderTaskBase & { readonly op: 'pyramid'; readonly kind: string; readonly folder: string; readonly temp: string }
    /** A PSD's layers composited with visibility changes, fitted in `maxSize`, as PNG. */
    | RenderTaskBase & { readonly op: 'layers'; readonly visibility: LayerVisibility; readonly maxSize: number }
    /** One layer alone, fitted in `size`, as WebP. */
    | RenderTaskBase & { readonly op: 'layer-thumbnail'; readonly idx: number; readonly size: number };

/**
 * What the pool hands a render thread: a task, and for layer tasks whether
 * the thread may keep the document's layers for the next task (the pool
 * counts them against the memory budget while kept).
 */
export type RenderThreadTask = RenderTask & { readonly keepLayers?: boolean };

export type RenderOutcome =
    | {
        readonly ok: true;
        readonly bytes?: Uint8Array;
        readonly width?: number;
        readonly height?: number;
        /** What the layer rendering approximated, for the UI. */
        readonly approximations?: readonly RenderNote[];
    }
    | { readonly ok: false; readonly error: { readonly code: string; readonly message: string } };
