import * as path from 'path';
import type { AssetLocation } from '../../common/asset-location';

/** A file as the store records it: its id, its OS path and its root folder's id and OS path. */
export interface StoredFilePath {
    readonly fileId: number;
    readonly filePath: string;
    readonly rootId: number | null;
    readonly rootPath: string | null;
}

/**
 * The display label of a root folder: its own name, never its OS path
 * (`Art` for `/home/kim/Art`; the drive or `/` itself for a root at the top).
 */
export function rootLabel(rootPath: string): string {
    return path.basename(rootPath) || rootPath;
}

/**
 * Turns a stored file into the {@link AssetLocation} the protocol carries:
 * the root's label and the path below it. A file that lies outside its
 * recorded root, or has none, or is itself the root, is shown under the
 * folder holding it, so no answer ever carries the path above a root.
 */
export function assetLocation(file: StoredFilePath): AssetLocation {
    const rootId = file.rootId ?? 0;
    const relative = file.rootPath ? path.relative(file.rootPath, file.filePath) : '';
    if (!relative || relative.startsWith('..') || path.isAbsolute(relative)) {
        return { fileId: file.fileId, rootId, root: rootLabel(path.dirname(file.filePath)), relativePath: path.basename(file.filePath) };
    }
    return { fileId: file.fileId, rootId, root: rootLabel(file.rootPath!), relativePath: relative.split(path.sep).join('/') };
}

/**
 * A message about a stored file (a parser's or the system's own words, kept
 * as they were written) with the file's OS path and its folders' paths put
 * as the UI shows them, for answers that carry the message.
 */
export function withoutPaths(message: string, file: StoredFilePath): string {
    const location = assetLocation(file);
    const shown = `${location.root}/${location.relativePath}`;
    let text = message.split(file.filePath).join(shown);
    for (const folder of [file.rootPath, path.dirname(file.filePath)]) {
        if (folder && folder !== path.dirname(folder)) {
            text = text.split(folder).join(rootLabel(folder));
        }
    }
    return text;
}
