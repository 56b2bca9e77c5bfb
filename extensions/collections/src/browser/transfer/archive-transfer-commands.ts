import { Command } from '@theia/core/lib/common/command';

/** The archive export and import commands (command palette, File menu; the Collections view's menu runs EXPORT_COLLECTION with a collection id). */
export namespace ArchiveTransferCommands {
    export const EXPORT_ARCHIVE = Command.toLocalizedCommand({ id: 'imageparser.transfer.exportArchive', label: 'Export Archive…', category: 'ImageParser' },
        'imageparser/collections/transfer/exportArchive', 'imageparser/archive-core/category');
    export const EXPORT_RESULTS = Command.toLocalizedCommand({
        id: 'imageparser.transfer.exportResults', label: 'Export Current Results as Archive…', category: 'ImageParser'
    }, 'imageparser/collections/transfer/exportResultsAsArchive', 'imageparser/archive-core/category');
    /** Takes the collection's id (a number) to choose it in the dialog; without one the dialog offers the first. */
    export const EXPORT_COLLECTION = Command.toLocalizedCommand({
        id: 'imageparser.transfer.exportCollection', label: 'Export Collection as Archive…', category: 'ImageParser'
    }, 'imageparser/collections/transfer/exportCollection', 'imageparser/archive-core/category');
    export const EXPORT_FOLDER = Command.toLocalizedCommand({
        id: 'imageparser.transfer.exportFolder', label: 'Export Folder as Archive…', category: 'ImageParser'
    }, 'imageparser/collections/transfer/exportFolder', 'imageparser/archive-core/category');
    export const IMPORT_ARCHIVE = Command.toLocalizedCommand({ id: 'imageparser.transfer.importArchive', label: 'Import Archive…', category: 'ImageParser' },
        'imageparser/collections/transfer/importArchive', 'imageparser/archive-core/category');
}

/** The extension the app offers for export files (as `EXPORT_FILE_EXTENSION` of archive-core's export format). */
export const EXPORT_FILE_EXTENSION = 'imageparser-export';
