import { interfaces } from '@theia/core/shared/inversify';
import { CurrentUser, LocalCurrentUser } from './current-user';

/**
 * The process-wide default {@link CurrentUser}: the local user. Sign-in binds
 * another `CurrentUser` in a `ConnectionContainerModule`; the connection's
 * binding wins over this one for the per-connection services.
 */
export function bindCurrentUser(bind: interfaces.Bind): void {
    bind(LocalCurrentUser).toSelf().inSingletonScope();
    bind(CurrentUser).toService(LocalCurrentUser);
}
