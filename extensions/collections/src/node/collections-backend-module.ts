import { ContainerModule } from '@theia/core/shared/inversify';
import { SearchFilterCompiler } from '@imageparser/archive-core/lib/node/search/search-filter-compiler';
import { CollectionFilterCompiler } from './collection-filter-compiler';

/**
 * The collection search filter's backend half: a `SearchFilterCompiler` for
 * clauses of kind `collection`, bound as any third-party filter is.
 */
export default new ContainerModule(bind => {
    bind(SearchFilterCompiler).toConstantValue(new CollectionFilterCompiler());
});
