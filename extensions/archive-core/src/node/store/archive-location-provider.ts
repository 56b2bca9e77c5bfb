import { inject, injectable } from '@theia/core/shared/inversify';
import { PreferenceService } from '@theia/core/lib/common/preferences';
import { ApplicationPackage } from '@theia/core/shared/@theia/application-package';
import { ARCHIVE_LOCATION_PREFERENCE } from '../../common/archive-preferences';
import { ArchiveLocation, resolveArchiveLocation } from './archive-location';

export const ArchiveLocationProvider = Symbol('ArchiveLocationProvider');

/** Tells the archive store which folder to open. */
export interface ArchiveLocationProvider {
    resolve(): Promise<ArchiveLocation>;
}

/**
 * The location from `IMAGEPARSER_HOME`, the user's `imageparser.archive.location`
 * preference, portable mode next to the application, or `~/.imageparser`.
 */
@injectable()
export class PreferenceArchiveLocationProvider implements ArchiveLocationProvider {

    @inject(PreferenceService)
    protected readonly preferences: PreferenceService;

    @inject(ApplicationPackage)
    protected readonly applicationPackage: ApplicationPackage;

    async resolve(): Promise<ArchiveLocation> {
        await this.preferences.ready;
        return resolveArchiveLocation({
            env: process.env,
            preference: this.preferences.get<string>(ARCHIVE_LOCATION_PREFERENCE),
            appFolder: this.applicationPackage.projectPath
        });
    }
}
