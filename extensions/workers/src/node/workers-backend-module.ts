import { ContainerModule } from '@theia/core/shared/inversify';
import { ConnectionHandler, RpcConnectionHandler } from '@theia/core/lib/common/messaging';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { FLEET_SERVICE_PATH, FleetClient } from '../common/fleet-service';
import { bindLocalWorkerLauncher } from './runtime/child-process-worker-launcher';
import { FleetApiEndpoint } from './server/fleet-api-endpoint';
import { BackendFleetServerAddress } from './server/fleet-server-address';
import { bindFleetServer } from './server/fleet-server-bindings';
import { FleetServiceImpl } from './server/fleet-service-impl';
import { WorkerRegistry } from './server/worker-registry';

/**
 * The fleet server in the app's backend: the worker API routes (`/api/v1`)
 * over archive-core's job queue, worker tokens and sessions, the fleet
 * panel's RPC service with its change notifications, and the worker this
 * machine contributes (a child `imageparser worker`).
 */
export default new ContainerModule(bind => {
    bindFleetServer(bind);
    bind(BackendApplicationContribution).toService(FleetApiEndpoint);
    bind(BackendApplicationContribution).toService(BackendFleetServerAddress);
    bind(BackendApplicationContribution).toDynamicValue(ctx => ({
        onStop: () => ctx.container.get<WorkerRegistry>(WorkerRegistry).dispose()
    })).inSingletonScope();
    bind(ConnectionHandler).toDynamicValue(ctx =>
        new RpcConnectionHandler<FleetClient>(FLEET_SERVICE_PATH, client => {
            const service = ctx.container.get(FleetServiceImpl);
            service.setClient(client);
            client.onDidCloseConnection(() => service.dispose());
            return service;
        })
    ).inSingletonScope();
    bindLocalWorkerLauncher(bind);
});
