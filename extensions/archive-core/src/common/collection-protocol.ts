/**
 * The collections RPC contract: folders, manual collections (assets in the
 * user's own order) and smart collections (a saved search whose members
 * follow the archive), filter presets, and collections shared as JSON
 * (see `collections-json.ts`). archive-core owns the data; the collections
 * extension is the UI over it.
 */
import type { FilterClause, SearchQuery } from './search-protocol';
import type { CollectionsJson } from './collections-json';

export const COLLECTION_SERVICE_PATH = '/services/imageparser/collections';

export type CollectionKind = 'folder' | 'manual' | 'smart';

/**
 * What a smart collection saves: a search without its page (text, filters,
 * references, axis weights, sort). Members are the search's hits, at most
 * {@link SMART_COLLECTION_LIMIT}.
 */
export type SmartQuery = Omit<SearchQuery, 'offset' | 'limit'>;

/** The longest collection or filter preset name, in characters (the store refuses a longer one; the name dialogs say so first). */
export const MAX_COLLECTION_NAME_LENGTH = 200;

/** The most members a smart collection keeps (its search's first hits). */
export const SMART_COLLECTION_LIMIT = 10_000;

/** The search filter clause that limits a search to one collection's members (manual or smart). */
export interface CollectionFilterClause extends FilterClause {
    readonly kind: 'collection';
    readonly collectionId: number;
}
export const COLLECTION_FILTER_KIND = 'collection';

export interface Collection {
    readonly id: number;
    /** Stays with the collection across archives (JSON and archive import merge by it). */
    readonly uid: string;
    readonly kind: CollectionKind;
    readonly name: string;
    /** The folder holding it; undefined at the top. */
    readonly parentId?: number;
    /** Order among its siblings (ascending). */
    readonly position: number;
    /** Members now (a folder: 0). */
    readonly count: number;
    /** The asset shown as its cover: the one the user chose, else its first member; undefined when empty. */
    readonly coverAssetId?: number;
    /** Whether the user chose the cover (else it follows the first member). */
    readonly coverChosen: boolean;
    /** A smart collection's saved search. */
    readonly query?: SmartQuery;
    readonly createdAt: string;
    readonly updatedAt: string;
}

export interface FilterPreset {
    readonly id: number;
    readonly uid: string;
    readonly name: string;
    readonly filters: readonly FilterClause[];
    readonly createdAt: string;
    readonly updatedAt: string;
}

/** Where to put a collection: a folder (undefined: the top) and before which sibling (undefined: last). */
export interface CollectionPlace {
    readonly parentId?: number;
    readonly beforeId?: number;
}

/** What importing collections JSON did: matched members, and every member it could not match, never dropped silently. */
export interface CollectionsImportReport {
    readonly collectionsAdded: number;
    /** Collections already here (same uid) whose members were merged. */
    readonly collectionsMerged: number;
    readonly presetsAdded: number;
    readonly membersAdded: number;
    /** Members found here by content hash. */
    readonly matchedByHash: number;
    /** Members found here by path only (the content changed or had no hash). */
    readonly matchedByPath: number;
    /** Members found nowhere: the collection, and the member's hash and paths as the file gave them. */
    readonly unmatched: readonly { readonly collection: string; readonly contentHash?: string; readonly paths: readonly string[] }[];
}

export const CollectionClient = Symbol('CollectionClient');

export interface CollectionClient {
    /** Collections or presets changed (made, renamed, moved, deleted, members added or removed, smart members recomputed). */
    onCollectionsChanged(): void;
}

export const CollectionService = Symbol('CollectionService');

/**
 * Every call that changes something throws `ArchiveErrors.ReadOnly` on a
 * read-only archive and a readable Error for an unknown id, a name left
 * empty, or a folder moved into itself.
 */
export interface CollectionService {
    setClient(client: CollectionClient | undefined): void;

    /** Every live collection and folder (deleted ones are not listed). */
    list(): Promise<Collection[]>;
    get(id: number): Promise<Collection | undefined>;
    /** Makes a folder, a manual collection (optionally with members, in that order) or a smart collection (`query` required). */
    create(kind: CollectionKind, name: string, options?: { readonly place?: CollectionPlace; readonly assetIds?: readonly number[]; readonly query?: SmartQuery }): Promise<Collection>;
    rename(id: number, name: string): Promise<void>;
    move(id: number, place: CollectionPlace): Promise<void>;
    /** Changes a smart collection's saved search; its members are recomputed. */
    updateQuery(id: number, query: SmartQuery): Promise<void>;
    /** Chooses the cover (undefined: back to the first member). */
    setCover(id: number, assetId: number | undefined): Promise<void>;
    /** Deletes a collection (a folder with all it holds); {@link restore} undoes it. */
    delete(id: number): Promise<void>;
    /** Undoes a {@link delete}: the collection comes back where it was, with its members and order. */
    restore(id: number): Promise<void>;

    /** A collection's member ids in its order (manual: the user's order; smart: the query's). */
    members(id: number): Promise<number[]>;
    /** Adds assets to a manual collection, at the end or before an asset in it; ones already in it stay where they are. Answers how many were added. */
    addAssets(id: number, assetIds: readonly number[], beforeAssetId?: number): Promise<number>;
    /** Removes assets from a manual collection; answers how many were in it. Undo by adding them again with {@link addAssets}/{@link reorder}. */
    removeAssets(id: number, assetIds: readonly number[]): Promise<number>;
    /** Moves assets (keeping their relative order) before another member, or to the end when `beforeAssetId` is undefined. */
    reorder(id: number, assetIds: readonly number[], beforeAssetId?: number): Promise<void>;
    /** The live manual collections an asset is in (for the viewer and the context menu). */
    collectionsOf(assetId: number): Promise<number[]>;

    presets(): Promise<FilterPreset[]>;
    savePreset(name: string, filters: readonly FilterClause[]): Promise<FilterPreset>;
    renamePreset(id: number, name: string): Promise<void>;
    /** Replaces a preset's filters with the current ones. */
    updatePreset(id: number, filters: readonly FilterClause[]): Promise<void>;
    deletePreset(id: number): Promise<void>;

    /** The given collections (a folder: with all it holds; none given: all) and the presets as collections JSON. */
    exportJson(ids?: readonly number[], options?: { readonly includePresets?: boolean }): Promise<CollectionsJson>;
    /** Merges collections JSON into this archive (by uid); throws a readable Error and changes nothing for a file that is not valid collections JSON or is of a newer version. */
    importJson(json: unknown): Promise<CollectionsImportReport>;
}
