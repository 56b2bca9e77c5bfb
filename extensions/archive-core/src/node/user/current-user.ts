import * as os from 'os';
import { injectable } from '@theia/core/shared/inversify';

export const CurrentUser = Symbol('CurrentUser');

/**
 * The user a frontend connection acts as. Services that depend on the user
 * (annotations, ingest) are bound per connection and inject this; it is
 * resolved in each connection's container, so a binding made there (a
 * `ConnectionContainerModule` that knows the signed-in user) takes the place
 * of the process-wide default, {@link LocalCurrentUser}.
 *
 * A per-connection service is a thin front over process-wide services that
 * the backend makes at its start (the store, the ingester, the pipeline,
 * the repositories over the store): a process-wide service first made from
 * a connection's container would not find the root's contribution
 * providers, since Theia binds the connection's own `ContributionProvider`
 * there and inversify looks no further up for that id.
 */
export interface CurrentUser {
    /** The name edits and comments are recorded under. */
    readonly name: string;
}

/** The single local user of a desktop archive: the operating system's login name, or `local` when it has none. */
@injectable()
export class LocalCurrentUser implements CurrentUser {

    readonly name: string = localLoginName();
}

function localLoginName(): string {
    try {
        return os.userInfo().username || 'local';
    } catch {
        return 'local';
    }
}
