import type { ArchiveUnavailableReason } from '../../common/archive-protocol';

/**
 * Raised when an archive cannot be opened. The file named in {@link file} is
 * left exactly as it was: opening never repairs, migrates or overwrites a file
 * it does not recognise.
 */
export class ArchiveOpenError extends Error {
    constructor(readonly code: ArchiveUnavailableReason, readonly file: string, readonly detail: string) {
        super(`Cannot open the ImageParser archive ${file}: ${detail}`);
        this.name = 'ArchiveOpenError';
    }
}
