/**
 * Where a file of the archive lies, as the UI shows it: the folder it was
 * indexed from, by its display label, and the file's path below that folder.
 * Never an OS path: how the backend machine's disk is laid out stays on the
 * backend, so a browser-hosted team archive tells its users nothing about
 * it. A desktop action that needs the real path (reveal in folder, open with
 * the default program, copy the path) asks `LocalPathService` for it, once,
 * explicitly.
 */
export interface AssetLocation {
    /** The file's id in the archive: what `LocalPathService` resolves. */
    readonly fileId: number;
    /** The folder (ingest root) the file was found under; 0 when none is recorded. */
    readonly rootId: number;
    /**
     * The root folder's display label: its own name (`Art` for a folder
     * added as `/home/kim/Art`); for a root that is a single file, and for a
     * file whose root is unknown, the name of the folder holding the file.
     */
    readonly root: string;
    /** The file's path below its root, with `/` between folders; the file name alone for a root that is one file. */
    readonly relativePath: string;
}

export namespace AssetLocation {
    /** The file's name: the last part of {@link AssetLocation.relativePath}. */
    export function name(location: AssetLocation): string {
        return location.relativePath.slice(location.relativePath.lastIndexOf('/') + 1);
    }

    /** The location as one line of text for the UI: `Art/chars/hero.psd`. */
    export function display(location: AssetLocation): string {
        return location.root ? `${location.root}/${location.relativePath}` : location.relativePath;
    }

    /** True when `value` has the shape of an {@link AssetLocation} (RPC answers are plain JSON). */
    export function is(value: unknown): value is AssetLocation {
        const location = value as AssetLocation | undefined;
        return !!location && typeof location.fileId === 'number' && typeof location.rootId === 'number'
            && typeof location.root === 'string' && typeof location.relativePath === 'string';
    }
}
