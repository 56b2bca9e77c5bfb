import { interfaces } from '@theia/core/shared/inversify';
import {
    createPreferenceProxy, nls, PreferenceContribution, PreferenceProxy, PreferenceSchema, PreferenceScope, PreferenceService
} from '@theia/core';

/** The preference that names the folder holding the archive. */
export const ARCHIVE_LOCATION_PREFERENCE = 'imageparser.archive.location';

/** The preference that sets the backend's memory budget for decoded images, in MiB. */
export const MEMORY_BUDGET_PREFERENCE = 'imageparser.memory.budget';

export const ArchivePreferenceSchema: PreferenceSchema = {
    properties: {
        [ARCHIVE_LOCATION_PREFERENCE]: {
            type: 'string',
            default: '',
            scope: PreferenceScope.User,
            description: nls.localize('imageparser/archive-core/preferences/location',
                'Folder that holds the ImageParser archive (database and media). When empty: portable mode, then ~/.imageparser. The IMAGEPARSER_HOME environment variable overrides it. Takes effect when the backend restarts.')
        },
        [MEMORY_BUDGET_PREFERENCE]: {
            type: 'number',
            default: 2048,
            minimum: 256,
            scope: PreferenceScope.User,
            description: nls.localize('imageparser/archive-core/preferences/memoryBudget',
                'Memory, in MiB, that indexing and the viewer may use together for decoded images. A file needing more than this is decoded alone; one needing more than twice this is refused. The IMAGEPARSER_MEMORY_BUDGET_MB environment variable overrides it.')
        }
    }
};

export interface ArchiveConfiguration {
    [ARCHIVE_LOCATION_PREFERENCE]: string;
    [MEMORY_BUDGET_PREFERENCE]: number;
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
