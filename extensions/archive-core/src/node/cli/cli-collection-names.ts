import type { Collection } from '../../common/collection-protocol';

/** A live collection or folder as the command line names it, with its folders' names from the top. */
export interface NamedCollection {
    readonly collection: Collection;
    readonly folders: readonly string[];
}

/**
 * The collections or folders a command-line argument names, among the live
 * ones: the one with that id when the argument is a whole number and one
 * has it, else every one with exactly that name (NFC-normalized, so a
 * Korean name typed on any keyboard matches).
 */
export function collectionsNamed(collections: readonly Collection[], nameOrId: string): NamedCollection[] {
    const byId = new Map(collections.map(collection => [collection.id, collection]));
    const found = /^\d+$/.test(nameOrId) && byId.has(Number(nameOrId))
        ? [byId.get(Number(nameOrId))!]
        : collections.filter(collection => collection.name.normalize('NFC') === nameOrId.normalize('NFC'));
    return found.map(collection => {
        const folders: string[] = [];
        for (let parent = collection.parentId; parent !== undefined && folders.length < 100;) {
            const folder = byId.get(parent);
            if (!folder) {
                break;
            }
            folders.unshift(folder.name);
            parent = folder.parentId;
        }
        return { collection, folders };
    });
}
