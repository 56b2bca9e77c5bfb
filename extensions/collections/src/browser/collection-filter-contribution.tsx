import * as React from '@theia/core/shared/react';
import { inject, injectable } from '@theia/core/shared/inversify';
import { nls } from '@theia/core/lib/common/nls';
import type { FilterClause } from '@imageparser/archive-core/lib/common/search-protocol';
import { COLLECTION_FILTER_KIND, CollectionFilterClause } from '@imageparser/archive-core/lib/common/collection-protocol';
import type { SearchFilterContribution } from '@imageparser/search-view/lib/browser/search-filter-contribution';
import { CollectionsModel } from './collections-model';

/**
 * The collection filter's panel half, contributed as any third party
 * contributes a filter: a dropdown of the manual and smart collections that
 * limits any search to one collection's members. The backend half (the
 * `SearchFilterCompiler` of kind `collection`) lives in this package's node part.
 */
@injectable()
export class CollectionFilterContribution implements SearchFilterContribution {

    @inject(CollectionsModel)
    protected readonly collections: CollectionsModel;

    readonly id = COLLECTION_FILTER_KIND;
    readonly label = nls.localize('imageparser/collections/filter/label', 'Collection');

    render(clause: FilterClause | undefined, onChange: (clause: FilterClause | undefined) => void): React.ReactNode {
        const selected = (clause as CollectionFilterClause | undefined)?.collectionId;
        const choices = this.collections.collections.filter(collection => collection.kind !== 'folder')
            .map(collection => ({ id: collection.id, path: this.collections.pathOf(collection.id) }))
            .sort((a, b) => a.path.localeCompare(b.path));
        if (selected !== undefined && !choices.some(choice => choice.id === selected)) {
            choices.unshift({ id: selected, path: this.nameOf(selected) });
        }
        return <select className='theia-select imageparser-collection-filter' aria-label={this.label} value={selected ?? ''}
            onChange={event => onChange(event.target.value ? { kind: COLLECTION_FILTER_KIND, collectionId: Number(event.target.value) } as CollectionFilterClause : undefined)}>
            <option value=''>{nls.localize('imageparser/collections/filter/any', 'Any collection')}</option>
            {choices.map(choice => <option key={choice.id} value={choice.id}>{choice.path}</option>)}
        </select>;
    }

    describe(clause: FilterClause): string {
        return nls.localize('imageparser/collections/filter/chip', 'Collection: {0}', this.nameOf((clause as CollectionFilterClause).collectionId));
    }

    /** The collection's name, or a note that it is gone (deleted since the search was made). */
    protected nameOf(id: number): string {
        return this.collections.get(id)?.name ?? nls.localize('imageparser/collections/filter/gone', 'deleted collection');
    }
}
