/**
 * URLs of the media HTTP routes. Media bytes never travel over RPC: the
 * frontend puts these URLs into `<img>` elements, and the backend resolves them
 * through asset ids only, never through a path sent by the client.
 */

/** What a layer render could not draw exactly (defined once, as pure data, by the PSD package that draws it; a type only, nothing of the package loads). */
export type { RenderNote, RenderNoteCode } from '@imageparser/psd/lib/render-note';
export namespace MediaRoutes {
    /** The prefix every media route lives under. */
    export const ROOT = '/imageparser/media';

    /** The kinds of media an asset has. */
    /** The grid thumbnail (about 256 px) and the preview (about 1024 px). */
    export type Kind = 'thumbnail' | 'preview';

    /** The relative URL of one asset's media of the given kind. */
    export function url(kind: Kind, assetId: number): string {
        return `${ROOT}/${kind}/${assetId}`;
    }

    /** The original file's bytes; `download` asks the browser to save it. */
    export function originalUrl(assetId: number, download = false): string {
        return `${ROOT}/original/${assetId}${download ? '?download=1' : ''}`;
    }

    /** The Deep Zoom descriptor of the full image; its tiles live under `…/image_files/<level>/<x>_<y>.webp`. */
    export function tilesUrl(assetId: number): string {
        return `${ROOT}/tiles/${assetId}/image.dzi`;
    }

    /** Layer changes for a PSD render: layer idx values to hide or show, or one layer alone. */
    export interface LayerVisibility {
        readonly hidden?: readonly number[];
        readonly shown?: readonly number[];
        readonly solo?: number;
    }

    /** A PSD's layers composited with the changes, as PNG; the response's `X-ImageParser-Approximations` header lists what was approximated (JSON, URI-encoded). */
    export function layersUrl(assetId: number, visibility: LayerVisibility = {}): string {
        const query = new URLSearchParams();
        if (visibility.hidden?.length) {
            query.set('hidden', [...visibility.hidden].sort((a, b) => a - b).join(','));
        }
        if (visibility.shown?.length) {
            query.set('shown', [...visibility.shown].sort((a, b) => a - b).join(','));
        }
        if (visibility.solo !== undefined) {
            query.set('solo', String(visibility.solo));
        }
        const text = query.toString();
        return `${ROOT}/layers/${assetId}/render${text ? `?${text}` : ''}`;
    }

    /** One layer alone, small, as WebP (204 when it has no pixels). */
    export function layerThumbnailUrl(assetId: number, idx: number): string {
        return `${ROOT}/layers/${assetId}/${idx}/thumbnail`;
    }

    /** A layer render's notes: a URI-encoded JSON array of {@link RenderNote}s, codes the UI words in the display language. */
    export const APPROXIMATIONS_HEADER = 'X-ImageParser-Approximations';
}
