import { ContainerModule } from '@theia/core/shared/inversify';

/** The in-process worker runtime that claims phase jobs from archive-core's job queue. */
export default new ContainerModule(() => {
    // The in-process worker runtime is bound here as it lands.
});
