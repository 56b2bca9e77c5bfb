import { interfaces } from '@theia/core/shared/inversify';
import { SqliteWorkerLeaseRepository, WorkerLeaseRepository } from '@imageparser/archive-core/lib/node/store/worker-lease-repository';
import { SqliteWorkerTokenRepository, WorkerTokenRepository } from '@imageparser/archive-core/lib/node/store/worker-token-repository';
import { FleetApiEndpoint } from './fleet-api-endpoint';
import { DefaultFleetApiService, FleetApiService } from './fleet-api-service';
import { DefaultFleetOverviews, FleetOverviews } from './fleet-overviews';
import { DefaultFleetPhases, FleetPhases } from './fleet-phases';
import { BackendFleetServerAddress, FleetServerAddress } from './fleet-server-address';
import { FleetServiceImpl } from './fleet-service-impl';
import { DefaultLocalWorkerTokens, LocalWorkerTokens } from './local-worker-tokens';
import { DefaultWorkerRegistry, WorkerRegistry } from './worker-registry';
import { BottleneckRoleAssigner, WorkerRoleAssigner } from './worker-role-assigner';
import { DefaultWorkerSourceService, WorkerSourceService } from './worker-source-service';
import { DefaultWorkerTokenService, WorkerTokenService } from './worker-token-service';

/**
 * The fleet server over an archive container (the app's backend, or
 * `imageparser serve`'s own): worker tokens, the registry of worker
 * sessions, role assignment, the worker API service and its HTTP endpoint
 * (whose `configure(app)` the caller runs, or the backend as a contribution),
 * the fleet overview and the panel's RPC service (one per connection).
 * It needs archive-core's store, phases (`JobQueue`), asset media and AI
 * image source bound.
 */
export function bindFleetServer(bind: interfaces.Bind): void {
    bind(SqliteWorkerTokenRepository).toSelf().inSingletonScope();
    bind(WorkerTokenRepository).toService(SqliteWorkerTokenRepository);
    bind(SqliteWorkerLeaseRepository).toSelf().inSingletonScope();
    bind(WorkerLeaseRepository).toService(SqliteWorkerLeaseRepository);
    bind(DefaultWorkerTokenService).toSelf().inSingletonScope();
    bind(WorkerTokenService).toService(DefaultWorkerTokenService);
    bind(DefaultFleetPhases).toSelf().inSingletonScope();
    bind(FleetPhases).toService(DefaultFleetPhases);
    bind(BottleneckRoleAssigner).toSelf().inSingletonScope();
    bind(WorkerRoleAssigner).toService(BottleneckRoleAssigner);
    bind(DefaultWorkerRegistry).toSelf().inSingletonScope();
    bind(WorkerRegistry).toService(DefaultWorkerRegistry);
    bind(DefaultLocalWorkerTokens).toSelf().inSingletonScope();
    bind(LocalWorkerTokens).toService(DefaultLocalWorkerTokens);
    bind(DefaultFleetApiService).toSelf().inSingletonScope();
    bind(FleetApiService).toService(DefaultFleetApiService);
    bind(DefaultWorkerSourceService).toSelf().inSingletonScope();
    bind(WorkerSourceService).toService(DefaultWorkerSourceService);
    bind(FleetApiEndpoint).toSelf().inSingletonScope();
    bind(BackendFleetServerAddress).toSelf().inSingletonScope();
    bind(FleetServerAddress).toService(BackendFleetServerAddress);
    bind(DefaultFleetOverviews).toSelf().inSingletonScope();
    bind(FleetOverviews).toService(DefaultFleetOverviews);
    // One per RPC channel: each tells its own client.
    bind(FleetServiceImpl).toSelf();
}
