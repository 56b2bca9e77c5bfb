/** The DataTransfer type of results dragged out of the results editor: a JSON array of asset ids. */
export const SEARCH_RESULTS_DRAG_TYPE = 'application/x-imageparser-asset-ids';

/**
 * Results as a drag carries them, for any view that takes a drop of images
 * (the Collections view, a reorder inside the results).
 */
export namespace SearchResultsDrag {
    /** Puts the dragged assets' ids on the drag. */
    export function write(data: DataTransfer, assetIds: readonly number[]): void {
        data.setData(SEARCH_RESULTS_DRAG_TYPE, JSON.stringify(assetIds));
        data.effectAllowed = 'copyMove';
    }

    /** The dragged assets' ids; undefined when the drag carries no results or its data is not a list of ids. */
    export function read(data: DataTransfer): number[] | undefined {
        if (!data.types.includes(SEARCH_RESULTS_DRAG_TYPE)) {
            return undefined;
        }
        try {
            const ids: unknown = JSON.parse(data.getData(SEARCH_RESULTS_DRAG_TYPE));
            return Array.isArray(ids) && ids.length && ids.every(id => Number.isSafeInteger(id) && id > 0) ? ids as number[] : undefined;
        } catch {
            return undefined;
        }
    }
}
