/** Why an archive file could not be opened. */
export type ArchiveOpenErrorCode =
    /** The file exists but is not an SQLite database at all. */
    | 'not-sqlite'
    /** The file is an SQLite database made by some other program. */
    | 'foreign'
    /** The file is an ImageParser archive that fails SQLite's integrity check. */
    | 'corrupt'
    /** The archive was written by a newer ImageParser whose schema this one does not know. */
    | 'newer-schema'
    /** The file or its folder cannot be read or written. */
    | 'inaccessible';

/**
 * Raised when an archive cannot be opened. The file named in {@link file} is
 * left exactly as it was: opening never repairs, migrates or overwrites a file
 * it does not recognise.
 */
export class ArchiveOpenError extends Error {
    constructor(readonly code: ArchiveOpenErrorCode, readonly file: string, detail: string) {
        super(`Cannot open the ImageParser archive ${file}: ${detail}`);
        this.name = 'ArchiveOpenError';
    }
}
