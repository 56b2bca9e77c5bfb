import { interfaces } from '@theia/core/shared/inversify';
import { CommandContribution } from '@theia/core/lib/common/command';
import { CollectionsJsonContribution } from './collections-json-contribution';

/** The commands that export collections to JSON and import them from it. */
export function bindCollectionsJson(bind: interfaces.Bind): void {
    bind(CollectionsJsonContribution).toSelf().inSingletonScope();
    bind(CommandContribution).toService(CollectionsJsonContribution);
}
