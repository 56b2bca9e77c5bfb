import { interfaces } from '@theia/core/shared/inversify';
import { SqliteWorkerTokenRepository, WorkerTokenRepository } from '@imageparser/archive-core/lib/node/store/worker-token-repository';
import { FleetApiEndpoint } from './fleet-api-endpoint';
import { DefaultFleetApiService, FleetApiService } from './fleet-api-service';
import { DefaultFleetPhases, FleetPhases } from './fleet-phases';
import { DefaultLocalWorkerTokens, LocalWorkerTokens } from './local-worker-tokens';
import { DefaultWorkerRegistry, WorkerRegistry } from './worker-registry';
import { BottleneckRoleAssigner, WorkerRoleAssigner } from './worker-role-assigner';
import { DefaultWorkerSourceService, WorkerSourceService } from './worker-source-service';
import { DefaultWorkerTokenService, WorkerTokenService } from './worker-token-service';

/**
 * The fleet server over an archive container (the app's backend, or
 * `imageparser serve`'s own): worker tokens, the registry of worker
 * sessions, role assignment, the worker API service and its HTTP endpoint
 * (whose `configure(app)` the caller runs, or the backend as a contribution).
 * It needs archive-core's store, phases (`JobQueue`), asset media and AI
 * image source bound.
 */
export function bindFleetServer(bind: interfaces.Bind): void {
    bind(SqliteWorkerTokenRepository).toSelf().inSingletonScope();
    bind(WorkerTokenRepository).toService(SqliteWorkerTokenRepository);
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
}
