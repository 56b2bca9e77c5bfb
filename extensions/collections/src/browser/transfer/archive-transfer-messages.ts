import { nls } from '@theia/core/lib/common/nls';
import { formatBytes } from '@imageparser/archive-core/lib/common/byte-size';
import { plural } from '@imageparser/archive-core/lib/common/plural';
import {
    ExportReport, ImportConflict, TransferErrorData, TransferErrors, TransferStep
} from '@imageparser/archive-core/lib/common/archive-transfer-protocol';
import { describeArchiveError } from '@imageparser/archive-core/lib/browser/archive-error-messages';

/** Which way a transfer went: a refusal says that nothing was imported, or that nothing was written. */
export type TransferDirection = 'import' | 'export';

/**
 * Why a transfer was refused, in the user's language, as whole sentences:
 * the reason, the specific finding when there is one, and that nothing was
 * imported (or, for an export, written).
 */
export function describeTransferRefusal(data: TransferErrorData, direction: TransferDirection = 'import'): string {
    const sentences = [refusalText(data)];
    const detail = describeRefusalDetail(data.detail);
    if (detail) {
        sentences.push(nls.localize('imageparser/collections/transfer/refusal/withDetail', 'Details: {0}.', detail));
    }
    sentences.push(direction === 'import'
        ? nls.localize('imageparser/collections/transfer/refusal/nothingImported', 'Nothing was imported.')
        : nls.localize('imageparser/collections/transfer/refusal/nothingWritten', 'Nothing was written.'));
    return sentences.join(' ');
}

/**
 * The backend's finding (English, written for the log) as the user reads
 * it: the findings known here in the user's language; any other kept only
 * in an English window (in another language the refusal's reason says
 * enough, rather than a sentence of English in the middle).
 */
export function describeRefusalDetail(detail: string | undefined): string | undefined {
    const finding = detail?.trim().replace(/[.\s]+$/, '');
    if (!finding) {
        return undefined;
    }
    switch (finding) {
        case 'the file is not an SQLite database':
            return nls.localize('imageparser/collections/transfer/detail/notSqlite', 'the file is not an SQLite database');
        case 'it is the archive\'s own database':
            return nls.localize('imageparser/collections/transfer/detail/ownDatabase', 'it is the archive\'s own database');
        case 'it is a folder':
            return nls.localize('imageparser/collections/transfer/detail/isFolder', 'it is a folder');
        case 'this archive can only be read':
            return nls.localize('imageparser/collections/transfer/detail/readOnly', 'this archive can only be read');
    }
    const language = nls.localization?.languageId ?? nls.locale;
    return !language || language.startsWith('en') ? finding : undefined;
}

/**
 * How a transfer that did not finish is announced: a cancel the user asked
 * for as information (nothing happened, as asked), anything else as an error.
 */
export function describeTransferEnd(error: unknown, direction: TransferDirection = 'import'): { severity: 'info' | 'error'; text: string } {
    if (transferRefusal(error)?.reason === 'cancelled') {
        return {
            severity: 'info', text: direction === 'import'
                ? nls.localize('imageparser/collections/transfer/importCancelled', 'Import cancelled; nothing was imported.')
                : nls.localize('imageparser/collections/transfer/exportCancelled', 'Export cancelled; nothing was written.')
        };
    }
    const reason = describeTransferError(error, direction);
    return {
        severity: 'error', text: direction === 'import'
            ? nls.localize('imageparser/collections/transfer/importFailed', 'The import did not finish: {0}', reason)
            : nls.localize('imageparser/collections/transfer/exportFailed', 'The export did not finish: {0}', reason)
    };
}

/**
 * What an export holds, as its manifest's scope label says it ("archive",
 * "collection: Name", "folder: /path", "query: words", "assets: 12"; the
 * exporter writes it in English), in the user's language. A label of a
 * kind not known here is shown as it is.
 */
export function describeScopeLabel(label: string): string {
    const match = /^(archive|collection|folder|query|assets)(?::\s*(.*))?$/s.exec(label.trim());
    const value = match?.[2]?.trim();
    switch (match?.[1]) {
        case 'archive':
            return nls.localize('imageparser/collections/transfer/holdsScope/archive', 'the whole archive');
        case 'collection':
            return value ? nls.localize('imageparser/collections/transfer/holdsScope/collection', 'the collection “{0}”', value) : label;
        case 'folder':
            return value ? nls.localize('imageparser/collections/transfer/holdsScope/folder', 'the folder {0}', value) : label;
        case 'query':
            return value
                ? nls.localize('imageparser/collections/transfer/holdsScope/queryWords', 'the results of a search for “{0}”', value)
                : nls.localize('imageparser/collections/transfer/holdsScope/query', 'the results of a search');
        case 'assets': {
            const count = Number(value);
            return Number.isInteger(count) && count >= 0 ? plural(count,
                nls.localize('imageparser/collections/transfer/holdsScope/selection/one', 'a selection of {0} image', count),
                nls.localize('imageparser/collections/transfer/holdsScope/selection/other', 'a selection of {0} images', count)) : label;
        }
    }
    return label;
}

function refusalText({ reason, file }: TransferErrorData): string {
    switch (reason) {
        case 'not-found':
            return nls.localize('imageparser/collections/transfer/refusal/notFound', '{0} cannot be read: there is no such file, or no permission to read it.', file);
        case 'not-an-export':
            return nls.localize('imageparser/collections/transfer/refusal/notAnExport', '{0} is not an ImageParser archive export.', file);
        case 'newer-version':
            return nls.localize('imageparser/collections/transfer/refusal/newerVersion', '{0} was written by a newer version of ImageParser. Update ImageParser to import it.', file);
        case 'damaged':
            return nls.localize('imageparser/collections/transfer/refusal/damaged', '{0} is damaged or incomplete.', file);
        case 'size-mismatch':
            return nls.localize('imageparser/collections/transfer/refusal/sizeMismatch',
                '{0} does not hold what it declares (counts or sizes differ); it may have been altered.', file);
        case 'unsafe-path':
            return nls.localize('imageparser/collections/transfer/refusal/unsafePath',
                '{0} holds a path that would lead outside its folders, so it was refused for safety.', file);
        case 'target-exists':
            return nls.localize('imageparser/collections/transfer/refusal/targetExists', '{0} exists already.', file);
        case 'cancelled':
            return nls.localize('imageparser/collections/transfer/refusal/cancelled', 'Cancelled.');
        case 'read-only':
            return nls.localize('imageparser/collections/transfer/refusal/readOnly', 'The archive is read-only: {0} cannot be imported into it.', file);
        case 'busy':
            return nls.localize('imageparser/collections/transfer/refusal/busy', 'Another export or import is running. Try again when it has finished.');
    }
}

/** A transfer error as the user should read it: refusals by their reason, the archive's own errors, else the backend's words. */
export function describeTransferError(error: unknown, direction: TransferDirection = 'import'): string {
    if (error instanceof Error && TransferErrors.Refused.is(error)) {
        return describeTransferRefusal(error.data, direction);
    }
    return describeArchiveError(error);
}

/** The refusal's data when `error` is a transfer refusal. */
export function transferRefusal(error: unknown): TransferErrorData | undefined {
    return error instanceof Error && TransferErrors.Refused.is(error) ? error.data : undefined;
}

export function describeStep(step: TransferStep): string {
    switch (step) {
        case 'snapshot': return nls.localize('imageparser/collections/transfer/step/snapshot', 'Taking a snapshot');
        case 'select': return nls.localize('imageparser/collections/transfer/step/select', 'Selecting the images');
        case 'strip': return nls.localize('imageparser/collections/transfer/step/strip', 'Removing the paths');
        case 'media': return nls.localize('imageparser/collections/transfer/step/media', 'Thumbnails and previews');
        case 'check': return nls.localize('imageparser/collections/transfer/step/check', 'Checking the file');
        case 'merge': return nls.localize('imageparser/collections/transfer/step/merge', 'Writing into the archive (can no longer be cancelled)');
        case 'vectors': return nls.localize('imageparser/collections/transfer/step/vectors', 'Similarity vectors');
        case 'index': return nls.localize('imageparser/collections/transfer/step/index', 'Text index');
        case 'commit': return nls.localize('imageparser/collections/transfer/step/commit', 'Saving');
    }
}

/** A step's progress: "Merging (120 of 300)"; the step alone where a count says nothing (one item, or none). */
export function describeProgress(step: TransferStep, done: number, total: number): string {
    if (total <= 1) {
        return describeStep(step);
    }
    const locale = nls.locale ?? 'en-US';
    return nls.localize('imageparser/collections/transfer/progressCount', '{0} ({1} of {2})',
        describeStep(step), done.toLocaleString(locale), total.toLocaleString(locale));
}

/** What an export wrote, saying what was left out: "… without thumbnails and previews, without original paths (2.1 MiB)". */
export function describeExportReport(report: ExportReport, options: { readonly includeMedia?: boolean; readonly includePaths?: boolean } = {}): string {
    const parts = [nls.localize('imageparser/collections/transfer/exported/images', 'images {0}', report.assets)];
    parts.push(options.includeMedia === false
        ? nls.localize('imageparser/collections/transfer/exported/withoutMedia', 'without thumbnails and previews')
        : nls.localize('imageparser/collections/transfer/exported/media', 'thumbnails and previews {0}', report.media));
    parts.push(nls.localize('imageparser/collections/transfer/exported/vectors', 'similarity vectors {0}', report.vectors));
    parts.push(nls.localize('imageparser/collections/transfer/exported/collections', 'collections {0}', report.collections));
    if (options.includePaths === false) {
        parts.push(nls.localize('imageparser/collections/transfer/exported/withoutPaths', 'without original paths'));
    }
    return nls.localize('imageparser/collections/transfer/exportedTo', 'Exported to {0}: {1} ({2}).',
        report.file, parts.join(', '), formatBytes(report.bytes, nls.locale ?? 'en-US'));
}

export function describeConflictKind(kind: ImportConflict['kind']): string {
    switch (kind) {
        case 'rating': return nls.localize('imageparser/collections/transfer/conflict/rating', 'Rating');
        case 'caption': return nls.localize('imageparser/collections/transfer/conflict/caption', 'Caption');
        case 'collection': return nls.localize('imageparser/collections/transfer/conflict/collection', 'Collection');
        case 'preset': return nls.localize('imageparser/collections/transfer/conflict/preset', 'Filter preset');
        case 'file': return nls.localize('imageparser/collections/transfer/conflict/file', 'File');
    }
}
