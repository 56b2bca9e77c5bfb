import { nls } from '@theia/core/lib/common/nls';
import { formatBytes } from '@imageparser/archive-core/lib/common/byte-size';
import {
    ExportReport, ImportConflict, TransferErrorData, TransferErrors, TransferStep
} from '@imageparser/archive-core/lib/common/archive-transfer-protocol';
import { describeArchiveError } from '@imageparser/archive-core/lib/browser/archive-error-messages';

/** Why an export file was refused, in the user's language, with the specific finding when there is one. */
export function describeTransferRefusal(data: TransferErrorData): string {
    const text = refusalText(data);
    return data.detail ? nls.localize('imageparser/collections/transfer/refusal/withDetail', '{0} Details: {1}', text, data.detail) : text;
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
            return nls.localize('imageparser/collections/transfer/refusal/damaged', '{0} is damaged or incomplete. Nothing was imported.', file);
        case 'size-mismatch':
            return nls.localize('imageparser/collections/transfer/refusal/sizeMismatch',
                '{0} does not hold what it declares (counts or sizes differ); it may have been altered. Nothing was imported.', file);
        case 'unsafe-path':
            return nls.localize('imageparser/collections/transfer/refusal/unsafePath',
                '{0} holds a path that would lead outside its folders. It was refused for safety; nothing was imported.', file);
        case 'target-exists':
            return nls.localize('imageparser/collections/transfer/refusal/targetExists', '{0} exists already.', file);
        case 'cancelled':
            return nls.localize('imageparser/collections/transfer/refusal/cancelled', 'Cancelled: nothing was written.');
        case 'read-only':
            return nls.localize('imageparser/collections/transfer/refusal/readOnly', 'The archive is read-only: {0} cannot be imported into it.', file);
        case 'busy':
            return nls.localize('imageparser/collections/transfer/refusal/busy', 'Another export or import is running. Try again when it has finished.');
    }
}

/** A transfer error as the user should read it: refusals by their reason, the archive's own errors, else the backend's words. */
export function describeTransferError(error: unknown): string {
    if (error instanceof Error && TransferErrors.Refused.is(error)) {
        return describeTransferRefusal(error.data);
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
        case 'merge': return nls.localize('imageparser/collections/transfer/step/merge', 'Merging');
        case 'vectors': return nls.localize('imageparser/collections/transfer/step/vectors', 'Similarity vectors');
        case 'index': return nls.localize('imageparser/collections/transfer/step/index', 'Text index');
        case 'commit': return nls.localize('imageparser/collections/transfer/step/commit', 'Saving');
    }
}

export function describeExportReport(report: ExportReport): string {
    return nls.localize('imageparser/collections/transfer/exported',
        'Exported to {0}: images {1}, thumbnails and previews {2}, similarity vectors {3}, collections {4} ({5}).',
        report.file, report.assets, report.media, report.vectors, report.collections, formatBytes(report.bytes, nls.locale ?? 'en-US'));
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
