import { interfaces } from '@theia/core/shared/inversify';
import { CommandContribution } from '@theia/core/lib/common/command';
import { MenuContribution } from '@theia/core/lib/common/menu';
import { CollectionsJsonContribution } from './collections-json-contribution';

/** The commands that export collections to JSON and import them from it, and "Export as JSON…" in a collection's context menu. */
export function bindCollectionsJson(bind: interfaces.Bind): void {
    bind(CollectionsJsonContribution).toSelf().inSingletonScope();
    bind(CommandContribution).toService(CollectionsJsonContribution);
    bind(MenuContribution).toService(CollectionsJsonContribution);
}
