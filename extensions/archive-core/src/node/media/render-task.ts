import type { ParseLimits } from '../ingest/parse-result';
import type { LayerVisibility } from '../layers/layer-compositor';

/** Work the render threads do for the viewer; every task names a file the backend resolved from an asset id. */
export type RenderTask =
    /** A Deep Zoom pyramid of the full image (512 px WebP tiles) written to `temp`, then renamed to `folder`. */
    | { readonly op: 'pyramid'; readonly file: string; readonly kind: string; readonly folder: string; readonly temp: string; readonly limits: ParseLimits }
    /** A PSD's layers composited with visibility changes, fitted in `maxSize`, as PNG. */
    | { readonly op: 'layers'; readonly file: string; readonly visibility: LayerVisibility; readonly maxSize: number; readonly limits: ParseLimits }
    /** One layer alone, fitted in `size`, as WebP. */
    | { readonly op: 'layer-thumbnail'; readonly file: string; readonly idx: number; readonly size: number; readonly limits: ParseLimits };

export type RenderOutcome =
    | {
        readonly ok: true;
        readonly bytes?: Uint8Array;
        readonly width?: number;
        readonly height?: number;
        /** What the layer rendering approximated, for the UI. */
        readonly approximations?: readonly string[];
    }
    | { readonly ok: false; readonly error: { readonly code: string; readonly message: string } };
