import URI from '@theia/core/lib/common/uri';

/**
 * URIs naming archive assets (`imageparser-asset:/<id>`), so opening an
 * asset goes through Theia's OpenerService: the viewer extension's handler
 * opens the lightbox, and any other package can offer its own.
 */
export namespace AssetUri {
    export const SCHEME = 'imageparser-asset';

    export function create(assetId: number): URI {
        return new URI(`${SCHEME}:/${assetId}`);
    }

    /** The asset id a URI names, or undefined when it names none. */
    export function assetIdOf(uri: URI): number | undefined {
        if (uri.scheme !== SCHEME) {
            return undefined;
        }
        const match = /^\/?([1-9][0-9]{0,15})$/.exec(uri.path.toString());
        return match ? Number(match[1]) : undefined;
    }
}

/** Opener options for an asset opened from a list of results: its position there, for previous/next. */
export interface AssetOpenerOptions {
    readonly resultIndex?: number;
}
