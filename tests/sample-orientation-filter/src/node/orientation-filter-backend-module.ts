import { ContainerModule } from '@theia/core/shared/inversify';
import { SearchFilterCompiler } from '@imageparser/archive-core/lib/node/search/search-filter-compiler';
import { OrientationFilterCompiler } from './orientation-filter-compiler';

export default new ContainerModule(bind => {
    bind(SearchFilterCompiler).toConstantValue(new OrientationFilterCompiler());
});
