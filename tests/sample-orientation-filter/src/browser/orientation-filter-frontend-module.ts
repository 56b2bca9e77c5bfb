import { ContainerModule } from '@theia/core/shared/inversify';
import { SearchFilterContribution } from '@imageparser/search-view/lib/browser/search-filter-contribution';
import { OrientationFilterContribution } from './orientation-filter-contribution';

export default new ContainerModule(bind => {
    bind(SearchFilterContribution).toConstantValue(new OrientationFilterContribution());
});
