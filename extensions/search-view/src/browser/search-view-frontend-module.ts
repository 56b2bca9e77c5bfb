import { ContainerModule } from '@theia/core/shared/inversify';
import { bindRootContributionProvider } from '@theia/core/lib/common/contribution-provider';
import { SearchFilterContribution } from './search-filter-contribution';

/**
 * The search side bar, the results editor and the search-filter extension
 * point (`SearchFilterContribution`, bound as a root contribution provider
 * so filters bound by any package's module are found).
 */
export default new ContainerModule(bind => {
    bindRootContributionProvider(bind, SearchFilterContribution);
});
