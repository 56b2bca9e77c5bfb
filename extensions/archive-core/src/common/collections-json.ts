/**
 * Collections JSON: how collections, smart collections and filter presets
 * travel between archives (documented in docs/collections-json.md).
 * Members are referenced by content hash (the same image in any archive)
 * plus the paths they had, so an import can still find an image whose
 * content changed; what matches neither is reported, never dropped.
 *
 * Versioned: `format` is always {@link COLLECTIONS_JSON_FORMAT}, `version`
 * the schema version. A reader accepts every version up to its own and
 * refuses a newer one by name.
 */
import type { CollectionKind, SmartQuery } from './collection-protocol';
import type { FilterClause } from './search-protocol';

export const COLLECTIONS_JSON_FORMAT = 'imageparser-collections';
export const COLLECTIONS_JSON_VERSION = 1;

export interface CollectionsJsonMember {
    /** The asset's content hash (SHA-256 hex, as the archive stores it). */
    readonly contentHash: string;
    /** The asset's files' paths in the exporting archive (may be empty when paths were left out). */
    readonly paths: readonly string[];
}

export interface CollectionsJsonCollection {
    readonly uid: string;
    readonly kind: CollectionKind;
    readonly name: string;
    /** The uid of the folder holding it (a collection in the same file); absent at the top. */
    readonly parentUid?: string;
    readonly position: number;
    /** Manual collections: members in order. */
    readonly members?: readonly CollectionsJsonMember[];
    /** The chosen cover, when one was chosen. */
    readonly cover?: CollectionsJsonMember;
    /** Smart collections: the saved search. Reference assets travel as members in `references`. */
    readonly query?: SmartQuery;
    /** Smart collections: the query's reference images (its `references.assetIds` are ids of the exporting archive, matched again on import through these). */
    readonly references?: readonly CollectionsJsonMember[];
    readonly createdAt: string;
    readonly updatedAt: string;
}

export interface CollectionsJsonPreset {
    readonly uid: string;
    readonly name: string;
    readonly filters: readonly FilterClause[];
}

export interface CollectionsJson {
    readonly format: typeof COLLECTIONS_JSON_FORMAT;
    readonly version: number;
    readonly exportedAt: string;
    /** The app version that wrote it. */
    readonly generator?: string;
    readonly collections: readonly CollectionsJsonCollection[];
    readonly presets: readonly CollectionsJsonPreset[];
}
