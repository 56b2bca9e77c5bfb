import { ContainerModule } from '@theia/core/shared/inversify';

/** The fleet admin panel: workers, roles, state, resources, schedules and per-phase queues. */
export default new ContainerModule(() => {
    // The fleet admin panel is bound here as it lands.
});
