import { inject, injectable, optional } from '@theia/core/shared/inversify';
import { environment } from '@theia/core/lib/common';
import { BackendApplicationCliContribution } from '@theia/core/lib/node/backend-application';

export const LocalPathPolicy = Symbol('LocalPathPolicy');

/** Decides whether this backend tells the OS paths of archive files (see `LocalPathService` for the rule). */
export interface LocalPathPolicy {
    allowsLocalPaths(): boolean;
}

/** What the rule looks at. */
export interface LocalPathFacts {
    /** Whether the backend runs in the desktop (Electron) app. */
    readonly electron: boolean;
    /** The address the backend listens on; undefined means Theia's default, `localhost`. */
    readonly hostname: string | undefined;
    /** `IMAGEPARSER_LOCAL_PATHS`: `on` or `off` override the rule; anything else leaves it. */
    readonly setting: string | undefined;
}

/** True for addresses only this machine can reach. */
export function isLoopbackHost(hostname: string): boolean {
    const host = hostname.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
    return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** The rule of `LocalPathService`: the desktop app, or a backend only this machine can reach, unless the setting says otherwise. */
export function localPathsAllowed(facts: LocalPathFacts): boolean {
    const setting = facts.setting?.trim().toLowerCase();
    if (setting === 'off') {
        return false;
    }
    if (setting === 'on' || facts.electron) {
        return true;
    }
    return isLoopbackHost(facts.hostname ?? 'localhost');
}

/** The rule applied to this backend process: Electron or not, its `--hostname`, and `IMAGEPARSER_LOCAL_PATHS`. */
@injectable()
export class BackendLocalPathPolicy implements LocalPathPolicy {

    @inject(BackendApplicationCliContribution) @optional()
    protected readonly cli?: BackendApplicationCliContribution;

    allowsLocalPaths(): boolean {
        return localPathsAllowed({ electron: environment.electron.is(), hostname: this.cli?.hostname, setting: process.env.IMAGEPARSER_LOCAL_PATHS });
    }
}
