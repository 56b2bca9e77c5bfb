import type { JobError } from '../../common/job-protocol';
import type { JobRequest } from './job-queue';

/** The longest error message a job keeps; longer ones are cut (a worker's stack trace must not bloat the archive). */
export const MAX_ERROR_MESSAGE = 4_000;

/**
 * Refuses a malformed job request with a clear error before anything is
 * written: an asset id that is not a positive integer, an empty phase, a
 * model or content hash that is not a string, a priority that is not an integer.
 */
export function checkRequest(request: JobRequest, index: number): void {
    const problem = !request || typeof request !== 'object' ? 'is not an object'
        : !Number.isSafeInteger(request.assetId) || request.assetId <= 0 ? `has asset id ${String(request.assetId)}, not a positive integer`
            : typeof request.phase !== 'string' || !request.phase ? 'has no phase'
                : typeof request.model !== 'string' ? 'has a model that is not a string'
                    : typeof request.contentHash !== 'string' ? 'has a content hash that is not a string'
                        : request.priority !== undefined && !Number.isSafeInteger(request.priority) ? `has priority ${String(request.priority)}, not an integer`
                            : undefined;
    if (problem) {
        throw new TypeError(`Job request ${index} ${problem}; no job was added`);
    }
}

export namespace JobErrors {
    /** A failure as the queue stores it: a code and a message, both strings, whatever the worker sent. */
    export function normalize(error: Partial<JobError> | undefined): JobError {
        const code = typeof error?.code === 'string' && error.code ? error.code : 'unknown';
        const message = typeof error?.message === 'string' ? error.message : String(error?.message ?? '');
        return { code: code.slice(0, 200), message: message.slice(0, MAX_ERROR_MESSAGE) };
    }
}
