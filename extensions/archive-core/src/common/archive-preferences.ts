import { interfaces } from '@theia/core/shared/inversify';
import {
    createPreferenceProxy, nls, PreferenceContribution, PreferenceProxy, PreferenceSchema, PreferenceScope, PreferenceService
} from '@theia/core';

/** The preference that names the folder holding the archive. */
export const ARCHIVE_LOCATION_PREFERENCE = 'imageparser.archive.location';

export const ArchivePreferenceSchema: PreferenceSchema = {
    properties: {
        [ARCHIVE_LOCATION_PREFERENCE]: {
            type: 'string',
            default: '',
            scope: PreferenceScope.User,
            description: nls.localize('imageparser/archive-core/preferences/location',
                'Folder that holds the ImageParser archive (database and media). When empty: portable mode, then ~/.imageparser. The IMAGEPARSER_HOME environment variable overrides it. Takes effect when the backend restarts.')
        }
    }
};

export interface ArchiveConfiguration {
    [ARCHIVE_LOCATION_PREFERENCE]: string;
}

export const ArchivePreferences = Symbol('ArchivePreferences');
export type ArchivePreferences = PreferenceProxy<ArchiveConfiguration>;

/** Binds the archive preference schema and its typed proxy; used by the frontend and the backend alike. */
export function bindArchivePreferences(bind: interfaces.Bind): void {
    bind(ArchivePreferences).toDynamicValue(ctx =>
        createPreferenceProxy(ctx.container.get<PreferenceService>(PreferenceService), ArchivePreferenceSchema)
    ).inSingletonScope();
    bind(PreferenceContribution).toConstantValue({ schema: ArchivePreferenceSchema });
}
