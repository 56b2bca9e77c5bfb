import { inject, injectable } from '@theia/core/shared/inversify';
import { Event } from '@theia/core/lib/common/event';
import { nls } from '@theia/core/lib/common/nls';
import { SearchModel } from '@imageparser/search-view/lib/browser/search-model';
import type { ResultsScope, SearchResultsScope } from '@imageparser/search-view/lib/browser/search-results-scope';
import { CollectionsModel } from './collections-model';
import { SmartCollectionModel } from './smart/smart-collection-model';

/**
 * Names the collection the results show, above them and in their tab: the
 * open smart collection, or the collection the collection filter limits the
 * search to. Leaving either browses every image: the words and filters
 * that narrowed it go too (as a browser's "all images" shows them all).
 */
@injectable()
export class CollectionResultsScope implements SearchResultsScope {

    @inject(CollectionsModel)
    protected readonly collections: CollectionsModel;

    @inject(SmartCollectionModel)
    protected readonly smart: SmartCollectionModel;

    @inject(SearchModel)
    protected readonly search: SearchModel;

    get onDidChange(): Event<void> {
        return Event.any(this.collections.onDidChange, this.smart.onDidChange);
    }

    current(): ResultsScope | undefined {
        const smart = this.smart.collection;
        if (smart) {
            return {
                title: this.smart.edited
                    ? nls.localize('imageparser/collections/scope/smartEdited', 'Smart collection: {0} (edited)', smart.name)
                    : nls.localize('imageparser/collections/smart/banner', 'Smart collection: {0}', smart.name),
                leave: () => {
                    this.smart.close();
                    this.search.applyQuery({});
                }
            };
        }
        const id = this.collections.shownCollectionId;
        if (id === undefined) {
            return undefined;
        }
        const shown = this.collections.get(id);
        const name = shown?.name ?? nls.localize('imageparser/collections/filter/gone', 'deleted collection');
        return {
            // A smart collection narrowed by a filter preset is still named a smart collection.
            title: shown?.kind === 'smart'
                ? nls.localize('imageparser/collections/smart/banner', 'Smart collection: {0}', name)
                : nls.localize('imageparser/collections/filter/chip', 'Collection: {0}', name),
            // All images, as the button says: the filters (a preset's) that narrowed the collection go with it, the words too.
            leave: () => this.search.applyQuery({})
        };
    }
}
