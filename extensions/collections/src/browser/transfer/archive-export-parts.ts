import type { Collection } from '@imageparser/archive-core/lib/common/collection-protocol';
import type { ExportScope } from '@imageparser/archive-core/lib/common/archive-transfer-protocol';
import type { SearchQuery } from '@imageparser/archive-core/lib/common/search-protocol';

/** The part of the archive the export dialog writes, as the user chose it. */
export type ArchiveExportPart =
    | { readonly kind: 'archive' }
    | { readonly kind: 'results' }
    | { readonly kind: 'collection'; readonly collectionId: number }
    | { readonly kind: 'folder'; readonly path: string };

/** A collection as the dialog lists it: in the tree's order, with its depth for indentation. */
export interface ExportCollectionOption {
    readonly id: number;
    readonly name: string;
    readonly kind: Collection['kind'];
    readonly count: number;
    readonly depth: number;
}

/** The collections in the order of the Collections view's tree (siblings by position), each with its depth; ones whose folder is missing come at the top. */
export function collectionOptions(collections: readonly Collection[]): ExportCollectionOption[] {
    const ids = new Set(collections.map(collection => collection.id));
    const children = new Map<number | undefined, Collection[]>();
    for (const collection of collections) {
        const parent = collection.parentId !== undefined && ids.has(collection.parentId) ? collection.parentId : undefined;
        children.set(parent, [...children.get(parent) ?? [], collection]);
    }
    const options: ExportCollectionOption[] = [];
    const visit = (parent: number | undefined, depth: number) => {
        const siblings = [...children.get(parent) ?? []].sort((a, b) => a.position - b.position || a.id - b.id);
        for (const collection of siblings) {
            options.push({ id: collection.id, name: collection.name, kind: collection.kind, count: collection.count, depth });
            // A cycle cannot come from the store; the depth bound keeps a broken answer from looping.
            if (depth < 64) {
                visit(collection.id, depth + 1);
            }
        }
    };
    visit(undefined, 0);
    return options;
}

/** The export scope of a part; the current results are the search model's query (every hit, whatever page is shown). */
export function scopeOfPart(part: ArchiveExportPart, resultsQuery: SearchQuery): ExportScope {
    switch (part.kind) {
        case 'archive': return { kind: 'archive' };
        case 'results': return { kind: 'query', query: resultsQuery };
        case 'collection': return { kind: 'collection', collectionId: part.collectionId };
        case 'folder': return { kind: 'folder', path: part.path };
    }
}
