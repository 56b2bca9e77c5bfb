/**
 * The archive status RPC contract, shared by the backend implementation and the
 * frontend proxy.
 */

/** The path on which the backend serves {@link ArchiveService} over Theia's RPC channel. */
export const ARCHIVE_SERVICE_PATH = '/services/imageparser/archive';

/** Where the archive location came from, in the order the backend looks for one. */
export type ArchiveLocationSource = 'environment' | 'preference' | 'portable' | 'default';

/**
 * A snapshot of the archive the backend owns. Plain JSON, so it crosses the RPC
 * boundary unchanged.
 */
export interface ArchiveStatus {
    /** The folder that holds the archive (database file and media folder), as the backend machine sees it. */
    readonly location: string;
    /** How {@link location} was chosen. */
    readonly locationSource: ArchiveLocationSource;
    /** The schema version recorded in the database after migrations ran. */
    readonly schemaVersion: number;
    /** The number of assets (unique image contents) in the archive. */
    readonly assetCount: number;
    /** The SQLite library version, e.g. `3.50.2`. */
    readonly sqliteVersion: string;
    /** The sqlite-vec extension version loaded on every connection, e.g. `v0.1.9`. */
    readonly sqliteVecVersion: string;
}

export namespace ArchiveStatus {
    /** True when `value` has the shape of an {@link ArchiveStatus}. */
    export function is(value: unknown): value is ArchiveStatus {
        const status = value as ArchiveStatus | undefined;
        return !!status && typeof status.location === 'string' && typeof status.schemaVersion === 'number'
            && typeof status.assetCount === 'number';
    }
}

export const ArchiveService = Symbol('ArchiveService');

/**
 * The archive as the frontend sees it. Every call answers from the backend's
 * open store; a store that could not be opened rejects with the reason.
 */
export interface ArchiveService {
    /** Reports where the archive lives, its schema version, its size and the SQLite versions in use. */
    getStatus(): Promise<ArchiveStatus>;
}
