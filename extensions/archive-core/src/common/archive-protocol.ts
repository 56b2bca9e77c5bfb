/**
 * The archive status RPC contract, shared by the backend implementation and the
 * frontend proxy.
 */
import { ApplicationError } from '@theia/core/lib/common/application-error';

/** The path on which the backend serves {@link ArchiveService} over Theia's RPC channel. */
export const ARCHIVE_SERVICE_PATH = '/services/imageparser/archive';

/** Where the archive location came from, in the order the backend looks for one. */
export type ArchiveLocationSource = 'environment' | 'preference' | 'portable' | 'default';

/**
 * A snapshot of the archive the backend owns. Plain JSON, so it crosses the RPC
 * boundary unchanged.
 */
export interface ArchiveStatus {
    /**
     * The folder that holds the archive (database file and media folder):
     * its OS path where the backend tells paths (the desktop app, a backend
     * only this machine reaches; see `LocalPathService`), else its name alone.
     */
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
    /**
     * True when the archive can only be read (a read-only folder, file or
     * mount): search and viewing work; adding files, tags, ratings and
     * comments is refused with {@link ArchiveErrors.ReadOnly}.
     */
    readonly readOnly: boolean;
}

export namespace ArchiveStatus {
    /** True when `value` has the shape of an {@link ArchiveStatus}. */
    export function is(value: unknown): value is ArchiveStatus {
        const status = value as ArchiveStatus | undefined;
        return !!status && typeof status.location === 'string' && typeof status.schemaVersion === 'number'
            && typeof status.assetCount === 'number';
    }
}

/** Why the archive file cannot be used. */
export type ArchiveUnavailableReason =
    /** The file exists but is not an SQLite database at all. */
    | 'not-sqlite'
    /** The file is an SQLite database made by some other program. */
    | 'foreign'
    /** The file is an ImageParser archive that fails SQLite's integrity check. */
    | 'corrupt'
    /** The archive was written by a newer ImageParser whose schema this one does not know. */
    | 'newer-schema'
    /** The file or its folder cannot be read or written. */
    | 'inaccessible'
    /** The archive is read-only and was written by an older ImageParser: it needs an upgrade that cannot be written. */
    | 'read-only-outdated';

/** What the frontend learns when the archive cannot be opened: enough to explain it in the user's language. */
export interface ArchiveUnavailableData {
    readonly reason: ArchiveUnavailableReason;
    /** The archive file, as the backend machine sees it. */
    readonly file: string;
    /** SQLite's or the file system's own words, for the curious and for bug reports. */
    readonly detail: string;
}

export namespace ArchiveErrors {
    /** Raised by every {@link ArchiveService} call while the archive file cannot be used. */
    export const Unavailable = ApplicationError.declare(-36001, (data: ArchiveUnavailableData) => ({
        message: `Cannot open the ImageParser archive ${data.file}: ${data.detail}`,
        data
    }));

    /** Raised by every change (adding files, tags, ratings, comments) while the archive is read-only. */
    export const ReadOnly = ApplicationError.declare(-36002, () => ({
        message: 'The archive is read-only: changes cannot be saved.',
        data: {}
    }));
}

export const ArchiveService = Symbol('ArchiveService');

/**
 * The archive as the frontend sees it. Every call answers from the backend's
 * open store; while the archive file cannot be used, calls reject with
 * {@link ArchiveErrors.Unavailable}.
 */
export interface ArchiveService {
    /** Reports where the archive lives, its schema version, its size and the SQLite versions in use. */
    getStatus(): Promise<ArchiveStatus>;
}
