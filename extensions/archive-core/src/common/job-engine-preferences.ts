import { interfaces } from '@theia/core/shared/inversify';
import { nls, PreferenceContribution, PreferenceSchema, PreferenceScope } from '@theia/core';

/** Which engine holds the phases' job queue: `embedded` (the archive's own file) or `bullmq` (Redis, for a studio's worker fleet). */
export const JOB_ENGINE_PREFERENCE = 'imageparser.jobs.engine';
/** The Redis server of the `bullmq` engine. */
export const REDIS_URL_PREFERENCE = 'imageparser.jobs.redisUrl';

export type JobEngineKind = 'embedded' | 'bullmq';
export const JOB_ENGINES: readonly JobEngineKind[] = ['embedded', 'bullmq'];
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export const JobEnginePreferenceSchema: PreferenceSchema = {
    properties: {
        [JOB_ENGINE_PREFERENCE]: {
            type: 'string',
            enum: [...JOB_ENGINES],
            default: 'embedded',
            scope: PreferenceScope.User,
            description: nls.localize('imageparser/archive-core/preferences/jobsEngine',
                'Where the phase jobs wait: embedded keeps them in the archive file (desktop and small studios); bullmq keeps them in Redis for a studio with many workers. The archive stays the record of results either way. Applies after a restart; the IMAGEPARSER_QUEUE_ENGINE environment variable overrides it.')
        },
        [REDIS_URL_PREFERENCE]: {
            type: 'string',
            default: DEFAULT_REDIS_URL,
            scope: PreferenceScope.User,
            description: nls.localize('imageparser/archive-core/preferences/jobsRedisUrl',
                'The Redis server of the bullmq job engine, e.g. redis://127.0.0.1:6379. Applies after a restart; the IMAGEPARSER_REDIS_URL environment variable overrides it.')
        }
    }
};

/** Binds the job engine's preference schema; used by the frontend and the backend alike. */
export function bindJobEnginePreferences(bind: interfaces.Bind): void {
    bind(PreferenceContribution).toConstantValue({ schema: JobEnginePreferenceSchema });
}
