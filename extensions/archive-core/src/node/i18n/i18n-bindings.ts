import { interfaces } from '@theia/core/shared/inversify';
import { LocalizationContribution } from '@theia/core/lib/node/i18n/localization-contribution';
import { ArchiveLocalizationContribution } from './archive-localization-contribution';

/** ImageParser's Korean strings (its own and VS Code's), served to the frontend by Theia's localization. */
export function bindLocalization(bind: interfaces.Bind): void {
    bind(ArchiveLocalizationContribution).toSelf().inSingletonScope();
    bind(LocalizationContribution).toService(ArchiveLocalizationContribution);
}
