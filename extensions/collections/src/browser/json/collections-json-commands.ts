import { Command } from '@theia/core/lib/common/command';

/** Collections shared as JSON (see docs/collections-json.md). */
export namespace CollectionsJsonCommands {
    /** Argument (optional): the ids of the collections to export; without it, a quick pick asks which. */
    export const EXPORT = Command.toLocalizedCommand({ id: 'imageparser.collections.exportJson', label: 'Export Collections as JSON…', category: 'ImageParser' },
        'imageparser/collections/commands/exportJson', 'imageparser/archive-core/category');
    export const IMPORT = Command.toLocalizedCommand({ id: 'imageparser.collections.importJson', label: 'Import Collections from JSON…', category: 'ImageParser' },
        'imageparser/collections/commands/importJson', 'imageparser/archive-core/category');
}
