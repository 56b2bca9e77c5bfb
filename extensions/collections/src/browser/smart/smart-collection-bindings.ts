import { interfaces } from '@theia/core/shared/inversify';
import { CommandContribution } from '@theia/core/lib/common/command';
import { SearchWidgetSection } from '@imageparser/search-view/lib/browser/search-widget-section';
import { SearchResultsScope } from '@imageparser/search-view/lib/browser/search-results-scope';
import { CollectionResultsScope } from '../collection-results-scope';
import { SmartCollectionContribution } from './smart-collection-contribution';
import { SmartCollectionModel } from './smart-collection-model';
import { SmartCollectionSection } from './smart-collection-section';
import '../../../src/browser/style/smart-collections.css';

/**
 * Smart collections in the frontend: the model of the open one, its commands
 * and its part of the search side bar; and what names the (smart) collection
 * the results show, above them.
 */
export function bindSmartCollections(bind: interfaces.Bind): void {
    bind(SmartCollectionModel).toSelf().inSingletonScope();
    bind(SmartCollectionContribution).toSelf().inSingletonScope();
    bind(CommandContribution).toService(SmartCollectionContribution);
    bind(SmartCollectionSection).toSelf().inSingletonScope();
    bind(SearchWidgetSection).toService(SmartCollectionSection);
    bind(CollectionResultsScope).toSelf().inSingletonScope();
    bind(SearchResultsScope).toService(CollectionResultsScope);
}
