import { ContainerModule } from '@theia/core/shared/inversify';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { FleetApiEndpoint } from './server/fleet-api-endpoint';
import { bindFleetServer } from './server/fleet-server-bindings';

/**
 * The fleet server in the app's backend: the worker API routes (`/api/v1`)
 * over archive-core's job queue, worker tokens and sessions.
 */
export default new ContainerModule(bind => {
    bindFleetServer(bind);
    bind(BackendApplicationContribution).toService(FleetApiEndpoint);
});
