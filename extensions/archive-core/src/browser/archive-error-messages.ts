import { nls } from '@theia/core/lib/common/nls';
import { ArchiveErrors, ArchiveUnavailableData } from '../common/archive-protocol';

/** What to tell the user, in their language, when the archive file cannot be used. */
export function describeArchiveUnavailable(error: ArchiveUnavailableData): string {
    switch (error.reason) {
        case 'not-sqlite':
            return nls.localize('imageparser/archive-core/error/notSqlite',
                '{0} is not an SQLite database. ImageParser left it untouched: move it away or choose another archive location.', error.file);
        case 'foreign':
            return nls.localize('imageparser/archive-core/error/foreign',
                '{0} is a database of another program. ImageParser left it untouched: choose another archive location.', error.file);
        case 'corrupt':
            return nls.localize('imageparser/archive-core/error/corrupt',
                '{0} is damaged: its integrity check failed. ImageParser left it untouched: restore it from a backup or choose another archive location.', error.file);
        case 'newer-schema':
            return nls.localize('imageparser/archive-core/error/newerSchema',
                '{0} was written by a newer version of ImageParser. Update ImageParser to open it.', error.file);
        case 'inaccessible':
            return nls.localize('imageparser/archive-core/error/inaccessible',
                'ImageParser cannot read or write {0}. Check that the drive is connected and the folder permissions.', error.file);
        case 'read-only-outdated':
            return nls.localize('imageparser/archive-core/error/readOnlyOutdated',
                '{0} is read-only and was written by an older version of ImageParser. Make it writable once so ImageParser can upgrade it.', error.file);
    }
}

/** What the archive being read-only means for the user, in their language. */
export function describeReadOnlyArchive(): string {
    return nls.localize('imageparser/archive-core/readOnly/explanation',
        'The archive is read-only: you can search and view it, but files, tags, ratings and comments cannot be added or changed.');
}

/**
 * A backend error as the user should read it: the archive's own errors
 * (read-only, unavailable) in the user's language, anything else as the
 * backend worded it.
 */
export function describeArchiveError(error: unknown): string {
    if (error instanceof Error && ArchiveErrors.ReadOnly.is(error)) {
        return describeReadOnlyArchive();
    }
    if (error instanceof Error && ArchiveErrors.Unavailable.is(error)) {
        return describeArchiveUnavailable(error.data);
    }
    return error instanceof Error ? error.message : String(error);
}
