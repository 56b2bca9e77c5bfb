import { ContainerModule } from '@theia/core/shared/inversify';

/**
 * The search side bar, the results editor and the search-filter extension
 * point. The search UI binds here; it builds on archive-core's search protocol.
 */
export default new ContainerModule(() => {
    // The search view and its filter contribution point are bound here as they land.
});
