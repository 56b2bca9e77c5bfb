import { interfaces } from '@theia/core/shared/inversify';
import { LocalPathService } from '../../common/local-path-protocol';
import { BackendLocalPathPolicy, LocalPathPolicy } from './local-path-policy';
import { LocalPathServiceImpl } from './local-path-service-impl';

/**
 * The one service that answers OS paths, for desktop actions (reveal in
 * folder, copy path), and the policy that refuses it in a team deployment.
 */
export function bindLocalPaths(bind: interfaces.Bind): void {
    bind(BackendLocalPathPolicy).toSelf().inSingletonScope();
    bind(LocalPathPolicy).toService(BackendLocalPathPolicy);
    bind(LocalPathServiceImpl).toSelf().inSingletonScope();
    bind(LocalPathService).toService(LocalPathServiceImpl);
}
