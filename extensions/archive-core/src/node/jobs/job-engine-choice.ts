import type { PreferenceService } from '@theia/core/lib/common/preferences';
import { DEFAULT_REDIS_URL, JOB_ENGINE_PREFERENCE, JOB_ENGINES, JobEngineKind, REDIS_URL_PREFERENCE } from '../../common/job-engine-preferences';

/** Wins over the preference: `embedded` or `bullmq` (the command-line tool and `imageparser serve` have no preferences). */
export const JOB_ENGINE_ENV = 'IMAGEPARSER_QUEUE_ENGINE';
/** Wins over the preference: the Redis server of the `bullmq` engine. */
export const REDIS_URL_ENV = 'IMAGEPARSER_REDIS_URL';

export const JobEngineChoice = Symbol('JobEngineChoice');

/** The job queue engine a process runs, chosen once when the queue is first needed; bound as a constant it wins over everything (tests). */
export interface JobEngineChoice {
    readonly engine: JobEngineKind;
    /** The Redis server, for `bullmq`. */
    readonly redisUrl: string;
}

/**
 * The environment's choice, else the preferences', else the embedded
 * engine. An unknown engine name or a URL that is not Redis's is refused
 * with a clear error rather than quietly running another engine.
 */
export function chooseJobEngine(env: NodeJS.ProcessEnv, preferences?: Pick<PreferenceService, 'get'>): JobEngineChoice {
    const fromEnv = env[JOB_ENGINE_ENV]?.trim();
    const named = fromEnv || preferences?.get<string>(JOB_ENGINE_PREFERENCE) || 'embedded';
    if (!JOB_ENGINES.includes(named as JobEngineKind)) {
        throw new Error(`Unknown job engine '${named}' (${fromEnv ? JOB_ENGINE_ENV : JOB_ENGINE_PREFERENCE}): use ${JOB_ENGINES.join(' or ')}`);
    }
    const redisUrl = env[REDIS_URL_ENV]?.trim() || preferences?.get<string>(REDIS_URL_PREFERENCE) || DEFAULT_REDIS_URL;
    if (!/^rediss?:\/\//.test(redisUrl)) {
        throw new Error(`The Redis URL '${redisUrl}' does not start with redis:// or rediss://`);
    }
    return { engine: named as JobEngineKind, redisUrl };
}
