import { Command } from '@theia/core/lib/common/command';

/** The smart collection actions, in the command palette and for other views (the Collections view opens one by id). */
export namespace SmartCollectionCommands {
    export const SAVE_SEARCH = Command.toLocalizedCommand({ id: 'imageparser.collections.saveSearchAsSmart', label: 'Save Search as Smart Collection…', category: 'ImageParser' },
        'imageparser/collections/commands/saveSearchAsSmart', 'imageparser/archive-core/category');
    /** Argument: the smart collection's id. Loads its saved search into the search view and shows its results. */
    export const OPEN = Command.toLocalizedCommand({ id: 'imageparser.collections.openSmart', label: 'Open Smart Collection…', category: 'ImageParser' },
        'imageparser/collections/commands/openSmart', 'imageparser/archive-core/category');
    export const UPDATE = Command.toLocalizedCommand({ id: 'imageparser.collections.updateSmart', label: 'Update Smart Collection', category: 'ImageParser' },
        'imageparser/collections/commands/updateSmart', 'imageparser/archive-core/category');
    /** The banner's "Save as New…": no label, so the palette lists only "Save Search as Smart Collection…", which does the same. */
    export const SAVE_AS_NEW: Command = { id: 'imageparser.collections.saveSmartAsNew' };
    export const CLOSE = Command.toLocalizedCommand({ id: 'imageparser.collections.closeSmart', label: 'Stop Editing Smart Collection', category: 'ImageParser' },
        'imageparser/collections/commands/closeSmart', 'imageparser/archive-core/category');
}
