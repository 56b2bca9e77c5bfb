/**
 * The archive-change RPC contract: the backend tells every connected
 * frontend when the archive's database changed, whoever changed it (this
 * backend, or another process such as the `imageparser` command indexing
 * into the same archive), so counts and open searches can be refreshed.
 */

export const ARCHIVE_CHANGE_SERVICE_PATH = '/services/imageparser/archive-changes';

export const ArchiveChangeClient = Symbol('ArchiveChangeClient');

/** Receives change notices while connected. */
export interface ArchiveChangeClient {
    /**
     * Called at most about once a second while the archive keeps changing,
     * after the changes were committed (readers see them).
     */
    onArchiveChanged(): void;
}

export const ArchiveChangeService = Symbol('ArchiveChangeService');

/** The connection's end of the change notices; it has nothing to ask. */
export interface ArchiveChangeService {
    setClient(client: ArchiveChangeClient | undefined): void;
}
