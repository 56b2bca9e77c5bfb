/**
 * URLs of the media HTTP routes. Media bytes never travel over RPC: the
 * frontend puts these URLs into `<img>` elements, and the backend resolves them
 * through asset ids only, never through a path sent by the client.
 */
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
}
